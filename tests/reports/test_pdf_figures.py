"""The figures printed in the PDFs equal hand-computed values for the edge-case scope of conftest."""

from __future__ import annotations

import pytest

from reports import services
from reports.document import SECTION_TITLES
from reports.models import ReferenceVersion

from .conftest import pdf_text, squash


def _render(reference, user, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        version = services.reference_generate(reference=reference, user=user)
    version = ReferenceVersion.objects.get(pk=version.pk)
    assert version.job.status == "done", version.job.message
    return pdf_text(bytes(version.pdf))


def test_methodical_help_figures(make_reference, methodist, django_capture_on_commit_callbacks):
    text = _render(make_reference("methodical-help"), methodist, django_capture_on_commit_callbacks)
    # Three in scope (Альфа, Бета, Вега excluded mid-period); covered: Альфа and Вега (visit or done line).
    assert squash("охваченных методической работой — 2 (66,67%)") in text
    assert squash("со школами-лидерами — 1 (33,33%)") in text  # Бета's partnership ended before the period
    assert squash("адресная методическая помощь — 2 (66,67%)") in text
    assert squash("МОУ «Альфа СОШ» 01.12.2020, 08.06.2021 100,00") in text
    assert squash("МОУ «Бета ООШ» посещений не было 0,00") in text  # the 02.07.2021 visit is after the period
    assert squash("МОУ «Вега СОШ» 10.03.2021 100,00") in text
    assert squash("11/17 64,71") in text
    assert squash("3/8 37,50") in text  # no denominator stored: the school's 8 teachers
    assert squash("Всего 14/25 56,00") in text
    assert squash("5 29,41") in text  # ИОТ: 5 of 17 teachers
    assert squash("Всего 9 1 1 0") in text  # contests: 2 + 7 participants
    # One report is not approved: the author is told on the page, the signed text says nothing.
    assert squash("Не утверждено") not in text
    for outsider in ("Лидер лицей", "Прежняя СОШ", "Чужая СОШ"):
        assert outsider not in text


def test_roadmap_monitoring_coverage_per_type(make_reference, methodist, django_capture_on_commit_callbacks):
    text = _render(make_reference("roadmap-monitoring"), methodist, django_capture_on_commit_callbacks)
    # Курсы ПК: Альфа (2021-Q1) and Вега (2021-Q2); Бета's line is in a submitted report.
    assert squash("курсы повышения квалификации – 2 (66,67%)") in text
    # Мастер-классы: only Альфа; Вега's is in 2021-Q3, outside the period.
    assert squash("проведение мастер-классов, открытых уроков – 1 (33,33%)") in text
    assert squash("диагностика профессиональных дефицитов – 0 (0,00%)") in text
    assert squash("1) МОУ «Альфа СОШ» 2) МОУ «Бета ООШ» 3) МОУ «Вега СОШ»") in text


def test_program_report_blocks(make_reference, methodist, django_capture_on_commit_callbacks):
    text = _render(make_reference("program-report"), methodist, django_capture_on_commit_callbacks)
    assert squash("Общее количество ОО в муниципальном районе: 5") in text
    assert squash("муниципальном районе: 3 (ШНОР — 2, ШФНСУ — 1)") in text
    assert squash("1. МОУ «Альфа СОШ» – – 3,58 3,4 3,33 3,66") in text
    assert squash("Курсы «Школа современного учителя» 10.02.2021 – 12.02.2021 Проведено, протокол") in text
    assert squash("Курсы ПК по ФГОС 10.05.2021 – 12.05.2021 Проведено, протокол") in text
    assert squash("Проведение мастер-классов, открытых уроков") not in text  # Вега, 2021-Q3
    assert squash("МОУ «Бета ООШ» Утверждённых отчётов о мероприятиях за период нет.") in text
    assert squash("МОУ «Вега СОШ» 15.03.2021 Стабильные результаты ВПР и ОГЭ в течение трёх лет.") in text
    assert squash("Исключена по итогам 2019/2020") not in text  # excluded before the period


def test_precision_is_a_setting_of_the_reference(make_reference, methodist, django_capture_on_commit_callbacks):
    text = _render(make_reference("methodical-help", precision=1), methodist, django_capture_on_commit_callbacks)
    assert squash("охваченных методической работой — 2 (66,7%)") in text
    assert squash("11/17 64,7 ") in text
    assert squash("3/8 37,5 ") in text


@pytest.mark.parametrize("template", list(SECTION_TITLES))
def test_sections_follow_the_seed_order(template, make_reference, methodist, django_capture_on_commit_callbacks):
    reference = make_reference(template)
    services.reference_update(
        reference=reference,
        user=methodist,
        data={"conclusions": "Вывод один", "remarks": "Замечание один", "decisions": "Решение один"},
        recommendations=[
            {"addressee": "Директору МОУ «Альфа СОШ»", "text": "провести семинар.", "deadline": "до 01.09.2021"}
        ],
    )
    text = _render(reference, methodist, django_capture_on_commit_callbacks)
    positions = []
    for title in SECTION_TITLES[template]:
        assert squash(title) in text, title
        positions.append(text.index(squash(title)))
    assert positions == sorted(positions), list(zip(SECTION_TITLES[template], positions, strict=True))


def test_region_reference_consolidates_municipalities(scenario, coordinator, django_capture_on_commit_callbacks):
    from reports.services import reference_create

    from .conftest import PERIOD

    reference = reference_create(
        user=coordinator,
        template="methodical-help",
        scope_kind="region",
        scope_code=scenario["region"].code,
        date_from=PERIOD[0],
        date_to=PERIOD[1],
    )
    text = _render(reference, coordinator, django_capture_on_commit_callbacks)
    assert squash("Сводные данные по муниципальным образованиям") in text
    name = scenario["municipality"].name
    assert squash(f"{name} 3 2 (66,67%) 1 (33,33%) 2 (66,67%)") in text
    assert squash("Итого по региону 3 2 (66,67%) 1 (33,33%) 2 (66,67%)") in text
