"""Every list the same way (`core.lists`): the shared pieces, one partial each, no row caps, and the
lists of references, users and imports (pages, a filter, sorting, invalid values, scoped choices)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.lists import SortFilter
from core.models import ImportJob
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "portal", "schools", "roadmaps", "monitoring", "coverage", "reports")
HUGE = "9" * 30


# --- The shared pieces ------------------------------------------------------------------------


def test_sort_filter_orders_by_its_columns_then_by_the_primary_key():
    sort = SortFilter(columns={"name": ("name",), "period": (("year", "quarter"), "name")}, default="-period")
    assert sort.ordering([]) == ["-year", "-quarter", "name", "pk"]
    assert sort.ordering(["period"]) == ["year", "quarter", "name", "pk"]
    assert sort.ordering(["-name"]) == ["-name", "pk"]


def test_breadcrumbs_start_at_home_link_named_urls_and_end_at_the_current_page(rf: RequestFactory):
    html = Template('{% load lists %}{% breadcrumbs "Школы" "schools:school-list" "Без ссылки" "" "Текущая" %}').render(
        Context({"request": rf.get("/")})
    )
    assert f'<a href="{reverse("portal:home")}">Главная</a>' in html
    assert f'<a href="{reverse("schools:school-list")}">Школы</a>' in html
    assert '<li class="breadcrumb-item">Без ссылки</li>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Текущая</li>' in html


def test_one_pagination_partial_and_one_breadcrumb_partial():
    templates = ROOT / "templates"
    pagination = sorted(str(p.relative_to(templates)) for p in templates.rglob("*pagination*.html"))
    assert pagination == ["includes/pagination.html"]
    own_trails = [
        str(p.relative_to(templates))
        for p in templates.rglob("*.html")
        if 'class="breadcrumb' in p.read_text(encoding="utf-8") and p.name != "breadcrumbs.html"
    ]
    assert own_trails == []
    assert not [
        p for p in templates.rglob("*crumbs*.html") if p.relative_to(templates) != Path("includes/breadcrumbs.html")
    ]


def test_no_list_is_cut_at_a_fixed_number_of_rows():
    """Views and selectors never cut a list at hundreds of rows (the roadmap and report lists once
    stopped at 500 without a word): lists are paginated instead."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or not (
                "views" in path.parts or path.stem.startswith(("views", "selectors"))
            ):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"\[:\d{3,}\]|MAX_ROWS", line) and "len(" not in line:  # len(): a text shortened
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


# --- References -------------------------------------------------------------------------------


def _references(municipality, author, count: int) -> list:
    return [
        f.reference(
            municipality=municipality,
            created_by=author,
            title=f"Справка {i:02d}",
            date_to=dt.date(2021, 6, 30) - dt.timedelta(days=i),
            status="draft" if i % 2 else "signed",
        )
        for i in range(count)
    ]


def test_reference_list_pages_with_flat_queries(client, methodist, municipality, django_assert_max_num_queries):
    _references(municipality, methodist, 30)
    client.force_login(methodist)
    with django_assert_max_num_queries(14):
        second = client.get(reverse("reports:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert "Показано 26–30 из 30" in second.content.decode()
    assert client.get(reverse("reports:list"), {"page": 50}).context["page"].number == 2


def test_reference_list_filters_sorts_and_refuses_invalid_values(client, methodist, municipality):
    refs = _references(municipality, methodist, 4)
    client.force_login(methodist)
    url = reverse("reports:list")
    assert [r.pk for r in client.get(url, {"status": "draft"}).context["page"].object_list] == [refs[1].pk, refs[3].pk]
    assert [r.title for r in client.get(url, {"sort": "-title"}).context["page"].object_list] == [
        "Справка 03",
        "Справка 02",
        "Справка 01",
        "Справка 00",
    ]
    for params in ({"date_to": "31.02.2021"}, {"status": "lost"}, {"template": HUGE}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 4
        assert "Фильтр не применён" in response.content.decode()


def test_reference_municipality_choices_are_the_coordinators_region(client, coordinator, region, other_school):
    first, second = f.MunicipalityFactory(region=region), f.MunicipalityFactory(region=region)
    client.force_login(coordinator)
    form = client.get(reverse("reports:list")).context["form"]
    assert set(form.fields["municipality"].queryset) == {first, second}
    response = client.get(reverse("reports:list"), {"municipality": other_school.municipality_id})
    assert "Фильтр не применён" in response.content.decode()


# --- Users --------------------------------------------------------------------------------------


def test_user_list_pages_filters_and_sorts(client, admin_user, school, django_assert_max_num_queries):
    for i in range(30):
        user = f.user_with_role("director", school=school)
        user.username = f"dir{i:02d}"
        user.save(update_fields=["username"])
    client.force_login(admin_user)
    url = reverse("portal:user-list")
    with django_assert_max_num_queries(12):
        second = client.get(url, {"page": 2, "role": "director"})
    assert second.context["page"].paginator.count == 30
    assert len(second.context["page"].object_list) == 5
    usernames = [
        u.username for u in client.get(url, {"sort": "-username", "role": "director"}).context["page"].object_list
    ]
    assert usernames[0] == "dir29"
    response = client.get(url, {"role": "emperor"})
    assert response.status_code == 200
    assert "Фильтр не применён" in response.content.decode()


def test_coordinator_lists_only_the_users_of_the_region(client, coordinator, school, other_school):
    inside = f.user_with_role("director", school=school)
    f.user_with_role("director", school=other_school)
    client.force_login(coordinator)
    shown = set(client.get(reverse("portal:user-list"), {"role": "director"}).context["page"].object_list)
    assert shown == {inside}


# --- Imports ------------------------------------------------------------------------------------


def test_import_list_pages_filters_and_sorts(client, admin_user, methodist, django_assert_max_num_queries):
    for i in range(30):
        ImportJob.objects.create(
            requested_by=methodist, original_name=f"kniga-{i:02d}.xlsx", status="done" if i % 2 else "failed"
        )
    client.force_login(admin_user)
    url = reverse("portal:import-list")
    with django_assert_max_num_queries(12):
        second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    failed = client.get(url, {"status": "failed"}).context["page"]
    assert failed.paginator.count == 15
    names = [j.original_name for j in client.get(url, {"sort": "file"}).context["page"].object_list]
    assert names == sorted(names)
    response = client.get(url, {"status": "exploded"})
    assert "Фильтр не применён" in response.content.decode()
    assert response.context["page"].paginator.count == 30


def test_import_list_shows_a_coordinator_only_their_own_jobs(client, methodist, coordinator):
    ImportJob.objects.create(requested_by=methodist, original_name="chuzhaya.xlsx")
    own = ImportJob.objects.create(requested_by=coordinator, original_name="svoya.xlsx")
    client.force_login(coordinator)
    assert list(client.get(reverse("portal:import-list")).context["page"].object_list) == [own]
