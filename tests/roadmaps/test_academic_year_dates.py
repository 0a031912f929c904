"""Dates a director enters are bounded by the roadmap's span (01.07.Y – 31.08.Y+1: its academic year and
the quarters of its reports, Q3 of Y to Q2 of Y+1; issue 11),
not only by the portal's range: a report line's start and end dates (at the form and in the service)
and an activity's start and due dates. The refusal names the line and the field; nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import date_range
from roadmaps import services
from roadmaps.models import Activity, ActivityReport

pytestmark = pytest.mark.django_db


def _days(roadmap):
    """The roadmap's first and last day (the first day of its Q3 report, the last of its academic year),
    the day before and the day after."""
    y = roadmap.academic_year
    return dt.date(y, 7, 1), dt.date(y + 1, 8, 31), dt.date(y, 6, 30), dt.date(y + 1, 9, 1)


def test_the_edges_lie_inside_the_portals_range(roadmap):
    """So the refusals below are the academic year's, not the portal-wide range's."""
    first, last = date_range()
    for day in _days(roadmap):
        assert first <= day <= last


# Report lines: the service ---------------------------------------------------------------------------


def _save(report, user, line, **dates):
    report.refresh_from_db()
    services.report_save(report=report, user=user, version=report.version, lines={line.pk: dates})


def test_line_dates_on_the_years_edges_are_accepted(report, director):
    first, last, _before, _after = _days(report.roadmap)
    line = report.lines.order_by("pk").first()
    _save(report, director, line, started_on=first, finished_on=last)
    line.refresh_from_db()
    assert (line.started_on, line.finished_on) == (first, last)


@pytest.mark.parametrize(
    ("field", "which"), [("finished_on", "after"), ("started_on", "before"), ("finished_on", "before")]
)
def test_a_line_date_outside_the_year_is_refused_naming_line_and_field(report, director, field, which):
    roadmap = report.roadmap
    _first, _last, before, after = _days(roadmap)
    day = {"before": before, "after": after}[which]
    line = report.lines.order_by("pk").first()
    opened = report.version
    with pytest.raises(ValidationError) as exc:
        _save(report, director, line, **{field: day, "result": "Проведено"})
    (message,) = exc.value.messages
    label = {"started_on": "Дата начала", "finished_on": "Дата окончания"}[field]
    y = roadmap.academic_year
    assert message == (
        f"Строка «{line.activity.title[:80]}», поле «{label}»: {day:%d.%m.%Y} — вне сроков дорожной карты "
        f"на {y}/{y + 1} учебный год (01.07.{y}–31.08.{y + 1})."
    )
    line.refresh_from_db()
    assert getattr(line, field) is None and line.result == ""  # nothing written
    report.refresh_from_db()
    assert report.version == opened


# Report lines: the form ------------------------------------------------------------------------------


def _line_post(report, line, finished_on: str) -> dict:
    data = {"version": report.version, "action": "save"}
    for each in report.lines.all():
        p = f"line-{each.pk}"
        data |= {f"{p}-status": "done", f"{p}-result": "Проведено", f"{p}-participants": "5"}
        data |= {f"{p}-started_on": "", f"{p}-finished_on": finished_on if each.pk == line.pk else ""}
    return data


def test_the_report_form_refuses_the_first_of_september_of_the_next_year(client, report, director):
    _first, last, _before, after = _days(report.roadmap)
    line = report.lines.order_by("pk").first()
    client.force_login(director)
    url = reverse("roadmaps:report-detail", args=[report.pk])
    response = client.post(url, _line_post(report, line, f"{after:%d.%m.%Y}"))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"поле «Дата окончания»: {after:%d.%m.%Y} — вне" in html
    assert f"Строка «{line.activity.title[:80]}»" in html
    assert not ActivityReport.objects.filter(report=report, status="done").exists()
    response = client.post(url, _line_post(report, line, f"{last:%d.%m.%Y}"))
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.finished_on == last


# Activities ------------------------------------------------------------------------------------------


def test_activity_dates_on_the_years_edges_are_accepted(roadmap, director):
    first, last, _before, _after = _days(roadmap)
    activity = services.activity_save(
        roadmap=roadmap,
        user=director,
        data={
            "direction": roadmap.activities.first().direction,
            "title": "Круглый стол",
            "starts_on": first,
            "due_on": last,
        },
    )
    activity.refresh_from_db()
    assert (activity.starts_on, activity.due_on) == (first, last)


@pytest.mark.parametrize(("field", "which"), [("due_on", "after"), ("starts_on", "before"), ("due_on", "before")])
def test_an_activity_date_outside_the_year_is_refused_at_its_field(roadmap, director, field, which):
    first, last, before, after = _days(roadmap)
    day = {"before": before, "after": after}[which]
    data = {"direction": roadmap.activities.first().direction, "title": "Круглый стол", "due_on": last}
    if which == "before":
        data["starts_on"] = first
    data[field] = day
    if field == "due_on" and which == "before":
        data.pop("starts_on")
    count, version = roadmap.activities.count(), roadmap.version
    with pytest.raises(ValidationError) as exc:
        services.activity_save(roadmap=roadmap, user=director, data=data)
    label = {"starts_on": "Начало", "due_on": "Срок"}[field]
    y = roadmap.academic_year
    assert exc.value.message_dict == {
        field: [
            f"Поле «{label}»: {day:%d.%m.%Y} — вне сроков дорожной карты на {y}/{y + 1} учебный год "
            f"(01.07.{y}–31.08.{y + 1})."
        ]
    }
    assert roadmap.activities.count() == count
    roadmap.refresh_from_db()
    assert roadmap.version == version


def test_the_activity_form_refuses_a_due_date_in_the_next_year(client, roadmap, director):
    _first, last, _before, after = _days(roadmap)
    activity = roadmap.activities.order_by("pk").first()
    client.force_login(director)
    url = reverse("roadmaps:activity-edit", args=[roadmap.pk, activity.pk])
    post = {"version": activity.version, "direction": activity.direction_id, "title": "Семинар", "due_on": ""}
    response = client.post(url, {**post, "due_on": f"{after:%d.%m.%Y}"})
    assert response.status_code == 200
    assert f"Поле «Срок»: {after:%d.%m.%Y} — вне" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).due_on == activity.due_on
    response = client.post(url, {**post, "due_on": f"{last:%d.%m.%Y}"})
    assert response.status_code == 302
    assert Activity.objects.get(pk=activity.pk).due_on == last


def test_the_line_form_itself_refuses_a_date_outside_the_year(report):
    from roadmaps.forms import LineForm

    _first, last, before, after = _days(report.roadmap)
    line = report.lines.order_by("pk").first()
    p = f"line-{line.pk}"
    data = {f"{p}-started_on": f"{before:%d.%m.%Y}", f"{p}-finished_on": f"{after:%d.%m.%Y}"}
    form = LineForm(data, line=line, academic_year=report.roadmap.academic_year)
    assert not form.is_valid()
    assert "поле «Дата начала»" in form.errors["started_on"][0]
    assert "поле «Дата окончания»" in form.errors["finished_on"][0]
    data = {f"{p}-started_on": f"{last:%d.%m.%Y}", f"{p}-finished_on": f"{last:%d.%m.%Y}"}
    assert LineForm(data, line=line).is_valid()  # the year read from the line


def test_the_activity_form_itself_refuses_a_date_outside_the_year(roadmap):
    from roadmaps.forms import ActivityForm

    first, _last, before, _after = _days(roadmap)
    direction = roadmap.activities.first().direction_id
    data = {
        "direction": direction,
        "title": "Семинар",
        "starts_on": f"{before:%d.%m.%Y}",
        "due_on": f"{first:%d.%m.%Y}",
    }
    form = ActivityForm(data, roadmap=roadmap)
    assert not form.is_valid()
    assert list(form.errors) == ["starts_on"] and "Поле «Начало»" in form.errors["starts_on"][0]
    assert ActivityForm({**data, "starts_on": f"{first:%d.%m.%Y}"}, roadmap=roadmap).is_valid()


def test_a_q3_line_may_carry_july_dates(report, director):
    """A Q3 report (July–September of Y) belongs to the roadmap of Y/Y+1: its lines' July dates are its own."""
    y = report.roadmap.academic_year
    line = report.lines.order_by("pk").first()
    _save(report, director, line, started_on=dt.date(y, 7, 1), finished_on=dt.date(y, 8, 31))
    line.refresh_from_db()
    assert (line.started_on, line.finished_on) == (dt.date(y, 7, 1), dt.date(y, 8, 31))
