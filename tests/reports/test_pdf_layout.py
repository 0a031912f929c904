"""Page layout of the references: laid out by WeasyPrint with the real stylesheet and table markup, then
read page by page with pypdf. The content starts lower and lower on the first page, so that every
page break falls once at each place a rule is about (docs/reference-layout.md)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from reports.document.pdf import STYLESHEET, layout_html
from reports.document.text import Table, _h
from reports.templatetags.reference_tags import NBSP, nobreak

FOOTER = re.compile(r"^Страница \d+ из \d+$")
PAGE = 259  # mm of A4 between the margins of reference.css


def _offsets(content_mm: int, step: int = 4) -> range:
    """Blank space before a block about `content_mm` tall so that the page ends at each place inside it."""
    return range(PAGE - content_mm - step, PAGE, step)


def _pages(body: str) -> list[list[str]]:
    """The text lines of each page (page footers left out), as pypdf reads them."""
    html = f'<!doctype html><html lang="ru"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    reader = PdfReader(io.BytesIO(layout_html(html).write_pdf()))
    pages = []
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines()]
        pages.append([line for line in lines if line and not FOOTER.match(line)])
    return pages


def _spacer(mm: int) -> str:
    return f'<div style="height: {mm}mm"></div>'


def _table(rows: int, *, total: bool = True, **kw) -> str:
    table = Table(
        key="t",
        title="",
        head=[[_h("Наименование ОО"), _h("Количество участников")]],
        rows=[[f"Строка{n:02d}", str(n)] for n in range(1, rows + 1)],
        foot=[["Всего", str(rows)]] if total else [],
        **kw,
    )
    return render_to_string("reports/pdf/_table.html", {"table": table})


def _count(page: list[str], word: str) -> int:
    return sum(line.count(word) for line in page)


@pytest.mark.parametrize("rows", [2, 3, 12])
def test_no_page_holds_a_single_row_and_the_total_keeps_two(rows):
    for offset in _offsets(6 * (rows + 2)):
        pages = _pages(_spacer(offset) + _table(rows))
        with_rows = [p for p in pages if _count(p, "Строка")]
        assert sum(_count(p, "Строка") for p in with_rows) == rows
        for page in with_rows:
            assert _count(page, "Строка") >= 2, (offset, pages)
            assert _count(page, "Наименование ОО") == 1, (offset, pages)  # the header repeats on every page
        (last,) = [p for p in pages if _count(p, "Всего")]
        assert _count(last, "Строка") >= 2, (offset, pages)


def test_a_heading_is_never_the_last_thing_on_a_page():
    body = (
        '<h2 class="block">Блок 2. Реализация мероприятий</h2>'
        '<p class="note">Учтены только утверждённые отчёты.</p>'
        '<div class="school-heading"><b>Наименование ОО 1:</b> МОУ «Альфа СОШ»</div>' + _table(4, total=False)
    )
    for offset in _offsets(45):
        pages = _pages(_spacer(offset) + body)
        for page in pages:
            if page and any(heading in page[-1] for heading in ("Блок 2", "Учтены только", "Наименование ОО 1")):
                pytest.fail(f"a heading ends the page at {offset} mm: {pages}")
        (first,) = [p for p in pages if _count(p, "Блок 2")]
        assert _count(first, "Строка") >= 2, (offset, pages)


def test_words_break_only_at_dictionary_hyphens_and_quarters_stay_whole():
    table = Table(
        key="contests",
        title="",
        head=[[_h("ОО"), _h("Региональный этап"), _h("Муниципальный этап"), _h("Сроки проведения")]],
        rows=[["МОУ «Малиновская ООШ» (здание с. Петровка)", "1", "0", "2 квартал 2021 г."]],
        widths=[70, 10, 10, 10],
    )
    pages = _pages(render_to_string("reports/pdf/_table.html", {"table": table}))
    text = "\n".join(line for page in pages for line in page)
    assert "Муниципальны\nй" not in text and "Региональны\nй" not in text
    # The narrow column does break the words, but where the Russian dictionary allows it, with a hyphen.
    words = re.sub(r"[-\u2010\u00ad]\n", "", text)
    assert "Муниципальный" in words and "Региональный" in words
    assert re.search(r"[А-Яа-я][-\u2010]\n[а-я]", text), text
    # «2 квартал 2021 г.» wraps in its narrow column, but never between a number and its word.
    assert f"2021{NBSP}г." in text and f"2{NBSP}квар" in text, text


def test_the_signature_never_stands_alone_on_the_last_page():
    signoff = render_to_string(
        "reports/pdf/_signoff.html",
        {"narrative": {"author_name": "Ю.В. Ананьева", "author_position": "методист"}, "meta": {"computed_on": "1"}},
    )
    paragraph = "<p>" + " ".join(["Рекомендации методического объединения учителей школы"] * 12) + "</p>"
    for offset in _offsets(70, step=5):
        pages = _pages(_spacer(offset) + paragraph + signoff)
        last = pages[-1]
        assert _count(last, "Ананьева") == 1 and _count(last, "Проект документа") == 1, (offset, pages)
        # At least two lines of the text come along with the signature and the verification note.
        signature = next(i for i, line in enumerate(last) if "Методист" in line or "Ананьева" in line)
        assert signature >= 2, (offset, pages)


def test_the_stylesheet_hyphenates_by_dictionary_and_keeps_rows_and_headings():
    css = STYLESHEET.read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # the rules, not the comments that explain them
    assert "overflow-wrap" not in rules and "word-break" not in rules
    assert re.search(r"html \{[^}]*hyphens: auto", rules)
    assert re.search(r"table\.data thead \{[^}]*display: table-header-group", rules)
    assert re.search(r"table\.data tr \{[^}]*break-inside: avoid", rules)
    assert re.search(r"table\.data tr\.first \{[^}]*break-after: avoid", rules)
    assert re.search(r"table\.data tr\.last \{[^}]*break-before: avoid", rules)
    assert re.search(r"table\.data tr\.total \{[^}]*break-before: avoid", rules)
    assert re.search(r"h1, h2, h3 \{[^}]*break-after: avoid", rules)
    templates = Path(settings.BASE_DIR) / "templates" / "reports" / "pdf"
    for name in ("base.html", "cover.html"):
        assert '<html lang="ru">' in (templates / name).read_text(encoding="utf-8")


def test_nobreak_ties_numbers_to_their_words():
    assert nobreak("2 квартал 2021 г.") == f"2{NBSP}квартал 2021{NBSP}г."
    assert nobreak("в 2020–2021 гг. и 5 чел., № 7") == f"в 2020–2021{NBSP}гг. и 5{NBSP}чел., №{NBSP}7"
    assert nobreak("11.01.2021 – 31.05.2021") == "11.01.2021 – 31.05.2021"
    assert nobreak(None) == ""


def test_first_and_last_rows_are_marked():
    html = _table(3)
    assert '<tr class="first">' in html and '<tr class="last">' in html and '<tr class="total">' in html
    assert '<tr class="first last">' in _table(1)


HEADINGS = re.compile(
    r"^(Блок \d|Наименование ОО \d+:|Выводы:|Рекомендации:|Адресные рекомендации|Анализ эффективности"
    r"|Динамика результатов|Сводные данные|Задачи:|Результаты анализа:|Управленческие решения:)"
)


@pytest.mark.parametrize("template", ["methodical-help", "roadmap-monitoring", "program-report"])
def test_a_whole_reference_reads_page_by_page(template, make_reference, methodist, django_capture_on_commit_callbacks):
    from reports import services
    from reports.models import ReferenceVersion

    with django_capture_on_commit_callbacks(execute=True):
        version = services.reference_generate(reference=make_reference(template), user=methodist)
    version = ReferenceVersion.objects.get(pk=version.pk)
    assert version.job.status == "done", version.job.message
    reader = PdfReader(io.BytesIO(bytes(version.pdf)))
    for number, page in enumerate(reader.pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not FOOTER.match(line) and line not in ("ПРОЕКТ",)]
        body = [line for line in body if not line.startswith(("Код проверки", "Без кода проверки"))]
        text = "\n".join(body)
        assert not re.search(r"[а-яё]\n[йьъ]\b", text), (number, text)  # «Муниципальны|й»
        assert not re.search(r"\d\n(г\.|гг\.|квартал)", text), (number, text)
        if number < len(reader.pages):
            assert not HEADINGS.match(body[-1]), (number, body[-1])
    if template == "methodical-help":  # the contests table's narrow «Муниципальный этап» column
        whole = "\n".join(page.extract_text() for page in reader.pages)
        assert "Муниципальный этап" in re.sub(r"[-\u2010]\n", "", whole).replace("\n", " ")
