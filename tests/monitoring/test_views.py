"""Every monitoring view: allowed / outsider 404 / wrong role 403 / wrong method 405, and what it does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from monitoring.models import AssessmentResult, Campaign, IndicatorValue, MethodicalVisit
from schools.models import School
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def campaign(municipality, school, methodist):
    c = Campaign.objects.create(
        name="Мониторинг методической помощи",
        region=municipality.region,
        municipality=municipality,
        period_from=dt.date(2020, 9, 1),
        period_to=dt.date(2021, 6, 30),
        deadline=TODAY + dt.timedelta(days=10),
        created_by=methodist,
    )
    c.indicators.set([f.indicator("teachers_trained"), f.indicator("contest_participants")])
    c.schools.set([school])
    return c


@pytest.fixture
def visit(school):
    return f.MethodicalVisitFactory(school=school, date=dt.date(2021, 3, 10))


@pytest.fixture
def result(school):
    return f.AssessmentResultFactory(school=school, year=2021, procedure="vpr", subject="Русский язык", average="3.50")


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


# --- indicators ----------------------------------------------------------------------------------


def test_indicator_catalogue_is_readable_by_everyone(client, director):
    response = _get(client, director, reverse("monitoring:indicator-list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "teachers_trained" in body
    assert "доля (числитель из знаменателя)" in body
    assert "число педагогов ОО" in body
    assert client.post(reverse("monitoring:indicator-list")).status_code == 405


# --- campaigns ------------------------------------------------------------------------------------


def test_campaign_list_is_scoped(client, campaign, methodist, outsider_methodist, django_assert_max_num_queries):
    client.force_login(methodist)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("monitoring:campaign-list"))
    assert "Мониторинг методической помощи" in response.content.decode()
    response = _get(client, outsider_methodist, reverse("monitoring:campaign-list"))
    assert "Мониторинг методической помощи" not in response.content.decode()
    assert client.post(reverse("monitoring:campaign-list")).status_code == 405


def test_campaign_create_defaults_to_registry_schools_of_the_scope(client, methodist, municipality, school):
    excluded = f.SchoolFactory(municipality=municipality)
    f.RegistryEntryFactory(school=school, academic_year=2020)
    data = {
        "name": "Мониторинг ПК",
        "area": f"municipality:{municipality.code}",
        "period_from": "2020-09-01",
        "period_to": "2021-06-30",
        "deadline": "2021-07-06",
        "indicators": [f.indicator("teachers_trained").pk],
    }
    response = _post(client, methodist, reverse("monitoring:campaign-create"), data)
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="Мониторинг ПК")
    assert list(campaign.schools.all()) == [school]
    assert excluded not in campaign.schools.all()
    assert campaign.municipality == municipality
    assert campaign.created_by == methodist


def test_campaign_create_rejects_scope_of_another_municipality(client, methodist, other_school):
    data = {
        "name": "Чужой",
        "area": f"municipality:{other_school.municipality.code}",
        "period_from": "2020-09-01",
        "period_to": "2021-06-30",
        "deadline": "2021-07-06",
        "indicators": [f.indicator("teachers_trained").pk],
    }
    response = _post(client, methodist, reverse("monitoring:campaign-create"), data)
    assert response.status_code == 400
    assert not Campaign.objects.filter(name="Чужой").exists()


def test_campaign_create_refuses_an_indicator_id_beyond_the_range(client, methodist, municipality):
    data = {
        "name": "Мониторинг ПК",
        "area": f"municipality:{municipality.code}",
        "period_from": "01.09.2020",
        "period_to": "30.06.2021",
        "deadline": "06.07.2021",
        "indicators": ["9" * 30],
        "schools": ["9" * 30],
    }
    response = _post(client, methodist, reverse("monitoring:campaign-create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["indicators"] == [f"Выберите корректный вариант. {'9' * 30} нет среди допустимых значений."]
    assert errors["schools"] == [  # a school the select did not offer (core.forms.offered_only)
        "«ОО»: выберите значение из списка. Организации в архиве и вне вашей зоны ответственности не выбираются."
    ]
    assert not Campaign.objects.exists()


def test_campaign_create_permissions(client, director, head, methodist):
    url = reverse("monitoring:campaign-create")
    assert _get(client, methodist, url).status_code == 200
    assert _get(client, director, url).status_code == 403
    assert _get(client, head, url).status_code == 403
    client.force_login(methodist)
    assert client.put(url).status_code == 405


def test_campaign_detail_permissions(client, campaign, methodist, head, director, outsider_methodist):
    url = reverse("monitoring:campaign-detail", args=[campaign.pk])
    response = _get(client, methodist, url)
    assert response.status_code == 200
    assert "0 из 2" in response.content.decode()
    assert _get(client, head, url).status_code == 200
    assert _get(client, outsider_methodist, url).status_code == 404
    assert _get(client, director, url).status_code == 403
    assert _post(client, methodist, url).status_code == 405


def test_director_enters_values_with_denominator_default(client, campaign, director, school):
    url = reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk])
    response = _get(client, director, url)
    assert response.status_code == 200
    assert 'value="17"' in response.content.decode()  # «из» defaults to the school's teachers
    t, c = f.indicator("teachers_trained"), f.indicator("contest_participants")
    response = client.post(url, {f"v{t.pk}": "11", f"d{t.pk}": "17", f"v{c.pk}": "2", f"c{c.pk}": "муниципальный этап"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(school=school, indicator=t)
    assert (value.value, value.denominator, value.campaign, value.entered_by) == (Decimal(11), 17, campaign, director)
    assert value.period_from == dt.date(2020, 9, 1) and value.period_to == dt.date(2021, 6, 30)
    assert IndicatorValue.objects.get(school=school, indicator=c).comment == "муниципальный этап"


@pytest.mark.parametrize(
    ("field", "value", "denominator", "message"),
    [
        ("teachers_trained", "18", "17", "18 больше, чем «Из» (17)"),
        ("teachers_trained", "2,5", "17", "нужно целое число, указано 2,5"),
        ("contest_participants", "-1", "", "не может быть отрицательным"),
        ("contest_participants", "1,5", "", "нужно целое число"),
        ("teachers_trained", "3", "0", "знаменатель должен быть больше нуля"),
        ("teachers_trained", "3", "18", "«Из»: 18 больше, чем число педагогов ОО (17)"),
        ("teachers_trained", "3", "9" * 30, "«Из»: не больше 1000000"),
        ("contest_participants", "1000001", "", "не больше 1000000, указано 1000001"),
    ],
)
def test_entry_rejects_bad_values_naming_the_field(
    client, campaign, director, school, field, value, denominator, message
):
    ind = f.indicator(field)
    other = f.indicator("contest_participants" if field == "teachers_trained" else "teachers_trained")
    data = {f"v{ind.pk}": value, f"d{ind.pk}": denominator, f"v{other.pk}": "1", f"d{other.pk}": "17"}
    response = _post(client, director, reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert ind.name in body or "из»" in body
    assert not IndicatorValue.objects.exists()  # nothing half-written


def test_numerator_above_school_teachers_by_default(client, campaign, director, school):
    school.teachers_count = 8
    school.save()
    t = f.indicator("teachers_trained")
    data = {f"v{t.pk}": "9", f"d{t.pk}": ""}
    response = _post(client, director, reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk]), data)
    assert response.status_code == 400
    assert "9 больше, чем «Из (по умолчанию — число педагогов ОО)» (8)" in response.content.decode()


def test_entry_permissions(
    client, campaign, school, director, methodist, head, curator, outsider_methodist, other_school
):
    url = reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk])
    assert _get(client, methodist, url).status_code == 200
    assert _get(client, outsider_methodist, url).status_code == 404
    assert _get(client, head, url).status_code == 403
    assert _get(client, curator, url).status_code == 403
    client.force_login(director)
    assert client.delete(url).status_code == 405
    other_director = f.user_with_role("director", school=other_school)
    assert _get(client, other_director, url).status_code == 404


def test_director_cannot_enter_after_deadline_but_methodist_can(client, campaign, director, methodist, school):
    campaign.deadline = TODAY - dt.timedelta(days=1)
    campaign.save()
    t = f.indicator("contest_participants")
    url = reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk])
    assert "Срок внесения истёк" in _get(client, director, url).content.decode()
    assert _post(client, director, url, {f"v{t.pk}": "1"}).status_code == 403
    assert _post(client, methodist, url, {f"v{t.pk}": "1"}).status_code == 302
    assert IndicatorValue.objects.get(indicator=t).entered_by == methodist


def test_clearing_a_value_deletes_it(client, campaign, director, school):
    c = f.indicator("contest_participants")
    f.IndicatorValueFactory(
        school=school, indicator=c, period_from=campaign.period_from, period_to=campaign.period_to, value=3
    )
    response = _post(
        client, director, reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk]), {f"v{c.pk}": ""}
    )
    assert response.status_code == 302
    assert not IndicatorValue.objects.exists()


def test_dashboard_panels_show_open_campaign_and_completeness(
    client, campaign, director, methodist, school, django_assert_max_num_queries
):
    f.IndicatorValueFactory(
        school=school,
        indicator=f.indicator("contest_participants"),
        period_from=campaign.period_from,
        period_to=campaign.period_to,
    )
    body = _get(client, director, reverse("portal:home")).content.decode()
    assert "Мониторинги: внесите показатели" in body
    assert "1 из 2" in body
    client.force_login(methodist)
    with django_assert_max_num_queries(40):
        body = client.get(reverse("portal:home")).content.decode()
    assert "Открытые мониторинги: заполнение по ОО" in body
    assert "частично" in body


# --- visits ----------------------------------------------------------------------------------------


def test_visit_list_permissions(client, visit, methodist, outsider_methodist, director, django_assert_max_num_queries):
    url = reverse("monitoring:visit-list")
    client.force_login(methodist)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "10.03.2021" in response.content.decode()
    assert "10.03.2021" not in _get(client, outsider_methodist, url).content.decode()
    assert "10.03.2021" in _get(client, director, url).content.decode()  # their own school, read-only
    assert _post(client, methodist, url).status_code == 405


def test_methodist_records_visit(client, methodist, school):
    data = {
        "school": school.pk,
        "date": "2021-03-10",
        "visitors": "Методист ММЦ",
        "purpose": "Адресная помощь",
        "outcome": "",
    }
    assert _post(client, methodist, reverse("monitoring:visit-create"), data).status_code == 302
    visit = MethodicalVisit.objects.get()
    assert (visit.school, visit.date, visit.recorded_by) == (school, dt.date(2021, 3, 10), methodist)
    assert visit.history.first().history_user == methodist


def test_visit_in_future_rejected(client, methodist, school):
    tomorrow = TODAY + dt.timedelta(days=1)
    data = {"school": school.pk, "date": tomorrow.isoformat(), "visitors": "Методист", "purpose": "Помощь"}
    response = _post(client, methodist, reverse("monitoring:visit-create"), data)
    assert response.status_code == 400
    assert "«Дата посещения»" in response.content.decode()
    assert not MethodicalVisit.objects.exists()


def test_visit_create_permissions(client, methodist, director, head, other_school):
    url = reverse("monitoring:visit-create")
    assert _get(client, methodist, url).status_code == 200
    assert _get(client, director, url).status_code == 403
    assert _get(client, head, url).status_code == 403
    data = {"school": other_school.pk, "date": "2021-03-10", "visitors": "М", "purpose": "П"}
    assert _post(client, methodist, url, data).status_code == 400  # another municipality's school is not a choice
    client.force_login(methodist)
    assert client.put(url).status_code == 405


def test_visit_edit_and_delete_permissions(client, visit, methodist, outsider_methodist, director):
    edit = reverse("monitoring:visit-edit", args=[visit.pk])
    delete = reverse("monitoring:visit-delete", args=[visit.pk])
    assert _get(client, methodist, edit).status_code == 200
    assert _get(client, outsider_methodist, edit).status_code == 404
    assert _get(client, director, edit).status_code == 403
    assert _post(client, outsider_methodist, delete).status_code == 404
    assert _post(client, director, delete).status_code == 403
    assert _get(client, methodist, delete).status_code == 405
    assert _post(client, methodist, delete).status_code == 302
    assert not MethodicalVisit.objects.exists()


def test_visit_correction_shows_its_values_and_changes_the_same_row(client, methodist, visit, school):
    edit = reverse("monitoring:visit-edit", args=[visit.pk])
    body = _get(client, methodist, edit).content.decode()
    assert "10.03.2021" in body and visit.purpose in body and visit.visitors in body
    data = {"school": school.pk, "date": "11.03.2021", "visitors": "Методист ММЦ", "purpose": "Консультация"}
    response = _post(client, methodist, edit, data)
    assert response.status_code == 302 and response.url == reverse("monitoring:visit-list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"Посещение {school.name} 11.03.2021 сохранено."]
    visit.refresh_from_db()
    assert (MethodicalVisit.objects.count(), visit.date, visit.purpose) == (1, dt.date(2021, 3, 11), "Консультация")


@pytest.mark.parametrize("kind", ["visit", "result"])
def test_an_archived_school_is_offered_for_a_correction_only(client, methodist, visit, result, school, kind):
    School.objects.filter(pk=school.pk).update(is_archived=True)
    record = visit if kind == "visit" else result
    option = f'value="{school.pk}"'
    assert option not in _get(client, methodist, reverse(f"monitoring:{kind}-create")).content.decode()
    assert option in _get(client, methodist, reverse(f"monitoring:{kind}-edit", args=[record.pk])).content.decode()


@pytest.mark.parametrize("kind", ["visit", "result"])
def test_a_new_record_starts_with_the_school_of_the_query(client, methodist, school, kind):
    url = reverse(f"monitoring:{kind}-create")
    assert _get(client, methodist, f"{url}?school={school.pk}").context["form"].initial == {"school": str(school.pk)}
    assert _get(client, methodist, f"{url}?school=x").context["form"].initial == {}


# --- results -----------------------------------------------------------------------------------------


def test_result_list_permissions(client, result, methodist, outsider_methodist, django_assert_max_num_queries):
    url = reverse("monitoring:result-list")
    client.force_login(methodist)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "3,5" in response.content.decode()
    assert "Русский язык" not in _get(client, outsider_methodist, url).content.decode()
    assert _post(client, methodist, url).status_code == 405


@pytest.mark.parametrize(
    ("procedure", "average", "ok"),
    [
        ("vpr", "5", True),
        ("vpr", "5,01", False),
        ("oge", "1,9", False),
        ("ege", "100", True),
        ("ege", "100,5", False),
        ("gve", "2", True),
        ("gve", "0", False),
    ],
)
def test_result_scale_per_procedure(client, director, school, procedure, average, ok):
    data = {"school": school.pk, "year": "2021", "procedure": procedure, "subject": "Математика", "average": average}
    response = _post(client, director, reverse("monitoring:result-create"), data)
    assert response.status_code == (302 if ok else 400)
    assert AssessmentResult.objects.exists() is ok
    if not ok:
        assert "«Средний балл»" in response.content.decode()
        assert "вне допустимых значений" in response.content.decode()


def test_result_duplicate_rejected(client, director, school, result):
    data = {"school": school.pk, "year": "2021", "procedure": "vpr", "subject": "русский язык", "average": "4"}
    response = _post(client, director, reverse("monitoring:result-create"), data)
    assert response.status_code == 400
    assert "уже внесён" in response.content.decode()


def test_result_edit_delete_permissions(client, result, director, methodist, outsider_methodist, head):
    edit = reverse("monitoring:result-edit", args=[result.pk])
    delete = reverse("monitoring:result-delete", args=[result.pk])
    assert _get(client, director, edit).status_code == 200
    assert _get(client, outsider_methodist, edit).status_code == 404
    assert _get(client, head, edit).status_code == 403
    assert _post(client, head, delete).status_code == 403
    assert _post(client, outsider_methodist, delete).status_code == 404
    assert _get(client, methodist, delete).status_code == 405
    assert _post(client, methodist, delete).status_code == 302
    assert not AssessmentResult.objects.exists()


def test_result_correction_shows_its_values_and_changes_the_same_row(client, director, result, school):
    edit = reverse("monitoring:result-edit", args=[result.pk])
    assert _get(client, director, edit).context["form"].initial == {
        "school": school,
        "year": 2021,
        "procedure": "vpr",
        "subject": "Русский язык",
        "average": Decimal("3.50"),
    }
    data = {"school": school.pk, "year": "2021", "procedure": "vpr", "subject": "Русский язык", "average": "4,1"}
    response = _post(client, director, edit, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('monitoring:result-list')}?school={school.pk}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Результат сохранён: {school.name}, ВПР 2021, Русский язык."
    ]
    result.refresh_from_db()
    assert (AssessmentResult.objects.count(), result.average) == (1, Decimal("4.10"))


# --- dynamics -----------------------------------------------------------------------------------------


def test_school_dynamics_page(client, school, director, outsider_methodist, django_assert_max_num_queries):
    for year, avg in ((2019, "3.84"), (2021, "3.20")):
        f.AssessmentResultFactory(school=school, year=year, procedure="oge", subject="Русский язык", average=avg)
    f.AssessmentResultFactory(school=school, year=2020, procedure="vpr", subject="Русский язык", average="3.33")
    url = reverse("monitoring:dynamics-school", args=[school.pk])
    client.force_login(director)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'title="Нет данных за 2020 год">–</span>' in body  # ОГЭ 2020 is missing: «–», not 0
    assert 'class="text-decline" title="Снижение по сравнению с 2019 г.: 3,84 → 3,2"' in body
    assert 'id="dynamics-data"' in body
    assert "js/monitoring-charts.js" in body
    assert _get(client, outsider_methodist, url).status_code == 404
    assert _post(client, director, url).status_code == 405


def test_municipality_dynamics_page(client, municipality, school, methodist, outsider_methodist, director):
    other = f.SchoolFactory(municipality=municipality)
    f.AssessmentResultFactory(school=school, year=2021, procedure="vpr", subject="Математика", average="3.50")
    f.AssessmentResultFactory(school=other, year=2021, procedure="vpr", subject="Математика", average="3.65")
    url = reverse("monitoring:dynamics-municipality", args=[municipality.pk])
    response = _get(client, methodist, url)
    assert response.status_code == 200
    assert "3,58" in response.content.decode()  # (3,50 + 3,65) / 2 = 3,575 → 3,58
    assert _get(client, outsider_methodist, url).status_code == 404
    assert _get(client, director, url).status_code == 403
    assert _post(client, methodist, url).status_code == 405


# --- school card ---------------------------------------------------------------------------------------


def test_school_card_lists_visits_and_links_dynamics(client, visit, methodist, school):
    response = _get(client, methodist, reverse("schools:school-detail", args=[school.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Методические посещения" in body
    assert "10.03.2021" in body
    assert reverse("monitoring:dynamics-school", args=[school.pk]) in body


def test_director_cannot_change_an_indicator_the_methodist_enters(client, campaign, director, methodist, school):
    c = f.indicator("contest_participants")
    c.entered_by = "methodist"
    c.save()
    url = reverse("monitoring:campaign-entry", args=[campaign.pk, school.pk])
    body = _get(client, director, url).content.decode()
    assert "вносит методист" in body
    response = client.post(url, {f"v{c.pk}": "4"})
    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(indicator=c).exists()  # the disabled field is ignored
    assert _post(client, methodist, url, {f"v{c.pk}": "4"}).status_code == 302
    assert IndicatorValue.objects.get(indicator=c).value == 4
