"""The daily reminder job: directors of schools that have not submitted, 7 days before and on the deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from roadmaps.models import QuarterDeadline
from roadmaps.tasks import send_report_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(municipality):
    """Four schools of the registry in 2021-Q1: not started, draft, submitted, approved."""
    result = {}
    for key, status in (
        ("none", None),
        ("draft", "draft"),
        ("submitted", "submitted"),
        ("approved", "approved"),
        ("returned", "returned"),
    ):
        school = f.SchoolFactory(municipality=municipality)
        f.RegistryEntryFactory(school=school, academic_year=2020)
        director = f.user_with_role("director", school=school)
        if status:
            roadmap = f.RoadmapFactory(school=school, academic_year=2020)
            f.QuarterlyReportFactory(roadmap=roadmap, year=2021, quarter=1, status=status)
        result[key] = director
    QuarterDeadline.objects.create(region=municipality.region, year=2021, quarter=1, deadline=dt.date(2021, 4, 12))
    return result


def test_week_before_reminds_only_schools_that_have_not_submitted(schools):
    sent = send_report_reminders("2021-04-05")
    assert sent == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([schools["none"].email, schools["draft"].email, schools["returned"].email])
    assert mail.outbox[0].subject == "Через 7 дней срок сдачи отчёта за 1 квартал 2021 г."
    assert "12.04.2021" in mail.outbox[0].body


def test_on_the_deadline_and_only_once(schools):
    assert send_report_reminders("2021-04-12") == 3
    assert mail.outbox[0].subject == "Сегодня срок сдачи отчёта за 1 квартал 2021 г."
    assert send_report_reminders("2021-04-12") == 0  # the job ran twice: nobody is reminded twice
    assert len(mail.outbox) == 3


def test_other_days_send_nothing(schools):
    for day in ("2021-04-04", "2021-04-06", "2021-04-11", "2021-04-13"):
        assert send_report_reminders(day) == 0
    assert mail.outbox == []


def test_default_deadline_when_region_has_none(municipality):
    school = f.SchoolFactory(municipality=municipality)
    f.RegistryEntryFactory(school=school, academic_year=2020)
    director = f.user_with_role("director", school=school)
    # 2021-Q1 ends 31.03.2021; the default deadline is 10 days later, 10.04.2021.
    assert send_report_reminders("2021-04-03") == 1
    assert mail.outbox[0].to == [director.email]
    assert "10.04.2021" in mail.outbox[0].body
