"""Home-page panels of the schools app, one per role (`panels(user) -> list[dict]`).

Each panel costs a fixed number of queries whatever the number of schools.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import academic_year_label
from core.models import Role, User
from core.registry import home_panels
from core.scope import curator_active_q, memberships, roles_of, schools_for

from .models import Category, CuratorAssignment, Municipality, PartnerAssignment, Region, RegistryEntry, School
from .selectors.directory import registry_year_with_data


@home_panels.register(order=10)
def panels(user: User) -> list[dict]:
    roles = roles_of(user)
    held = memberships(user)
    result: list[dict] = []
    if Role.DIRECTOR in roles:
        result.append(director_panel(user, [m.school_id for m in held if m.role == Role.DIRECTOR]))
    if Role.CURATOR in roles:
        result.append(curator_panel(user))
    if Role.ADMIN in roles:
        result.append(admin_panel())
        return result
    region_ids = {m.region_id for m in held if m.role in (Role.COORDINATOR, Role.HEAD) and m.region_id}
    if region_ids:
        result.append(region_panel(region_ids))
    municipality_ids = {m.municipality_id for m in held if m.role in (Role.METHODIST, Role.HEAD) and m.municipality_id}
    if municipality_ids:
        result.append(municipality_panel(municipality_ids))
    return result


def _municipality_rows(municipalities: QuerySet[Municipality], year: int) -> list[Municipality]:
    """Schools and registry counts of the academic year per municipality, in one query."""
    in_year = Q(schools__registry_entries__academic_year=year)
    active = in_year & Q(schools__registry_entries__excluded_on__isnull=True)
    return list(
        municipalities.annotate(
            schools_total=Count("schools", distinct=True),
            shnor=Count(
                "schools__registry_entries", filter=active & Q(schools__registry_entries__category=Category.SHNOR)
            ),
            shfnsu=Count(
                "schools__registry_entries", filter=active & Q(schools__registry_entries__category=Category.SHFNSU)
            ),
            excluded=Count(
                "schools__registry_entries", filter=in_year & Q(schools__registry_entries__excluded_on__isnull=False)
            ),
        )
        .select_related("region")
        .order_by("region__name", "name")
    )


def _totals(rows: list[Municipality]) -> dict[str, int]:
    return {key: sum(getattr(row, key) for row in rows) for key in ("schools_total", "shnor", "shfnsu", "excluded")}


def director_panel(user: User, school_ids: list[int]) -> dict:
    """The director's school(s): key figures and a link to the card."""
    today = timezone.localdate()
    schools = list(
        School.objects.filter(pk__in=school_ids)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "registry_entries", queryset=RegistryEntry.objects.order_by("-academic_year"), to_attr="registry_list"
            ),
            Prefetch(
                "curator_assignments",
                queryset=CuratorAssignment.objects.filter(curator_active_q(today)).order_by("full_name"),
                to_attr="active_curators",
            ),
            Prefetch(
                "partner_assignments",
                queryset=PartnerAssignment.objects.filter(Q(date_to__isnull=True) | Q(date_to__gte=today))
                .filter(date_from__lte=today)
                .select_related("leader"),
                to_attr="active_partners",
            ),
        )
        .order_by("name")
    )
    return {"template": "schools/panels/director.html", "order": 10, "schools": schools}


def curator_panel(user: User) -> dict:
    """The schools currently assigned to the curator."""
    schools = list(
        schools_for(user, roles=(Role.CURATOR,))
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "registry_entries", queryset=RegistryEntry.objects.order_by("-academic_year"), to_attr="registry_list"
            )
        )
        .order_by("name")
    )
    return {"template": "schools/panels/curator.html", "order": 10, "schools": schools}


def municipality_panel(municipality_ids: set[int]) -> dict:
    """The municipality's schools by registry category (methodist, municipal head)."""
    year = registry_year_with_data(RegistryEntry.objects.filter(school__municipality_id__in=municipality_ids))
    rows = _municipality_rows(Municipality.objects.filter(pk__in=municipality_ids), year)
    return {
        "template": "schools/panels/municipalities.html",
        "order": 20,
        "title": _("Школы муниципалитета") if len(rows) == 1 else _("Школы муниципалитетов"),
        "rows": rows,
        "totals": _totals(rows),
        "show_totals": len(rows) > 1,
        "year": year,
        "year_label": academic_year_label(year),
    }


def region_panel(region_ids: set[int]) -> dict:
    """Registry schools of the academic year per municipality of the region (coordinator, regional head)."""
    year = registry_year_with_data(RegistryEntry.objects.filter(school__municipality__region_id__in=region_ids))
    rows = _municipality_rows(Municipality.objects.filter(region_id__in=region_ids), year)
    regions = sorted({row.region.name for row in rows})
    return {
        "template": "schools/panels/municipalities.html",
        "order": 20,
        "title": _("Реестр по муниципалитетам: %(regions)s") % {"regions": ", ".join(regions)}
        if regions
        else _("Реестр по муниципалитетам"),
        "rows": rows,
        "totals": _totals(rows),
        "show_totals": True,
        "year": year,
        "year_label": academic_year_label(year),
    }


def admin_panel() -> dict:
    """Totals over every organisation of the portal."""
    year = registry_year_with_data(RegistryEntry.objects.all())
    schools = School.objects.aggregate(total=Count("pk"), leaders=Count("pk", filter=Q(is_leader=True)))
    registry = RegistryEntry.objects.filter(academic_year=year).aggregate(
        shnor=Count("pk", filter=Q(category=Category.SHNOR, excluded_on__isnull=True)),
        shfnsu=Count("pk", filter=Q(category=Category.SHFNSU, excluded_on__isnull=True)),
        excluded=Count("pk", filter=Q(excluded_on__isnull=False)),
    )
    return {
        "template": "schools/panels/admin.html",
        "order": 20,
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "schools": schools["total"],
        "leaders": schools["leaders"],
        "users": User.objects.filter(is_active=True).count(),
        "registry": registry,
        "year": year,
        "year_label": academic_year_label(year),
    }
