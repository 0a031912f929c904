"""`YYYY-Qn` periods in the roadmaps views: parsed by core.calendar; a bad value is refused in Russian
(the page shows the unfiltered data and says why), never a 500."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.calendar import current_quarter
from roadmaps.models import QuarterDeadline, ReportExportJob

HOSTILE = ["2026-Q9", "99999-Q1", "1" * 30 + "-Q1", "2014-Q4", "2021Q1", "2021-Q", "x" * 5000]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("period", HOSTILE)
def test_status_board_with_a_bad_period_shows_the_current_quarter_and_says_why(client, methodist, period):
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:status-board"), {"period": period})
    assert response.status_code == 200
    assert (response.context["year"], response.context["quarter"]) == current_quarter()
    [message] = _messages(response)
    assert message.startswith("Фильтр по кварталу не применён: ")


def test_status_board_names_the_reason(client, methodist):
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:status-board"), {"period": "2026-Q9"})
    assert _messages(response) == ["Фильтр по кварталу не применён: Квартал должен быть от 1 до 4."]


def test_status_board_takes_a_good_period(client, methodist):
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:status-board"), {"period": "2021-Q1"})
    assert (response.context["year"], response.context["quarter"], response.context["period"]) == (2021, 1, "2021-Q1")
    assert ("2021-Q1", "1 квартал 2021 г.") in response.context["periods"]
    assert "<title>Сдача отчётов за 1 квартал 2021 г." in response.content.decode()
    assert _messages(response) == []


@pytest.mark.parametrize("period", HOSTILE)
def test_report_list_with_a_bad_period_is_unfiltered(client, methodist, period):
    client.force_login(methodist)
    response = client.get(reverse("roadmaps:report-list"), {"period": period})
    assert response.status_code == 200
    assert any(m.startswith("Фильтр не применён") for m in _messages(response))


@pytest.mark.parametrize(
    "period, deadline, message",
    [
        ("2026-Q9", "05.04.2021", "Квартал должен быть от 1 до 4."),
        ("99999-Q1", "05.04.2021", "Год должен быть от 2015 до "),
        ("2021-Q1", "31.02.2021", "Укажите в поле «Срок сдачи» существующую дату в формате ДД.ММ.ГГГГ."),
        ("2021-Q1", "01.01.0001", "Дата в поле «Срок сдачи» должна быть от 01.09.2015 до "),
        ("2021-Q1", "01.01.2021", "Срок сдачи отчёта за 1 квартал 2021 г. должен быть не раньше 01.03.2021"),
        ("", "05.04.2021", "Обязательное поле."),
    ],
)
def test_deadline_form_refuses_bad_input_in_russian(client, coordinator, region, period, deadline, message):
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmaps:deadline-update"), {"region": region.pk, "period": period, "deadline": deadline}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("roadmaps:status-board"))
    assert any(m.startswith(message) for m in _messages(response)), _messages(response)
    assert not QuarterDeadline.objects.exists()


def test_deadline_accepts_iso_date_through_the_shared_date_field(client, coordinator, region):
    client.force_login(coordinator)
    response = client.post(
        reverse("roadmaps:deadline-update"), {"region": region.pk, "period": "2021-Q1", "deadline": "2021-04-05"}
    )
    assert response["Location"] == reverse("roadmaps:status-board") + "?period=2021-Q1"
    assert QuarterDeadline.objects.get().deadline.isoformat() == "2021-04-05"
    assert _messages(response) == ["Срок сдачи отчётов за 1 квартал 2021 г. (" + region.name + "): 05.04.2021."]


@pytest.mark.parametrize(
    "period_from, message",
    [
        ("99999-Q1", "Год начала периода должен быть от 2015 до "),
        ("1" * 30 + "-Q1", "Квартал начала периода должен быть в формате 2021-Q1"),
        ("2014-Q1", "Год начала периода должен быть от 2015 до "),
    ],
)
def test_export_refuses_an_out_of_range_period(client, methodist, period_from, message):
    client.force_login(methodist)
    response = client.post(reverse("roadmaps:report-export"), {"period_from": period_from, "period_to": "2021-Q1"})
    assert response.status_code == 302
    assert any(m.startswith(message) for m in _messages(response)), _messages(response)
    assert not ReportExportJob.objects.exists()
