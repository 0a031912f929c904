"""Every schools page: the allowed user succeeds, an outsider gets 404, a read-only role 403, the
wrong method 405; lists and the card stay within a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from schools.models import CuratorAssignment, LowResultCause, PartnerAssignment, RegistryEntry, RiskProfileEntry
from schools.selectors.directory import risk_factors_for_year
from tests import factories as f

# --- Fixtures -------------------------------------------------------------------------------


def objects_of(school):
    """Per-school objects the edit views act on."""
    entry = f.RegistryEntryFactory(school=school)
    curator = f.CuratorAssignmentFactory(school=school, full_name="Артемьева О.Ю.")
    leader = f.SchoolFactory(municipality=school.municipality, is_leader=True)
    partner = f.PartnerAssignmentFactory(school=school, leader=leader)
    cause = LowResultCause.objects.create(school=school, year=2021, description="Низкая мотивация обучающихся")
    return {"entry": entry, "curator": curator, "partner": partner, "cause": cause, "school": school}


EDIT_VIEWS = [
    ("schools:registry-create", lambda o: [o["school"].pk]),
    ("schools:registry-edit", lambda o: [o["entry"].pk]),
    ("schools:school-exclude", lambda o: [o["school"].pk]),
    ("schools:curator-assign", lambda o: [o["school"].pk]),
    ("schools:curator-unassign", lambda o: [o["curator"].pk]),
    ("schools:partner-assign", lambda o: [o["school"].pk]),
    ("schools:partner-end", lambda o: [o["partner"].pk]),
    ("schools:risk-profile-edit", lambda o: [o["school"].pk, 2021]),
    ("schools:cause-create", lambda o: [o["school"].pk]),
    ("schools:cause-edit", lambda o: [o["cause"].pk]),
    ("schools:cause-delete", lambda o: [o["cause"].pk]),
]
EDIT_IDS = [name for name, _ in EDIT_VIEWS]


@pytest.fixture
def own(school):
    return objects_of(school)


@pytest.fixture
def foreign(other_school):
    return objects_of(other_school)


# --- Edit views: permission matrix ----------------------------------------------------------


@pytest.mark.parametrize(("name", "args"), EDIT_VIEWS, ids=EDIT_IDS)
@pytest.mark.parametrize("editor", ["methodist", "coordinator", "admin_user"])
def test_edit_view_allowed_for_editors(client, request, own, name, args, editor):
    client.force_login(request.getfixturevalue(editor))
    response = client.get(reverse(name, args=args(own)))
    assert response.status_code == 200
    assert "<form" in response.content.decode()


@pytest.mark.parametrize(("name", "args"), EDIT_VIEWS, ids=EDIT_IDS)
def test_edit_view_outsider_gets_404(client, methodist, foreign, name, args):
    client.force_login(methodist)
    assert client.get(reverse(name, args=args(foreign))).status_code == 404
    assert client.post(reverse(name, args=args(foreign))).status_code == 404


@pytest.mark.parametrize(("name", "args"), EDIT_VIEWS, ids=EDIT_IDS)
@pytest.mark.parametrize("reader", ["director", "curator", "head"])
def test_edit_view_read_only_role_gets_403(client, request, own, name, args, reader):
    client.force_login(request.getfixturevalue(reader))
    assert client.get(reverse(name, args=args(own))).status_code == 403
    assert client.post(reverse(name, args=args(own))).status_code == 403


@pytest.mark.parametrize(("name", "args"), EDIT_VIEWS, ids=EDIT_IDS)
def test_edit_view_wrong_method_gets_405(client, methodist, own, name, args):
    client.force_login(methodist)
    assert client.put(reverse(name, args=args(own))).status_code == 405


@pytest.mark.parametrize(("name", "args"), EDIT_VIEWS, ids=EDIT_IDS)
def test_edit_view_requires_login(client, own, name, args):
    response = client.get(reverse(name, args=args(own)))
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_methodist_of_another_municipality_in_region_gets_404(client, school):
    neighbour = f.MunicipalityFactory(region=school.municipality.region)
    client.force_login(f.user_with_role("methodist", municipality=neighbour))
    assert client.get(reverse("schools:registry-create", args=[school.pk])).status_code == 404


# --- Edit views: behaviour ------------------------------------------------------------------


def test_registry_create_posts_and_records_history_user(client, methodist, school):
    client.force_login(methodist)
    response = client.post(
        reverse("schools:registry-create", args=[school.pk]),
        {"academic_year": 2021, "category": "shfnsu", "basis": "Соцусловия", "included_on": "01.09.2021"},
    )
    assert response.status_code == 302
    entry = RegistryEntry.objects.get(school=school)
    assert (entry.academic_year, entry.category, entry.included_on) == (2021, "shfnsu", dt.date(2021, 9, 1))
    assert entry.history.get().history_user == methodist


def test_registry_create_duplicate_year_shows_error_next_to_field(client, methodist, school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    client.force_login(methodist)
    response = client.post(
        reverse("schools:registry-create", args=[school.pk]),
        {"academic_year": 2020, "category": "shnor", "included_on": "2020-09-01"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["academic_year"] == [
        "У этой ОО уже есть запись реестра за 2020/2021 учебный год; измените существующую запись."
    ]
    assert RegistryEntry.objects.filter(school=school).count() == 1


def test_registry_edit_exclusion_without_reason_is_rejected(client, coordinator, school):
    entry = f.RegistryEntryFactory(school=school)
    client.force_login(coordinator)
    response = client.post(
        reverse("schools:registry-edit", args=[entry.pk]),
        {"academic_year": 2020, "category": "shnor", "included_on": "01.09.2020", "excluded_on": "01.06.2021"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Укажите обоснование исключения" in body
    entry.refresh_from_db()
    assert entry.excluded_on is None


def test_school_exclude_view(client, methodist, school):
    entry = f.RegistryEntryFactory(school=school)
    client.force_login(methodist)
    response = client.post(
        reverse("schools:school-exclude", args=[school.pk]),
        {"excluded_on": "15.06.2021", "exclusion_reason": "Стабильные результаты ВПР и ОГЭ"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.excluded_on == dt.date(2021, 6, 15)


def test_school_exclude_without_open_entry_redirects_with_message(client, methodist, school):
    client.force_login(methodist)
    response = client.get(reverse("schools:school-exclude", args=[school.pk]), follow=True)
    assert "ОО не состоит в реестре" in response.content.decode()


def test_curator_assign_view_by_name(client, methodist, school):
    client.force_login(methodist)
    response = client.post(
        reverse("schools:curator-assign", args=[school.pk]),
        {"full_name": "Иванова Мария Петровна", "assigned_on": "01.09.2021"},
    )
    assert response.status_code == 302
    assert CuratorAssignment.objects.get(school=school).full_name == "Иванова Мария Петровна"


def test_curator_assign_view_requires_someone(client, methodist, school):
    client.force_login(methodist)
    response = client.post(reverse("schools:curator-assign", args=[school.pk]), {"assigned_on": "01.09.2021"})
    assert response.status_code == 400
    assert response.context["form"].errors["curator"]


def test_partner_assign_offers_only_region_leaders(client, methodist, school, other_school):
    own_leader = f.SchoolFactory(municipality=f.MunicipalityFactory(region=school.municipality.region), is_leader=True)
    other_school.is_leader = True
    other_school.save()
    client.force_login(methodist)
    url = reverse("schools:partner-assign", args=[school.pk])
    leaders = list(client.get(url).context["form"].fields["leader"].queryset)
    assert leaders == [own_leader]
    response = client.post(url, {"leader": other_school.pk, "date_from": "01.09.2021"})
    assert response.status_code == 400
    response = client.post(url, {"leader": own_leader.pk, "date_from": "01.09.2021"})
    assert response.status_code == 302
    assert PartnerAssignment.objects.get(school=school).leader == own_leader


def test_risk_profile_edit_saves_levels(client, methodist, school):
    factors = risk_factors_for_year(2021)
    client.force_login(methodist)
    data = {f"factor_{factors[0].pk}": "high", f"factor_{factors[4].pk}": "low"}
    response = client.post(reverse("schools:risk-profile-edit", args=[school.pk, 2021]), data)
    assert response.status_code == 302
    assert dict(RiskProfileEntry.objects.filter(school=school, year=2021).values_list("factor_id", "level")) == {
        factors[0].pk: "high",
        factors[4].pk: "low",
    }


def test_risk_profile_edit_unknown_year_is_404(client, methodist, school):
    client.force_login(methodist)
    assert client.get(reverse("schools:risk-profile-edit", args=[school.pk, 1999])).status_code == 404


def test_cause_delete_needs_post(client, methodist, own):
    client.force_login(methodist)
    url = reverse("schools:cause-delete", args=[own["cause"].pk])
    assert client.get(url).status_code == 200
    assert LowResultCause.objects.filter(pk=own["cause"].pk).exists()
    assert client.post(url).status_code == 302
    assert not LowResultCause.objects.filter(pk=own["cause"].pk).exists()


def test_a_cause_is_added_then_corrected_on_the_same_row(client, methodist, school):
    client.force_login(methodist)
    card = reverse("schools:school-detail", args=[school.pk]) + "#causes"
    response = client.post(
        reverse("schools:cause-create", args=[school.pk]), {"year": "2021", "description": "Низкая мотивация"}
    )
    assert response.status_code == 302 and response.url == card
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Причина низких результатов добавлена."]
    cause = LowResultCause.objects.get(school=school)
    edit = reverse("schools:cause-edit", args=[cause.pk])
    page = client.get(edit)
    assert page.context["title"] == "Причина низких результатов"
    assert page.context["form"].initial == {"year": 2021, "description": "Низкая мотивация"}
    response = client.post(edit, {"year": "2020", "description": "Низкая учебная мотивация"})
    assert response.status_code == 302 and response.url == card
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Причина низких результатов сохранена."]
    cause.refresh_from_db()
    assert (LowResultCause.objects.filter(school=school).count(), cause.year, cause.description) == (
        1,
        2020,
        "Низкая учебная мотивация",
    )
    new = client.get(reverse("schools:cause-create", args=[school.pk]))
    assert new.context["title"] == "Новая причина низких результатов" and new.context["form"].initial == {}
    refused = client.post(edit, {"year": "2020", "description": "   "})
    assert refused.status_code == 400 and "Опишите причину" in refused.content.decode()


# --- Directory ------------------------------------------------------------------------------


def test_school_list_shows_only_scope(client, director, school, other_school):
    neighbour = f.SchoolFactory(municipality=school.municipality)
    client.force_login(director)
    response = client.get(reverse("schools:school-list"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["page"].object_list] == [school.pk]
    assert neighbour.name not in response.content.decode()


def test_curator_sees_only_assigned_schools(client, curator, school):
    ended = f.SchoolFactory(municipality=school.municipality)
    f.CuratorAssignmentFactory(
        school=ended, user=curator, assigned_on=dt.date(2019, 9, 1), unassigned_on=dt.date(2020, 8, 31)
    )
    f.SchoolFactory(municipality=school.municipality)
    client.force_login(curator)
    response = client.get(reverse("schools:school-list"))
    assert [s.pk for s in response.context["page"].object_list] == [school.pk]
    assert client.get(reverse("schools:school-detail", args=[ended.pk])).status_code == 404
    assert client.get(reverse("schools:school-detail", args=[school.pk])).status_code == 200


def test_school_list_filters(client, methodist, school):
    m = school.municipality
    shnor = f.SchoolFactory(municipality=m, name="МОУ «Журавлевская СОШ»", code="BEL-01")
    shfnsu = f.SchoolFactory(municipality=m, name="МОУ «Никольская средняя школа»", code="BEL-02")
    leader = f.SchoolFactory(municipality=m, name="МОУ «Лицей № 1»", is_leader=True)
    f.RegistryEntryFactory(school=shnor, academic_year=2020, category="shnor")
    f.RegistryEntryFactory(school=shfnsu, academic_year=2021, category="shfnsu", included_on=dt.date(2021, 9, 1))
    client.force_login(methodist)
    url = reverse("schools:school-list")

    def pks(**params):
        return {s.pk for s in client.get(url, params).context["page"].object_list}

    assert pks(q="журав") == {shnor.pk}  # Cyrillic, lower case
    assert pks(q="bel-02") == {shfnsu.pk}
    assert pks(category="shfnsu") == {shfnsu.pk}
    assert pks(year=2020) == {shnor.pk}
    assert pks(category="none") == {school.pk, leader.pk}
    assert pks(leader="yes") == {leader.pk}
    assert pks(municipality=m.pk) == {school.pk, shnor.pk, shfnsu.pk, leader.pk}


def test_school_list_refuses_post(client, director):
    client.force_login(director)
    assert client.post(reverse("schools:school-list")).status_code == 405


def test_school_list_paginates(client, admin_user, municipality):
    for _ in range(30):
        f.SchoolFactory(municipality=municipality)
    client.force_login(admin_user)
    first = client.get(reverse("schools:school-list"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("schools:school-list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def _populate(municipality, count):
    for i in range(count):
        school = f.SchoolFactory(municipality=municipality)
        f.RegistryEntryFactory(school=school, category="shnor" if i % 2 else "shfnsu")
        f.CuratorAssignmentFactory(school=school, full_name=f"Куратор {i}")
        f.CuratorAssignmentFactory(school=school, full_name=f"Второй куратор {i}")


@pytest.mark.parametrize("count", [5, 50])
def test_school_list_query_count_is_bounded(client, methodist, municipality, count, django_assert_max_num_queries):
    _populate(municipality, count)
    client.force_login(methodist)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("schools:school-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


# --- Registry page --------------------------------------------------------------------------


def test_registry_list_for_methodist_shows_own_year(client, methodist, school, other_school):
    f.RegistryEntryFactory(school=school, academic_year=2020, basis="ВПР ниже регионального")
    f.RegistryEntryFactory(school=other_school, academic_year=2020)
    client.force_login(methodist)
    response = client.get(reverse("schools:registry-list"), {"year": 2020})
    assert response.status_code == 200
    assert [e.school_id for e in response.context["page"].object_list] == [school.pk]
    assert response.context["totals"] == {"total": 1, "shnor": 1, "shfnsu": 0, "excluded": 0}
    assert other_school.name not in response.content.decode()


@pytest.mark.parametrize("reader", ["director", "curator"])
def test_registry_list_forbidden_for_school_roles(client, request, reader):
    client.force_login(request.getfixturevalue(reader))
    assert client.get(reverse("schools:registry-list")).status_code == 403


def test_registry_list_refuses_post(client, methodist):
    client.force_login(methodist)
    assert client.post(reverse("schools:registry-list")).status_code == 405


@pytest.mark.parametrize("count", [5, 50])
def test_registry_list_query_count_is_bounded(client, coordinator, municipality, count, django_assert_max_num_queries):
    _populate(municipality, count)
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("schools:registry-list"), {"year": 2020})
    assert response.context["page"].paginator.count == count


# --- School card ----------------------------------------------------------------------------


def test_card_shows_school_data(client, director, school):
    f.RegistryEntryFactory(
        school=school,
        academic_year=2020,
        excluded_on=dt.date(2021, 6, 1),
        exclusion_reason="Стабильные результаты ВПР",
    )
    f.CuratorAssignmentFactory(school=school, full_name="Артемьева Ольга Юрьевна")
    leader = f.SchoolFactory(municipality=school.municipality, is_leader=True, name="МКОУ СШ № 3 г. Котельниково")
    f.PartnerAssignmentFactory(school=school, leader=leader)
    LowResultCause.objects.create(school=school, year=2021, description="Низкая мотивация обучающихся к обучению")
    factor = risk_factors_for_year(2021)[1]
    RiskProfileEntry.objects.create(school=school, year=2021, factor=factor, level="high")
    client.force_login(director)
    response = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        school.name,
        "2020/2021",
        "01.06.2021",
        "Стабильные результаты ВПР",
        "Артемьева Ольга Юрьевна",
        "МКОУ СШ № 3 г. Котельниково",
        "Низкая мотивация обучающихся к обучению",
        "Дефицит педагогических кадров",
        "высокий",
    ]:
        assert text in body, text
    assert response.context["risk_year"] == 2021
    assert not response.context["can_edit"]
    assert reverse("schools:registry-create", args=[school.pk]) not in body  # read-only: no edit buttons


def test_card_outsider_gets_404(client, director, other_school):
    client.force_login(director)
    assert client.get(reverse("schools:school-detail", args=[other_school.pk])).status_code == 404


def test_card_refuses_post(client, director, school):
    client.force_login(director)
    assert client.post(reverse("schools:school-detail", args=[school.pk])).status_code == 405


def test_card_shows_edit_buttons_to_methodist(client, methodist, school):
    client.force_login(methodist)
    response = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert response.context["can_edit"]
    assert reverse("schools:registry-create", args=[school.pk]) in response.content.decode()


def test_card_history_names_user_and_fields(client, methodist, school):
    client.force_login(methodist)
    client.post(
        reverse("schools:registry-create", args=[school.pk]),
        {"academic_year": 2020, "category": "shnor", "included_on": "01.09.2020"},
    )
    entry = RegistryEntry.objects.get(school=school)
    client.post(
        reverse("schools:registry-edit", args=[entry.pk]),
        {"academic_year": 2020, "category": "shfnsu", "included_on": "01.09.2020"},
    )
    response = client.get(reverse("schools:school-detail", args=[school.pk]))
    history = response.context["history"]
    change = next(e for e in history if e.action == "Изменение")
    assert change.user == methodist.full_name
    assert [(c.field, c.old, c.new) for c in change.changes] == [("Категория", "ШНОР", "ШФНСУ")]
    assert "Категория:" in response.content.decode()


def test_card_risk_year_uses_latest_catalogue_version(client, methodist, school):
    from schools.models import RiskFactor

    RiskFactor.objects.create(version=2023, code="digital", name="низкая цифровая зрелость", order=1)
    client.force_login(methodist)
    response = client.get(reverse("schools:school-detail", args=[school.pk]), {"year": 2024})
    assert [r.factor.code for r in response.context["risk_rows"]] == ["digital"]
    response = client.get(reverse("schools:school-detail", args=[school.pk]), {"year": 2022})
    assert len(response.context["risk_rows"]) == 11


def _rich_card(school, n):
    for year in range(2015, 2015 + n):
        f.RegistryEntryFactory(school=school, academic_year=year, included_on=dt.date(year, 9, 1))
        LowResultCause.objects.create(school=school, year=year, description=f"Причина {year}")
    for i in range(n):
        f.CuratorAssignmentFactory(school=school, full_name=f"Куратор {i}")
        leader = f.SchoolFactory(municipality=school.municipality, is_leader=True)
        f.PartnerAssignmentFactory(school=school, leader=leader)
    for factor in risk_factors_for_year(2021)[:n]:
        RiskProfileEntry.objects.create(school=school, year=2021, factor=factor, level="medium")


@pytest.mark.parametrize("n", [1, 8])
def test_card_query_count_is_bounded(client, methodist, school, n, django_assert_max_num_queries):
    """This app's part of the card (the other apps' sections are measured below, with it)."""
    from core.registry import school_card_sections

    _rich_card(school, n)
    client.force_login(methodist)
    with school_card_sections.restricted_to("schools"), django_assert_max_num_queries(24):
        response = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert response.status_code == 200
    assert len(response.context["registry"]) == n
    assert len(response.context["history"]) == 4 * n + n + 1  # entries, causes, curators, partners, risk; school


@pytest.mark.parametrize("n", [1, 8])
def test_card_with_all_sections_query_count_is_bounded(client, methodist, school, n, django_assert_max_num_queries):
    _rich_card(school, n)
    client.force_login(methodist)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert response.status_code == 200


def test_card_renders_sections_of_other_apps(client, director, school, request):
    from core.registry import school_card_sections

    def sections(user, s):
        return [
            {
                "template": "schools/includes/card_section.html",
                "title": "Аналитические справки",
                "order": 5,
                "anchor": "references",
                "columns": ["Справка", "Статус"],
                "rows": [[f"Справка по {s.code}", "подписана"]],
            }
        ]

    school_card_sections.register(sections, order=50, source="reports.school_card")
    request.addfinalizer(lambda: school_card_sections.unregister(sections))
    client.force_login(director)
    response = client.get(reverse("schools:school-detail", args=[school.pk]))
    sections = response.context["sections"]
    assert "Аналитические справки" in [s.get("title") for s in sections]
    assert [s.get("order", 100) for s in sections] == sorted(s.get("order", 100) for s in sections)
    body = response.content.decode()
    assert f"Справка по {school.code}" in body
    assert 'href="#references"' in body


def test_risk_profile_form_preselects_saved_levels(client, methodist, school):
    factor = risk_factors_for_year(2021)[2]
    RiskProfileEntry.objects.create(school=school, year=2021, factor=factor, level="medium")
    client.force_login(methodist)
    body = client.get(reverse("schools:risk-profile-edit", args=[school.pk, 2021])).content.decode()
    select = body.split(f'name="factor_{factor.pk}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="medium" selected>' in select
    assert body.count(" selected>") == 11  # the others stay "не оценивался"


def test_school_list_sorts_and_keeps_filters_in_sort_links(client, methodist, school):
    f.SchoolFactory(municipality=school.municipality, name="А-школа", code="Z-1", teachers_count=40)
    f.SchoolFactory(municipality=school.municipality, name="Я-школа", code="A-1", teachers_count=5)
    client.force_login(methodist)
    url = reverse("schools:school-list")
    names = [s.name for s in client.get(url, {"sort": "-teachers"}).context["page"].object_list]
    assert names == ["А-школа", school.name, "Я-школа"]  # 40, 17, 5 teachers
    codes = [s.code for s in client.get(url, {"sort": "code"}).context["page"].object_list]
    assert codes == sorted(codes)
    response = client.get(url, {"sort": "name", "leader": "no", "page": "1"})
    header = re.search(
        r'<th scope="col" aria-sort="ascending"><a class="sort-link[^"]*" href="\?([^"]+)">', response.content.decode()
    )
    assert parse_qs(header.group(1).replace("&amp;", "&")) == {"leader": ["no"], "sort": ["-name"]}
    assert client.get(url, {"sort": "password"}).status_code == 200  # unknown keys fall back to the name


def test_registry_list_defaults_to_latest_year_with_entries_even_when_filtered(client, methodist, school):
    f.RegistryEntryFactory(school=school, academic_year=2020)
    client.force_login(methodist)
    response = client.get(reverse("schools:registry-list"), {"municipality": school.municipality_id})
    assert response.context["form"]["year"].value() == "2020"
    assert [e.school_id for e in response.context["page"].object_list] == [school.pk]
    assert "на 2020/2021 учебный год" in response.content.decode()


def test_curator_choices_are_the_regions_curators_and_unassigned_ones(client, methodist, school, other_school):
    here = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=f.SchoolFactory(municipality=school.municipality), user=here)
    elsewhere = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=other_school, user=elsewhere)
    new = f.user_with_role("curator")
    f.user_with_role("methodist", municipality=school.municipality)  # not a curator
    client.force_login(methodist)
    url = reverse("schools:curator-assign", args=[school.pk])
    choices = set(client.get(url).context["form"].fields["curator"].queryset)
    assert choices == {here, new}
    response = client.post(url, {"curator": elsewhere.pk, "assigned_on": "01.09.2021"})
    assert response.status_code == 400
    assert response.context["form"].errors["curator"] == ["Выберите куратора из списка."]
    assert client.post(url, {"curator": new.pk, "assigned_on": "01.09.2021"}).status_code == 302
    assert CuratorAssignment.objects.get(school=school).user == new


def test_card_history_shows_the_latest_changes_only(client, methodist, school, monkeypatch):
    monkeypatch.setattr("schools.views.card.HISTORY_LIMIT", 3)
    for year in (2018, 2019, 2020):
        f.RegistryEntryFactory(school=school, academic_year=year, included_on=dt.date(year, 9, 1))
    client.force_login(methodist)
    response = client.get(reverse("schools:school-detail", args=[school.pk]))
    assert len(response.context["history"]) == 3
    assert response.context["history_truncated"]
    assert "Показаны последние 3 изменений" in response.content.decode()
