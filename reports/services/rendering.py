"""Compute-and-render shared by the Celery task and `manage.py build_reference`: one code path."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from core.calendar import date_text, date_words
from core.numbers import percent

from ..document import charts, document_build
from ..document.pdf import render_pdf
from ..exports import ReferenceXlsxExporter
from ..models import ReferenceTemplate

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def verify_url(code: str) -> str:
    return settings.SITE_URL + reverse("verify", args=[code])


def verify_note() -> str:
    """Said after the verification link when SITE_URL is this computer (the `make run` demo): such a
    link opens nowhere else. Production requires a public SITE_URL (portal/settings.py)."""
    host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return "демонстрационный адрес: портал запущен на этом компьютере, ссылка открывается только на нём"
    return ""


def _paragraphs(text: str) -> list[str]:
    return [p.strip().replace("\n", " ") for p in (text or "").split("\n\n") if p.strip()]


def build_meta(
    *,
    doc: dict[str, Any],
    narrative: dict[str, Any],
    code: str | None,
    version: int | None,
    signature: dict[str, Any] | None,
    computed_on: str,
    precision: int = 2,
) -> dict[str, Any]:
    """Everything the PDF prints besides the data: code, QR, signature, letter requisites, charts."""
    sig = None
    if signature:
        sig = {
            "kind": signature["kind"],
            "position": signature["position"],
            "name": signature["name"],
            "date": date_text(signature["date"]),
            "number": signature["number"],
        }
    letter_date = signature["date"] if signature else narrative.get("outgoing_date")
    letter_number = signature["number"] if signature else narrative.get("outgoing_number")
    cover = _paragraphs(narrative.get("cover_text", "")) or [
        f"{doc['scope'].get('authority') or doc['scope']['name']} направляет "
        f"«{doc['title']}» за период {doc['period_text']} для использования в работе."
    ]
    meta: dict[str, Any] = {
        "code": code,
        "version": version,
        "signature": sig,
        "verify_url": verify_url(code) if code else "",
        "verify_note": verify_note() if code else "",
        "qr_svg": charts.qr_svg(verify_url(code)) if code else "",
        "computed_on": computed_on,
        "letter_date": date_text(letter_date) if letter_date else "",
        "letter_date_text": _letter_date_text(letter_date),
        "letter_number": letter_number or "",
        "doc_date_words": date_words(letter_date) if letter_date else "",
        "cover_paragraphs": cover,
        "charts": _charts(doc, precision),
    }
    return meta


def _letter_date_text(value: str | None) -> str:
    """«07» 07 2021 г., as the seed's attachment mark."""
    if not value:
        return "«____» ________ 20____ г."
    d = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"«{d.day:02d}» {d.month:02d} {d.year} г."


def _charts(doc: dict[str, Any], places: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if doc["template"] == ReferenceTemplate.PROGRAM_REPORT:
        result["results"] = [
            chart
            for block in doc.get("results", [])
            for chart in charts.results_charts(
                procedure=block["procedure"],
                label=block["label"],
                years=block["years"],
                subjects=block["subjects"],
                values=block["values"],
            )
        ]
    elif doc["template"] == ReferenceTemplate.ROADMAP_MONITORING and doc["total"]:
        labels, values = [], []
        for d in doc.get("directions", []):
            labels.append(d["name"])
            values.append(percent(len(d["school_ids"]), doc["total"], places))
        # pygal draws horizontal bars bottom-up: reverse to read in the catalogue's order.
        result["coverage"] = charts.coverage_chart(
            title="Доля ОО, реализующих хотя бы одно мероприятие направления, %",
            labels=labels[::-1],
            values=values[::-1],
            places=places,
        )
    return result


def outputs_build(
    *,
    snapshot: dict[str, Any],
    narrative: dict[str, Any],
    template: str,
    precision: int,
    code: str | None = None,
    version: int | None = None,
    signature: dict[str, Any] | None = None,
    computed_on: str = "",
    progress: Any = None,
) -> dict[str, Any]:
    """Build the document, render the PDF and the xlsx of the same tables.

    `progress(step, message)` is called between the stages (the task records it on its job row).
    """
    step = progress or (lambda *_: None)
    doc = document_build(snapshot=snapshot, narrative=narrative, template=template, precision=precision)
    meta = build_meta(
        doc=doc,
        narrative=narrative,
        code=code,
        version=version,
        signature=signature,
        computed_on=computed_on,
        precision=precision,
    )
    context = {"doc": doc, "meta": meta, "narrative": narrative}
    step(1, "Формирование PDF")
    template_name = f"reports/pdf/{template}.html"
    if narrative.get("cover_letter"):
        context["cover_template"] = "reports/pdf/cover.html"
    pdf = render_pdf(template_name, context)
    pages = getattr(pdf, "pages", 0) or _page_count(pdf)
    pdf = bytes(pdf)
    step(2, "Формирование XLSX")
    stem = f"spravka-{template}-{doc['scope']['code']}"
    _, _, xlsx = ReferenceXlsxExporter(doc=doc, filename_stem=stem).render({})
    return {"pdf": pdf, "xlsx": xlsx, "pages": pages, "doc": doc}


def _page_count(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
