"""The quarterly report journey in a real browser (Playwright + Debian Chromium, live server).

A director logs in, fills the report with an attachment and submits it; the methodist returns it with
a comment on a line; the director fixes it and resubmits; the methodist approves. Screenshots of each
step go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from core.calendar import current_quarter, quarter_academic_year, quarter_bounds
from roadmaps.models import Evidence, QuarterlyReport, ReportStatus
from tests import factories as f

from .conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page) -> None:
    page.click("text=Профиль")
    page.click("button:has-text('Выйти')")
    page.wait_for_url(re.compile(r".*/login/.*"))


def test_director_and_methodist_complete_the_report_cycle(page, live_server, login, shot, tmp_path):
    base = live_server.url
    year, quarter = current_quarter()
    region = f.RegionFactory(name="Белгородская область")
    municipality = f.MunicipalityFactory(region=region, name="Белгородский район")
    school = f.SchoolFactory(municipality=municipality, name="МОУ «Журавлевская СОШ»")
    director = f.UserFactory(
        username="dir.browser", last_name="Самойлова", first_name="Ольга", middle_name="Викторовна"
    )
    methodist = f.UserFactory(
        username="metod.browser", last_name="Ананьева", first_name="Юлия", middle_name="Валерьевна"
    )
    from core.models import Membership

    Membership.objects.create(user=director, role="director", school=school)
    Membership.objects.create(user=methodist, role="methodist", municipality=municipality)
    roadmap = f.RoadmapFactory(school=school, academic_year=quarter_academic_year(year, quarter), status="approved")
    start, end = quarter_bounds(year, quarter)
    f.ActivityFactory(roadmap=roadmap, activity_type=f.activity_type("teachers-09"), due_on=end)
    f.ActivityFactory(
        roadmap=roadmap,
        activity_type=f.activity_type("parents-01"),
        due_on=end,
        form="родительское собрание",
        responsible="Классные руководители",
    )
    attachment = tmp_path / "Приказ о проведении КПК.pdf"
    attachment.write_bytes(PDF_BYTES)
    today = timezone.localdate().strftime("%d.%m.%Y")

    # 1. The director logs in through the form and starts the quarter's report from the roadmap.
    login(page, live_server, "dir.browser")
    shot(page, "roadmaps-01-director-dashboard")
    page.click("text=Начать заполнение")
    page.click("button:has-text('Заполнить отчёт')")
    page.wait_for_url(re.compile(r".*/roadmaps/reports/\d+/$"))
    report = QuarterlyReport.objects.get(roadmap=roadmap)
    lines = list(report.lines.order_by("activity__direction__order", "activity__order", "activity_id"))
    assert len(lines) == 2

    # 2. Fills both lines (the second one «перенесено» needs a reason), attaches a PDF, submits.
    kpk, meeting = lines
    page.select_option(f"#id_line-{kpk.pk}-status", "done")
    page.fill(f"#id_line-{kpk.pk}-finished_on", today)
    page.fill(f"#id_line-{kpk.pk}-participants", "5")
    page.fill(f"#id_line-{kpk.pk}-result", "Курсы повышения квалификации прошли 5 педагогов.")
    page.set_input_files(f"#id_line-{kpk.pk}-files", str(attachment))
    assert page.is_hidden(f"#id_line-{meeting.pk}-reason")
    page.select_option(f"#id_line-{meeting.pk}-status", "postponed")
    assert page.is_visible(f"#id_line-{meeting.pk}-reason")  # shown by roadmaps.js for «перенесено»
    page.fill(f"#id_line-{meeting.pk}-reason", "Собрание перенесено из-за карантина.")
    shot(page, "roadmaps-02-director-fills-report")
    page.click("button:has-text('Отправить на проверку')")
    page.wait_for_selector("text=Отчёт отправлен на проверку методисту.")
    assert page.inner_text("#report-status") == "на проверке"
    assert page.is_visible("a:has-text('Приказ о проведении КПК.pdf')")
    shot(page, "roadmaps-03-director-submitted")
    _logout(page)

    # 3. The methodist finds it in the review queue and returns it with a comment on a line.
    login(page, live_server, "metod.browser")
    shot(page, "roadmaps-04-methodist-dashboard")
    page.click("text=На проверке:")
    page.click(f"text={school.name}")
    page.fill(f"#line-comment-{meeting.pk}", "Укажите новый срок проведения собрания.")
    shot(page, "roadmaps-05-methodist-review")
    page.click("button:has-text('Вернуть на доработку')")
    page.wait_for_selector("text=Отчёт возвращён на доработку.")
    assert page.inner_text("#report-status") == "возвращён на доработку"
    _logout(page)

    # 4. The director sees the comment next to the line, fixes it and resubmits.
    login(page, live_server, "dir.browser")
    page.click("text=Открыть отчёт")
    assert page.is_visible("text=Укажите новый срок проведения собрания.")
    shot(page, "roadmaps-06-director-sees-comment")
    page.fill(f"#id_line-{meeting.pk}-reason", "Собрание перенесено из-за карантина на 15 число следующего месяца.")
    page.click("button:has-text('Отправить на проверку')")
    page.wait_for_selector("text=Отчёт отправлен на проверку методисту.")
    assert page.inner_text("#report-status") == "на проверке"
    _logout(page)

    # 5. The methodist approves; the report is read-only and its history shows every step.
    login(page, live_server, "metod.browser")
    page.goto(f"{base}/roadmaps/reports/{report.pk}/")
    page.click("button:has-text('Утвердить отчёт')")
    page.wait_for_selector("text=Отчёт утверждён.")
    assert page.inner_text("#report-status") == "утверждён"
    assert page.is_visible("text=Отчёт утверждён и доступен только для чтения.")
    history = page.inner_text("#history")
    for step in ("Отправлен на проверку", "Возвращён на доработку", "Утверждён", "Загружен файл"):
        assert step in history
    shot(page, "roadmaps-07-methodist-approved")

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert list(report.transitions.values_list("action", flat=True)) == ["submit", "return", "submit", "approve"]
    assert Evidence.objects.get().line_id == kpk.pk
