"""The service-error contract: services raise `ValidationError({field: [messages]})` and one helper,
`core.forms.apply_service_errors`, puts each message at its field; every app's views use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.forms import apply_service_errors
from tests import factories as f


class _Form(forms.Form):
    name = forms.CharField()
    year = forms.IntegerField()


def _bound() -> _Form:
    form = _Form({"name": "Школа", "year": "2021"})
    assert form.is_valid()
    return form


def test_field_keyed_errors_land_at_their_fields():
    form = _bound()
    exc = ValidationError({"year": ["Год вне диапазона."], "name": ["Имя занято.", "И слишком короткое."]})
    assert apply_service_errors(form, exc) is True
    assert form.errors["year"] == ["Год вне диапазона."]
    assert form.errors["name"] == ["Имя занято.", "И слишком короткое."]
    assert form.non_field_errors() == []
    assert "year" not in form.cleaned_data


def test_whole_object_errors_and_unknown_fields_go_to_the_top():
    form = _bound()
    exc = ValidationError({NON_FIELD_ERRORS: ["Отчёт уже утверждён."], "deadline": ["Срок истёк."]})
    assert apply_service_errors(form, exc) is True
    assert form.non_field_errors() == ["Отчёт уже утверждён.", "Срок истёк."]
    assert set(form.errors) == {NON_FIELD_ERRORS}


def test_a_plain_message_goes_to_the_top_with_its_params():
    form = _bound()
    exc = ValidationError("Квартал %(q)s ещё не начался.", params={"q": 3})
    assert apply_service_errors(form, exc) is True
    assert form.non_field_errors() == ["Квартал 3 ещё не начался."]


def test_an_empty_error_applies_nothing():
    form = _bound()
    assert apply_service_errors(form, ValidationError([])) is False
    assert form.is_valid()


# --- one view per app: a service's refusal appears at the field it names ---------------------------
# (schools: tests/schools/test_views.py::test_registry_create_duplicate_year_shows_error_next_to_field)


def test_monitoring_duplicate_result_at_the_subject_field(client, director, school):
    f.AssessmentResultFactory(school=school, year=2021, procedure="vpr", subject="Русский язык", average="3.50")
    client.force_login(director)
    response = client.post(
        reverse("monitoring:result-create"),
        {"school": school.pk, "year": "2021", "procedure": "vpr", "subject": "русский язык", "average": "4"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["subject"] == [
        "«Предмет»: результат по предмету «русский язык» за 2021 год для этой процедуры уже внесён — измените его."
    ]
    assert form.non_field_errors() == []


def test_monitoring_future_visit_at_the_date_field(client, methodist, school):
    client.force_login(methodist)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = client.post(
        reverse("monitoring:visit-create"),
        {"school": school.pk, "date": tomorrow.strftime("%d.%m.%Y"), "visitors": "Методист", "purpose": "Помощь"},
    )
    assert response.status_code == 400
    assert "ещё не наступила" in response.context["form"].errors["date"][0]


def test_roadmaps_activity_service_error_at_its_field(client, director, school, monkeypatch):
    from roadmaps import services

    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    kind = f.activity_type("motivation-01")

    def refuse(**kwargs):
        raise ValidationError({"due_on": ["Срок вне учебного года дорожной карты."]})

    monkeypatch.setattr(services, "activity_save", refuse)
    client.force_login(director)
    response = client.post(
        reverse("roadmaps:activity-add", args=[roadmap.pk]),
        {"direction": kind.direction_id, "activity_type": kind.pk, "due_on": "15.03.2021"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == ["Срок вне учебного года дорожной карты."]


def test_reports_create_service_error_at_its_field(client, methodist, municipality, monkeypatch):
    from reports import services

    def refuse(**kwargs):
        raise ValidationError({"precision": ["Точность процентов — от 0 до 4 знаков после запятой."]})

    monkeypatch.setattr(services, "reference_create", refuse)
    client.force_login(methodist)
    response = client.post(
        reverse("reports:create"),
        {
            "template": "methodical-help",
            "scope": f"municipality:{municipality.code}",
            "date_from": "01.09.2020",
            "date_to": "31.05.2021",
            "precision": "2",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["precision"] == ["Точность процентов — от 0 до 4 знаков после запятой."]


def test_core_import_upload_refusal_at_the_file_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("portal:import-list"), {"file": SimpleUploadedFile("данные.xls", b"x", "application/vnd.ms-excel")}
    )
    assert response.context["form"].errors["file"] == [
        "Загрузите книгу Excel в формате .xlsx (файлы .xls и .csv не поддерживаются)."
    ]


def test_roadmaps_action_refusal_is_a_page_message(client, director, school):
    roadmap = f.RoadmapFactory(school=school, academic_year=2020)
    client.force_login(director)
    response = client.post(reverse("roadmaps:roadmap-action", args=[roadmap.pk, "submit"]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "В дорожной карте нет ни одного мероприятия — добавьте их перед отправкой."
    ]


@pytest.mark.parametrize("year", ["99999", "2014", str(10**30)])
def test_roadmap_for_an_out_of_range_year_is_refused(client, director, school, year):
    from roadmaps.models import Roadmap

    client.force_login(director)
    response = client.post(reverse("roadmaps:roadmap-create"), {"school": school.pk, "academic_year": year})
    assert response.status_code == 302
    assert not Roadmap.objects.exists()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Учебный год должен быть от 2015/2016 до ")
