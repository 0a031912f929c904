"""One PDF renderer over WeasyPrint: shipped fonts, no network, no files outside static fonts/images."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
ALLOWED_DIRS = (STATIC_DIR / "fonts", STATIC_DIR / "img")
STYLESHEET = STATIC_DIR / "css" / "reference.css"


class ResourceRefused(ValueError):
    """A document asked for something outside the allowed directories."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `file:` URLs under static/fonts and static/img; refuses everything else."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file":
            logger.warning("PDF: refused %s", url[:200])
            raise ResourceRefused(f"Загрузка внешних ресурсов запрещена: {url[:200]}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(d.resolve()) for d in ALLOWED_DIRS) or not path.is_file():
            logger.warning("PDF: refused %s", path)
            raise ResourceRefused(f"Файл вне разрешённых каталогов: {path.name}")
        return URLFetcherResponse(url=path.as_uri(), body=path.read_bytes())


class PdfBytes(bytes):
    """The PDF's bytes, knowing how many pages they hold (no need to parse them again)."""

    pages: int = 0


def _pdf_bytes(document) -> PdfBytes:
    result = PdfBytes(document.write_pdf())
    result.pages = len(document.pages)
    return result


_local = threading.local()


def _stylesheet() -> tuple[CSS, FontConfiguration, StaticOnlyFetcher]:
    """The parsed stylesheet with its fonts, made once per thread (and again when the file changes).

    @font-face rules only take effect through a FontConfiguration shared by the stylesheet and the
    layout: without it WeasyPrint silently falls back to whatever system font fontconfig offers.
    Parsing the stylesheet registers the shipped fonts in that configuration, so keeping both saves
    reading and registering six font files on every render.
    """
    stamp = STYLESHEET.stat().st_mtime_ns
    cached = getattr(_local, "stylesheet", None)
    if cached is None or cached[0] != stamp:
        fetcher = StaticOnlyFetcher()
        fonts = FontConfiguration()
        stylesheet = CSS(
            string=STYLESHEET.read_text(encoding="utf-8"),
            base_url=STYLESHEET.as_uri(),
            url_fetcher=fetcher,
            font_config=fonts,
        )
        cached = _local.stylesheet = (stamp, stylesheet, fonts, fetcher)
    return cached[1], cached[2], cached[3]


def layout_html(html: str):
    """Lay out a final HTML string as the references are laid out (the WeasyPrint part of a render)."""
    stylesheet, fonts, fetcher = _stylesheet()
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=fonts
    )


def _layout(template_name: str, context: dict):
    return layout_html(render_to_string(template_name, context))


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes (A4 and fonts come from static/css/reference.css).

    When the context names a `cover_template` (a covering letter), the document is laid out first,
    then the letter with the document's real page count («Приложение: на N л.»), and the letter's
    pages are put in front: the attachment keeps its own page numbering, as a letter's attachment does.
    """
    document = _layout(template_name, context)
    cover_template = context.get("cover_template")
    if not cover_template:
        return _pdf_bytes(document)
    cover = _layout(cover_template, {**context, "attachment_pages": len(document.pages)})
    return _pdf_bytes(cover.copy(cover.pages + document.pages))
