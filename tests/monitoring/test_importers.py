"""Workbook sheets Показатели, Результаты, Посещения: same validation as the forms, atomic, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.workbook import run_import
from monitoring.models import AssessmentResult, IndicatorValue, MethodicalVisit
from tests import factories as f

VALUES = ("Код ОО", "Период с", "Период по", "Показатель", "Значение", "Из", "Комментарий")
RESULTS = ("Код ОО", "Год", "Процедура", "Предмет", "Средний балл")
VISITS = ("Код ОО", "Дата", "Цель", "Участники", "Результат")


def book(**sheets) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    names = {"values": ("Показатели", VALUES), "results": ("Результаты", RESULTS), "visits": ("Посещения", VISITS)}
    for key, rows in sheets.items():
        title, header = names[key]
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def bel(municipality):
    return f.SchoolFactory(municipality=municipality, code="BEL-01", teachers_count=17)


def test_values_results_and_visits_import(bel):
    content = book(
        values=[
            ("BEL-01", "01.09.2020", "30.06.2021", "teachers_trained", 11, 17, ""),
            ("BEL-01", "01.09.2020", "30.06.2021", "teachers_iot", 5, None, "ИОТ"),
            ("BEL-01", "01.09.2020", "30.06.2021", "Участники конкурсов профессионального мастерства", "0", None, None),
        ],
        results=[
            ("BEL-01", 2019, "ЕГЭ", "Математика (базовая)", "3,2"),
            ("BEL-01", 2019, "ege", "Математика (профильная)", 50),
            ("BEL-01", 2021, "ГВЭ", "Русский язык", 3.5),
        ],
        visits=[("BEL-01", "01.12.2020", "Адресная методическая помощь", "Методисты ММЦ, куратор", "")],
    )
    result = run_import(content, by_command=True)
    assert result.ok, result.error_lines()
    trained = IndicatorValue.objects.get(indicator__code="teachers_trained")
    assert (trained.value, trained.denominator) == (Decimal(11), 17)
    iot = IndicatorValue.objects.get(indicator__code="teachers_iot")
    assert iot.denominator == 17  # defaults to the school's teachers
    assert IndicatorValue.objects.get(indicator__code="contest_participants").value == 0
    assert AssessmentResult.objects.get(subject="Математика (базовая)").average == Decimal("3.2")
    assert AssessmentResult.objects.get(procedure="gve").average == Decimal("3.5")
    assert MethodicalVisit.objects.get().date == dt.date(2020, 12, 1)
    # Re-importing the same file changes nothing.
    again = run_import(content, by_command=True)
    assert again.ok and again.created == 0 and again.updated == 0
    assert IndicatorValue.objects.count() == 3 and AssessmentResult.objects.count() == 3
    assert MethodicalVisit.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        (("BEL-01", "01.09.2020", "30.06.2021", "teachers_trained", 18, 17, ""), "E2", "18 больше, чем «Из» (17)"),
        (("BEL-01", "01.09.2020", "30.06.2021", "teachers_trained", 18, None, ""), "E2", "18 больше"),
        (
            ("BEL-01", "01.09.2020", "30.06.2021", "teachers_trained", 3, 0, ""),
            "F2",
            "знаменатель должен быть больше нуля",
        ),
        (("BEL-01", "01.09.2020", "30.06.2021", "contest_participants", "1,5", None, ""), "E2", "нужно целое число"),
        (
            ("BEL-01", "01.09.2020", "30.06.2021", "contest_participants", -2, None, ""),
            "E2",
            "не может быть отрицательным",
        ),
        (("BEL-01", "01.09.2020", "30.06.2021", "contest_participants", 2, 5, ""), "F2", "не доля"),
        (("BEL-01", "30.06.2021", "01.09.2020", "contest_participants", 2, None, ""), "C2", "раньше"),
        (("BEL-01", "01.09.2020", "30.06.2021", "нет такого", 2, None, ""), "D2", "не совпадает ни с одной записью"),
        (("XXX", "01.09.2020", "30.06.2021", "contest_participants", 2, None, ""), "A2", "не найдена"),
    ],
)
def test_bad_value_rows_are_named_and_nothing_is_written(bel, row, cell, message):
    good = ("BEL-01", "01.09.2020", "30.06.2021", "experience_bank", 0, None, "")
    result = run_import(
        book(values=[row, good], visits=[("BEL-01", "01.12.2020", "Цель", "Методист", "")]), by_command=True
    )
    assert not result.ok
    text = "\n".join(result.error_lines())
    assert f"Показатели!{cell}" in text, text
    assert message in text
    assert not IndicatorValue.objects.exists() and not MethodicalVisit.objects.exists()


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        (("BEL-01", 2021, "ВПР", "Математика", "5,5"), "E2", "шкала ВПР: от 2 до 5"),
        (("BEL-01", 2021, "ОГЭ", "Математика", 1), "E2", "шкала ОГЭ"),
        (("BEL-01", 2021, "ЕГЭ", "Математика (профильная)", 101), "E2", "шкала ЕГЭ: от 0 до 100"),
        (("BEL-01", 2021, "ГВЭ", "Русский язык", 0), "E2", "шкала ГВЭ"),
        (("BEL-01", 2021, "ПИСА", "Математика", 3), "C2", "недопустимое значение"),
        (("BEL-01", 2099, "ВПР", "Математика", 3), "B2", "«Год»"),
    ],
)
def test_bad_result_rows(bel, row, cell, message):
    result = run_import(book(results=[row]), by_command=True)
    text = "\n".join(result.error_lines())
    assert f"Результаты!{cell}" in text, text
    assert message in text
    assert not AssessmentResult.objects.exists()


def test_repeated_result_row_is_an_error(bel):
    rows = [("BEL-01", 2021, "ВПР", "Математика", 3), ("BEL-01", 2021, "впр", " математика ", 4)]
    text = "\n".join(run_import(book(results=rows), by_command=True).error_lines())
    assert "Результаты!D3" in text and "повторяет строку 2" in text


def test_future_visit_is_rejected(bel):
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).strftime("%d.%m.%Y")
    text = "\n".join(
        run_import(book(visits=[("BEL-01", tomorrow, "Цель", "Методист", "")]), by_command=True).error_lines()
    )
    assert "Посещения!B2" in text and "ещё не наступила" in text


def test_methodist_cannot_import_for_another_municipality(bel, other_school, methodist):
    rows = [(other_school.code, 2021, "ВПР", "Математика", 3)]
    text = "\n".join(run_import(book(results=rows), user=methodist).error_lines())
    assert "Результаты!A2" in text and "вне вашей зоны ответственности" in text
    ok = run_import(book(results=[("BEL-01", 2021, "ВПР", "Математика", 3)]), user=methodist)
    assert ok.ok, ok.error_lines()
