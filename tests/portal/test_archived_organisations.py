"""Hard deletes (issue 11): an archived region or municipality, like an archived school, is not offered
by any select of new work or of a list filter (a school of an archived municipality or region neither);
a crafted POST with its id is refused with a Russian form error and writes nothing; the history pages
(a reference, a campaign, a visit) still show its name. docs/architecture.md, «Archive, never delete»."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.calendar import current_quarter, date_text, quarter_bounds
from monitoring.models import Campaign, MethodicalVisit
from monitoring.services import campaign_create
from reports.models import AnalyticalReference
from reports.services import reference_create
from roadmaps.models import QuarterDeadline
from schools.models import PartnerAssignment
from schools.services import partner_assign
from tests import factories as f

pytestmark = pytest.mark.django_db

NOT_OFFERED = "выберите значение из списка"
NOT_APPLIED = "Фильтр не применён"


class World:
    """A live region with a live and an archived municipality, and an archived region: each with a
    school that is not archived itself (it is hidden by its municipality or region)."""

    def __init__(self) -> None:
        self.region = f.RegionFactory(name="Живая область")
        self.live = f.MunicipalityFactory(region=self.region, name="Живой район")
        self.live2 = f.MunicipalityFactory(region=self.region, name="Второй живой район")
        self.gone = f.MunicipalityFactory(region=self.region, name="Архивный район", is_archived=True)
        self.live_school = f.SchoolFactory(municipality=self.live, name="Живая школа", is_leader=True)
        self.gone_school = f.SchoolFactory(municipality=self.gone, name="Школа архивного района", is_leader=True)
        self.old_region = f.RegionFactory(name="Архивная область", is_archived=True)
        self.old_mun = f.MunicipalityFactory(region=self.old_region, name="Район архивной области")
        self.old_school = f.SchoolFactory(municipality=self.old_mun, name="Школа архивной области")
        self.admin = f.user_with_role("admin")
        self.coordinator = f.user_with_role("coordinator", region=self.region)


@pytest.fixture
def world(db) -> World:
    return World()


def options(html: str, name: str) -> set[str]:
    """The values offered by the select (or the checkboxes) called `name`."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select is not None:
        return set(re.findall(r'<option value="([^"]*)"', select.group(1))) - {""}
    return set(re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html))


def page(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


# --- the reference scope select (reports/forms.py, reports.permissions.creatable_scopes) -----------


def test_reference_scope_select_offers_no_archived_territory(client, world):
    offered = options(page(client, world.admin, reverse("reports:create")), "scope")
    assert f"region:{world.region.code}" in offered and f"municipality:{world.live.code}" in offered
    assert f"municipality:{world.gone.code}" not in offered
    assert f"region:{world.old_region.code}" not in offered
    assert f"municipality:{world.old_mun.code}" not in offered


@pytest.mark.parametrize("which", ["gone", "old_mun"])
def test_reference_for_an_archived_municipality_is_refused_on_the_form(client, world, which):
    client.force_login(world.admin)
    response = client.post(
        reverse("reports:create"),
        {
            "template": "roadmap-monitoring",
            "scope": f"municipality:{getattr(world, which).code}",
            "date_from": "01.09.2020",
            "date_to": "30.06.2021",
            "precision": "2",
        },
    )
    assert response.status_code == 200
    assert NOT_OFFERED in response.content.decode()
    assert not AnalyticalReference.objects.exists()


def test_reference_service_refuses_an_archived_territory(world):
    args = {"template": "roadmap-monitoring", "date_from": dt.date(2020, 9, 1), "date_to": dt.date(2021, 6, 30)}
    with pytest.raises(ValidationError) as exc:
        reference_create(user=world.admin, scope_kind="municipality", scope_code=world.gone.code, **args)
    assert "Муниципалитет «Архивный район» в архиве" in exc.value.message_dict["scope"][0]
    with pytest.raises(ValidationError) as exc:
        reference_create(user=world.admin, scope_kind="municipality", scope_code=world.old_mun.code, **args)
    assert "относится к архивному региону «Архивная область»" in exc.value.message_dict["scope"][0]
    with pytest.raises(ValidationError) as exc:
        reference_create(user=world.admin, scope_kind="region", scope_code=world.old_region.code, **args)
    assert "Регион «Архивная область» в архиве" in exc.value.message_dict["scope"][0]
    assert not AnalyticalReference.objects.exists()
    assert reference_create(user=world.admin, scope_kind="municipality", scope_code=world.live.code, **args).pk


def test_an_existing_reference_of_an_archived_municipality_still_shows_it(client, world):
    ref = f.reference(municipality=world.gone, created_by=world.admin)
    client.force_login(world.admin)
    assert "Архивный район" in client.get(reverse("reports:detail", args=[ref.pk])).content.decode()
    assert "Архивный район" in client.get(reverse("reports:list")).content.decode()


# --- the territory select (monitoring Scope) of the coverage page and the home panel ---------------


def test_coverage_territory_select_offers_no_archived_territory(client, world):
    offered = options(page(client, world.admin, reverse("coverage:page")), "scope")
    assert f"municipality:{world.live.code}" in offered
    assert f"municipality:{world.gone.code}" not in offered
    assert f"region:{world.old_region.code}" not in offered
    assert f"municipality:{world.old_mun.code}" not in offered


def test_coverage_of_an_archived_municipality_asked_by_hand_is_a_form_error(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("coverage:page"), {"scope": f"municipality:{world.gone.code}"})
    assert response.status_code == 400
    assert NOT_OFFERED in response.content.decode()


def test_coverage_home_panel_opens_on_an_active_territory(client, world):
    methodist = f.user_with_role("methodist", municipality=world.gone)
    methodist.memberships.create(role="methodist", municipality=world.live)
    client.force_login(methodist)
    home = client.get(reverse("portal:home")).content.decode()
    assert f"municipality%3A{world.live.code}" in home
    assert f"municipality%3A{world.gone.code}" not in home


# --- the campaign (monitoring round) form ---------------------------------------------------------


@pytest.fixture
def indicator(catalogues):
    from monitoring.models import Indicator

    return Indicator.objects.filter(is_active=True).first()


def test_campaign_form_offers_no_archived_territory_or_school(client, world):
    html = page(client, world.admin, reverse("monitoring:campaign-create"))
    areas, schools = options(html, "area"), options(html, "schools")
    assert f"municipality:{world.live.code}" in areas and f"region:{world.region.code}" in areas
    assert f"municipality:{world.gone.code}" not in areas
    assert f"region:{world.old_region.code}" not in areas and f"municipality:{world.old_mun.code}" not in areas
    assert str(world.live_school.pk) in schools
    assert str(world.gone_school.pk) not in schools and str(world.old_school.pk) not in schools


@pytest.mark.parametrize("case", ["archived area", "school of an archived municipality"])
def test_campaign_crafted_post_is_refused(client, world, indicator, case):
    data = {
        "name": "Мониторинг",
        "area": f"municipality:{world.gone.code}" if case == "archived area" else f"region:{world.region.code}",
        "period_from": "01.09.2020",
        "period_to": "31.05.2021",
        "deadline": "30.06.2021",
        "indicators": [indicator.pk],
        "schools": [world.gone_school.pk],
    }
    client.force_login(world.admin)
    response = client.post(reverse("monitoring:campaign-create"), data)
    assert response.status_code == 400
    assert NOT_OFFERED in response.content.decode()
    assert not Campaign.objects.exists()


def test_campaign_without_chosen_schools_leaves_out_archived_ones(client, world, indicator):
    for school in (world.live_school, world.gone_school):
        f.RegistryEntryFactory(school=school, academic_year=2020)
    client.force_login(world.admin)
    data = {
        "name": "Мониторинг",
        "area": f"region:{world.region.code}",
        "period_from": "01.09.2020",
        "period_to": "31.05.2021",
        "deadline": "30.06.2021",
        "indicators": [indicator.pk],
    }
    response = client.post(reverse("monitoring:campaign-create"), data)
    assert response.status_code == 302
    assert list(Campaign.objects.get().schools.all()) == [world.live_school]


def test_campaign_service_refuses_archived_area_and_schools(world, indicator):
    args = {
        "user": world.admin,
        "name": "Мониторинг",
        "period_from": dt.date(2020, 9, 1),
        "period_to": dt.date(2021, 5, 31),
        "deadline": dt.date(2021, 6, 30),
        "indicators": [indicator],
    }
    with pytest.raises(ValidationError) as exc:
        campaign_create(area=world.gone, schools=[world.gone_school], **args)
    assert "в архиве" in exc.value.message_dict["area"][0]
    with pytest.raises(ValidationError) as exc:
        campaign_create(area=world.region, schools=[world.live_school, world.gone_school], **args)
    assert "Школа архивного района" in exc.value.message_dict["schools"][0]
    assert not Campaign.objects.exists()


def test_an_existing_campaign_of_an_archived_municipality_still_shows_it(client, world, indicator):
    world.gone.is_archived = False
    world.gone.save()
    campaign = campaign_create(
        area=world.gone,
        schools=[world.gone_school],
        user=world.admin,
        name="Мониторинг",
        period_from=dt.date(2020, 9, 1),
        period_to=dt.date(2021, 5, 31),
        deadline=dt.date(2021, 6, 30),
        indicators=[indicator],
    )
    world.gone.is_archived = True
    world.gone.save()
    client.force_login(world.admin)
    html = client.get(reverse("monitoring:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Архивный район" in html and "Школа архивного района" in html


# --- the list filters (each app's filters.py) ------------------------------------------------------

FILTERED_LISTS = [
    "schools:school-list",
    "schools:registry-list",
    "roadmaps:roadmap-list",
    "roadmaps:report-list",
    "monitoring:visit-list",
    "monitoring:result-list",
    "reports:list",
]


@pytest.mark.parametrize("url", FILTERED_LISTS)
def test_list_filters_offer_no_archived_municipality(client, world, url):
    offered = options(page(client, world.admin, reverse(url)), "municipality")
    assert str(world.live.pk) in offered
    assert str(world.gone.pk) not in offered and str(world.old_mun.pk) not in offered


@pytest.mark.parametrize("url", FILTERED_LISTS)
def test_list_filter_by_an_archived_municipality_is_not_applied(client, world, url):
    html = page(client, world.admin, reverse(url), municipality=world.gone.pk)
    assert NOT_APPLIED in html


@pytest.mark.parametrize("url", ["monitoring:visit-list", "monitoring:result-list"])
def test_school_filters_offer_no_school_of_an_archived_organisation(client, world, url):
    offered = options(page(client, world.admin, reverse(url)), "school")
    assert str(world.live_school.pk) in offered
    assert str(world.gone_school.pk) not in offered and str(world.old_school.pk) not in offered
    assert NOT_APPLIED in page(client, world.admin, reverse(url), school=world.gone_school.pk)


def test_the_visit_list_still_shows_a_visit_of_an_archived_municipality(client, world):
    f.MethodicalVisitFactory(school=world.gone_school)
    html = page(client, world.coordinator, reverse("monitoring:visit-list"))
    assert "Школа архивного района" in html


# --- the visit form and the service behind it -----------------------------------------------------


def test_visit_form_refuses_a_school_of_an_archived_municipality(client, world):
    html = page(client, world.coordinator, reverse("monitoring:visit-create"))
    assert str(world.gone_school.pk) not in options(html, "school")
    response = client.post(
        reverse("monitoring:visit-create"),
        {"school": world.gone_school.pk, "date": "01.10.2020", "visitors": "Методист", "purpose": "Помощь"},
    )
    assert response.status_code == 400 and NOT_OFFERED in response.content.decode()
    assert not MethodicalVisit.objects.exists()


# --- the import template's municipality (core) ----------------------------------------------------


def test_import_template_offers_no_archived_municipality(client, world):
    html = page(client, world.coordinator, reverse("portal:import-template"))
    offered = options(html, "municipality")
    assert str(world.live.pk) in offered and str(world.gone.pk) not in offered
    response = client.post(reverse("portal:import-template"), {"municipality": world.gone.pk})
    assert response.status_code == 200
    assert response.get("Content-Disposition") is None
    assert NOT_OFFERED in response.content.decode()


# --- the report deadline of a region (status board) and the leader school of a partnership --------


def test_status_board_sets_no_deadline_for_an_archived_region(client, world):
    year, quarter = current_quarter()
    end = quarter_bounds(year, quarter)[1]
    html = page(client, world.admin, reverse("roadmaps:status-board"))
    assert "Живая область" in html and "Архивная область" not in html
    response = client.post(
        reverse("roadmaps:deadline-update"),
        {"region": world.old_region.pk, "period": f"{year}-Q{quarter}", "deadline": date_text(end)},
        follow=True,
    )
    assert "Регион «Архивная область» в архиве" in response.content.decode()
    assert not QuarterDeadline.objects.exists()


def test_a_leader_school_of_an_archived_municipality_mentors_no_one_anew(client, world):
    school = f.SchoolFactory(municipality=world.live, name="Подопечная школа")
    client.force_login(world.admin)
    html = client.get(reverse("schools:partner-assign", args=[school.pk])).content.decode()
    assert str(world.gone_school.pk) not in options(html, "leader")
    assert str(world.live_school.pk) in options(html, "leader")
    response = client.post(
        reverse("schools:partner-assign", args=[school.pk]), {"leader": world.gone_school.pk, "date_from": "01.01.2021"}
    )
    assert "Выберите школу-лидера из списка" in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        partner_assign(user=world.admin, school=school, leader=world.gone_school, date_from=dt.date(2021, 1, 1))
    assert "относится к архивному муниципалитету «Архивный район»" in exc.value.message_dict["leader"][0]
    assert not PartnerAssignment.objects.exists()
