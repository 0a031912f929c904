"""The PDF renderer fetches nothing but the shipped fonts and images."""

from __future__ import annotations

import pytest
from django.conf import settings

from reports.document.pdf import ResourceRefused, StaticOnlyFetcher, render_pdf


def test_fetcher_serves_fonts_only():
    fetcher = StaticOnlyFetcher()
    font = (settings.BASE_DIR / "static" / "fonts" / "PTSerif-Regular.ttf").as_uri()
    assert fetcher.fetch(font).read()[:4] == b"\x00\x01\x00\x00"
    for url in (
        "http://example.org/logo.png",
        "https://127.0.0.1/",
        "ftp://example.org/x",
        "data:text/plain,x",
        (settings.BASE_DIR / "portal" / "settings.py").as_uri(),
        (settings.BASE_DIR / "static" / "fonts" / ".." / ".." / "portal" / "settings.py").as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_render_pdf_ignores_remote_resources(monkeypatch, tmp_path, settings):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "probe.html").write_text(
        '<html><body><img src="http://example.org/x.png"><img src="file:///etc/hostname">'
        "<p>Проверка шрифта: съешь же ещё этих мягких французских булок</p></body></html>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]
    pdf = render_pdf("probe.html", {})
    assert pdf.startswith(b"%PDF")
    import shutil
    import subprocess

    from tests.conftest import require_service

    require_service("poppler-utils (pdffonts)", shutil.which("pdffonts") is not None)
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "PTSerif" in fonts.replace("-", "")  # the shipped font is embedded
