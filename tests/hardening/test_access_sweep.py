"""Access sweep generated from the URLconf.

Every URL pattern whose route takes an object id must have an entry in `REGISTRY` below (or be listed in
`PUBLIC`); a new view without one fails `test_every_id_route_is_registered`, so nobody has to remember to
write its access test. For each entry the sweep builds an object owned by school / municipality /
region A and then asks, for GET and for POST where the view accepts them:

- outsiders — a user with the same role in school / municipality / region B — must get 404;
- insiders whose role may not act there must be refused: 403 or 404, or (for POST actions whose service
  refuses the user) a redirect / re-render that carries no success message; a refused POST must leave
  the row count of every model of the portal's apps (history tables included) unchanged.

Django's admin site (`admin:` namespace) is checked as a whole: a portal user without staff status never
gets an admin page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.messages import SUCCESS, get_messages
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import factories as f

ROLES = ("director", "curator", "methodist", "head", "coordinator")
ALL = frozenset(ROLES)
REVIEWERS = frozenset({"methodist", "coordinator"})  # keep registry / assignments, review reports
ID_CONVERTERS = ("int", "str", "uuid", "slug", "path")

# Views anybody may open without an account, by design.
PUBLIC = {
    "verify": "public verification of a signed reference by its code (docs/contracts.md → Signed documents)",
}


# --- The URLconf ----------------------------------------------------------------------------------


def walk(resolvers=None, prefix: str = "", namespace: str = ""):
    """Yield (full name, kwarg names) for every named URLPattern, recursing through includes."""
    resolver = resolvers or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            pattern = entry.pattern
            converters = dict(getattr(pattern, "converters", {}) or {})
            kwargs = set(converters) | set(pattern.regex.groupindex)
            yield name, frozenset(kwargs), prefix + str(pattern)


def id_routes() -> dict[str, frozenset]:
    return {name: kwargs for name, kwargs, _ in walk() if kwargs}


# --- The world: everything of A, and a twin B for outsiders ----------------------------------------


@dataclass
class World:
    region: object
    municipality: object
    school: object
    insiders: dict = field(default_factory=dict)
    outsiders: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _people(school) -> dict:
    municipality = school.municipality
    curator = f.user_with_role("curator")
    f.CuratorAssignmentFactory(school=school, user=curator, full_name=curator.full_name)
    return {
        "director": f.user_with_role("director", school=school),
        "curator": curator,
        "methodist": f.user_with_role("methodist", municipality=municipality),
        "head": f.user_with_role("head", municipality=municipality),
        "coordinator": f.user_with_role("coordinator", region=municipality.region),
    }


@pytest.fixture
def world(db) -> World:
    from core.models import ImportJob
    from monitoring.models import Campaign
    from reports.models import JobStatus
    from roadmaps.models import Evidence
    from schools.models import LowResultCause

    school = f.SchoolFactory()
    other = f.SchoolFactory()  # another municipality of another region
    w = World(region=school.municipality.region, municipality=school.municipality, school=school)
    w.insiders = _people(school)
    w.outsiders = _people(other)
    methodist = w.insiders["methodist"]

    o = w.objects
    o["registry"] = f.RegistryEntryFactory(school=school)
    f.RegistryEntryFactory(school=other)
    o["curator"] = school.curator_assignments.get()
    leader = f.SchoolFactory(municipality=school.municipality, is_leader=True)
    o["partner"] = f.PartnerAssignmentFactory(school=school, leader=leader)
    o["cause"] = LowResultCause.objects.create(school=school, year=2020, description="Нехватка учителей математики")
    o["roadmap"] = roadmap = f.RoadmapFactory(school=school)
    o["activity"] = f.ActivityFactory(roadmap=roadmap)
    o["report"] = report = f.QuarterlyReportFactory(roadmap=roadmap, status="submitted")
    line = f.ActivityReportFactory(report=report, activity=o["activity"])
    evidence = Evidence(
        line=line, token="t" * 32, extension="pdf", original_name="протокол.pdf", content_type="application/pdf", size=8
    )
    evidence.file.save("protocol.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    o["evidence"] = evidence
    campaign = Campaign.objects.create(
        name="Мониторинг 2020/2021",
        region=w.region,
        municipality=w.municipality,
        period_from=dt.date(2020, 9, 1),
        period_to=dt.date(2021, 6, 30),
        deadline=dt.date(2031, 6, 30),
        created_by=methodist,
    )
    campaign.schools.add(school)
    o["campaign"] = campaign
    o["visit"] = f.MethodicalVisitFactory(school=school)
    o["result"] = f.AssessmentResultFactory(school=school)
    reference = f.reference(municipality=w.municipality, created_by=methodist)
    version = f.ReferenceVersionFactory(
        reference=reference, job__status=JobStatus.FAILED, job__progress_done=2, job__message="Ошибка"
    )
    o["job"] = version.job
    o["reference"], o["version"] = reference, version
    o["import"] = ImportJob.objects.create(
        requested_by=methodist, kind=ImportJob.Kind.IMPORT, status=ImportJob.Status.CHECKED, original_name="книга.xlsx"
    )
    template = ImportJob.objects.create(
        requested_by=methodist,
        kind=ImportJob.Kind.TEMPLATE,
        status=ImportJob.Status.DONE,
        municipality=w.municipality,
        finished_at=timezone.now(),
    )
    template.output.save("t.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    o["template"] = template
    from roadmaps.models import ReportExportJob

    export = ReportExportJob.objects.create(
        requested_by=methodist,
        status=ReportExportJob.Status.DONE,
        year_from=2020,
        quarter_from=4,
        year_to=2021,
        quarter_to=2,
    )
    export.file.save("export.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    o["export"] = export
    return w


# --- The registry: url name → (kwargs of A's object, roles that may GET, roles that may POST) ------


@dataclass(frozen=True)
class Entry:
    kwargs: Callable[[World], dict]
    get: frozenset | None  # insider roles that may GET; None: the view does not accept GET
    post: frozenset | None  # insider roles that may POST; None: the view does not accept POST
    data: Callable[[World], dict] | None = None  # a POST body that would succeed for an allowed role


def pk(key: str, name: str = "pk") -> Callable[[World], dict]:
    return lambda w: {name: w.objects[key].pk}


def school_pk(w: World) -> dict:
    return {"pk": w.school.pk}


VIEWERS = frozenset({"methodist", "head", "coordinator"})  # references, campaigns: the authorities
SCHOOL_EDITORS = frozenset({"director", "methodist"})  # roadmaps and their reports
OWNER_ONLY = frozenset({"methodist"})  # imports and templates belong to the user who started them

REGISTRY: dict[str, Entry] = {
    # schools
    "schools:school-detail": Entry(school_pk, ALL, None),
    "schools:registry-create": Entry(school_pk, REVIEWERS, REVIEWERS),
    "schools:school-exclude": Entry(school_pk, REVIEWERS, REVIEWERS),
    "schools:curator-assign": Entry(school_pk, REVIEWERS, REVIEWERS),
    "schools:partner-assign": Entry(school_pk, REVIEWERS, REVIEWERS),
    "schools:risk-profile-edit": Entry(lambda w: {"pk": w.school.pk, "year": 2020}, REVIEWERS, REVIEWERS),
    "schools:cause-create": Entry(school_pk, REVIEWERS, REVIEWERS),
    "schools:registry-edit": Entry(pk("registry"), REVIEWERS, REVIEWERS),
    "schools:curator-unassign": Entry(pk("curator"), REVIEWERS, REVIEWERS),
    "schools:partner-end": Entry(pk("partner"), REVIEWERS, REVIEWERS),
    "schools:cause-edit": Entry(pk("cause"), REVIEWERS, REVIEWERS),
    "schools:cause-delete": Entry(pk("cause"), REVIEWERS, REVIEWERS),
    # roadmaps
    "roadmaps:roadmap-detail": Entry(pk("roadmap"), ALL, None),
    "roadmaps:roadmap-action": Entry(lambda w: {"pk": w.objects["roadmap"].pk, "action": "approve"}, None, REVIEWERS),
    # a methodist may edit a draft roadmap of their municipality too (late schools)
    "roadmaps:activity-add": Entry(pk("roadmap", "roadmap_pk"), SCHOOL_EDITORS, SCHOOL_EDITORS),
    "roadmaps:activity-edit": Entry(
        lambda w: {"roadmap_pk": w.objects["roadmap"].pk, "pk": w.objects["activity"].pk},
        SCHOOL_EDITORS,
        SCHOOL_EDITORS,
    ),
    "roadmaps:activity-delete": Entry(
        lambda w: {"roadmap_pk": w.objects["roadmap"].pk, "pk": w.objects["activity"].pk},
        None,
        SCHOOL_EDITORS,
    ),
    "roadmaps:report-start": Entry(
        pk("roadmap", "roadmap_pk"), None, SCHOOL_EDITORS, data=lambda w: {"year": 2021, "quarter": 2}
    ),
    "roadmaps:report-detail": Entry(pk("report"), ALL, frozenset({"director", "methodist"})),
    "roadmaps:report-action": Entry(lambda w: {"pk": w.objects["report"].pk, "action": "approve"}, None, REVIEWERS),
    "roadmaps:evidence-download": Entry(pk("evidence"), ALL, None),
    # report exports hold the scope's data: only the user who asked for the file
    "roadmaps:report-export-status": Entry(pk("export"), OWNER_ONLY, None),
    "roadmaps:report-export-download": Entry(pk("export"), OWNER_ONLY, None),
    # monitoring
    "monitoring:campaign-detail": Entry(pk("campaign"), VIEWERS, None),
    "monitoring:campaign-entry": Entry(
        lambda w: {"pk": w.objects["campaign"].pk, "school_pk": w.school.pk},
        frozenset({"director", "methodist", "coordinator"}),
        frozenset({"director", "methodist", "coordinator"}),
    ),
    "monitoring:visit-edit": Entry(pk("visit"), REVIEWERS, REVIEWERS),
    "monitoring:visit-delete": Entry(pk("visit"), None, REVIEWERS),
    "monitoring:result-edit": Entry(pk("result"), REVIEWERS | {"director"}, REVIEWERS | {"director"}),
    "monitoring:result-delete": Entry(pk("result"), None, REVIEWERS | {"director"}),
    "monitoring:dynamics-school": Entry(lambda w: {"school_pk": w.school.pk}, ALL, None),
    "monitoring:dynamics-municipality": Entry(lambda w: {"municipality_pk": w.municipality.pk}, VIEWERS, None),
    # references
    "reports:detail": Entry(pk("reference"), VIEWERS, None),
    "reports:edit": Entry(pk("reference"), OWNER_ONLY, OWNER_ONLY),
    "reports:redraft": Entry(pk("reference"), None, OWNER_ONLY),
    "reports:generate": Entry(pk("reference"), None, OWNER_ONLY),
    "reports:send": Entry(pk("reference"), None, OWNER_ONLY),
    "reports:sign": Entry(pk("reference"), frozenset({"head"}), frozenset({"head"})),
    "reports:return": Entry(pk("reference"), None, frozenset({"head"})),
    "reports:job-status": Entry(pk("job"), VIEWERS, None),
    "reports:job-retry": Entry(pk("job"), None, frozenset({"methodist", "head"})),  # the preparer or the signer
    "reports:version-pdf": Entry(pk("version"), VIEWERS, None),
    "reports:version-xlsx": Entry(pk("version"), VIEWERS, None),
    # workbook import / template jobs: only the user who started them (and admins)
    "portal:import-detail": Entry(pk("import"), OWNER_ONLY, None),
    "portal:import-status": Entry(pk("import"), OWNER_ONLY, None),
    "portal:import-confirm": Entry(pk("import"), None, OWNER_ONLY),
    "portal:import-template-job": Entry(pk("template"), OWNER_ONLY, None),
    "portal:import-template-download": Entry(pk("template"), OWNER_ONLY, None),
}


# --- Checks -----------------------------------------------------------------------------------------


def _success_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == SUCCESS]


def _refused(response, method: str) -> str | None:
    """None when the response refuses the request, else what went wrong."""
    if response.status_code in (403, 404):
        return None
    if method == "POST" and response.status_code in (200, 302, 400, 409) and not _success_messages(response):
        # The service refused it (message at error level) and nothing happened.
        return None
    return f"{response.status_code} {_success_messages(response) or ''}".strip()


def _request(client, user, method: str, url: str, data: dict | None = None):
    client.force_login(user)
    try:
        return client.get(url) if method == "GET" else client.post(url, data or {})
    finally:
        client.logout()


FINGERPRINT_APPS = ("portal", "schools", "roadmaps", "monitoring", "reports")


def _fingerprint() -> dict[str, int]:
    """Row counts of every model of the portal's apps (history tables included): a refused request
    must leave them all as they were."""
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count() for a in FINGERPRINT_APPS for m in apps.get_app_config(a).get_models()
    }


def test_every_id_route_is_registered():
    """A URL pattern taking an object id without an entry here is a new view without an access check."""
    missing = sorted(
        name for name in id_routes() if name not in REGISTRY and name not in PUBLIC and not name.startswith("admin:")
    )
    assert not missing, f"new view without an access check entry in tests/hardening/test_access_sweep.py: {missing}"
    stale = sorted(set(REGISTRY) - set(id_routes()))
    assert not stale, f"registry entries for URL names that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_outsider_gets_404(client, world, name):
    """A user of another school / municipality / region with the role that acts here: 404 on every method."""
    entry = REGISTRY[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    failures = []
    for method, roles in (("GET", entry.get), ("POST", entry.post)):
        if roles is None:
            continue
        for role in sorted((entry.get or set()) | (entry.post or set())):
            data = entry.data(world) if entry.data and method == "POST" else None
            response = _request(client, world.outsiders[role], method, url, data)
            if response.status_code != 404:
                failures.append(f"{method} as {role} of B: {response.status_code}")
    assert not failures, f"{name} {url}: {failures}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_role_that_may_not_act_is_refused(client, world, name):
    """Each insider role outside the entry's roles: 403 or 404 (or a refusal without a success message)."""
    entry = REGISTRY[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    failures = []
    for method, roles in (("GET", entry.get), ("POST", entry.post)):
        if roles is None:
            continue
        for role in sorted(ALL - roles):
            data = entry.data(world) if entry.data and method == "POST" else None
            before = _fingerprint() if method == "POST" else None
            response = _request(client, world.insiders[role], method, url, data)
            problem = _refused(response, method)
            if problem:
                failures.append(f"{method} as {role} of A: {problem}")
            elif before is not None and (after := _fingerprint()) != before:
                changed = sorted(k for k in after if after[k] != before[k])
                failures.append(f"{method} as {role} of A: refused but wrote {changed}")
    assert not failures, f"{name} {url}: {failures}"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_anonymous_is_sent_to_login(client, world, name):
    entry = REGISTRY[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    for method in ("GET", "POST"):
        if (entry.get if method == "GET" else entry.post) is None:
            continue
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == 302 and "/login/" in response["Location"], (name, method, response.status_code)


def test_public_views_are_public(client, world):
    response = client.get(reverse("verify", kwargs={"code": world.objects["version"].code}))
    assert response.status_code == 200


def test_admin_site_is_staff_only(client, world):
    """Every admin URL taking an id sends a portal user without staff status to the admin login."""
    director = world.insiders["director"]
    assert not director.is_staff
    client.force_login(director)
    checked = 0
    for name, kwargs in id_routes().items():
        if not name.startswith("admin:"):
            continue
        values = {k: ("schools" if k == "app_label" else "1") for k in kwargs}
        try:
            url = reverse(name, kwargs=values)
        except Exception:  # noqa: BLE001 — a regex route that does not accept the sample value
            continue
        response = client.get(url)
        assert response.status_code in (302, 404), (name, response.status_code)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"], (name, response["Location"])
        checked += 1
    assert checked > 20
