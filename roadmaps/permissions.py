"""Who may act on a roadmap or a report: a role held within the school's scope.

Visibility is the selectors' job (another school's object is a 404 before we get here); these checks
decide whether a user who can see the object may also act on it (403 otherwise).
"""

from __future__ import annotations

from django.utils import timezone

from core.models import Role, User
from schools.models import CuratorAssignment, School
from schools.selectors import _memberships, has_role

from .models import QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus
from .selectors.windows import report_window_open

# Who may export report lines (each within their scope: a methodist's municipality, a
# coordinator's region, everything for an admin).
EXPORT_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.METHODIST)


def acts_as(user: User, school: School, *roles: str) -> bool:
    """True when the user holds one of `roles` within the school's scope (admin always)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    for m in _memberships(user):
        if m.role == Role.ADMIN:
            return True
        if m.role not in roles:
            continue
        if m.role == Role.DIRECTOR and m.school_id == school.pk:
            return True
        if m.role in (Role.METHODIST, Role.HEAD) and m.municipality_id == school.municipality_id:
            return True
        if m.role in (Role.HEAD, Role.COORDINATOR) and m.region_id:
            if m.region_id == school.municipality.region_id:
                return True
        if m.role == Role.CURATOR and is_curator_of(user, school):
            return True
    return False


def is_curator_of(user: User, school: School) -> bool:
    today = timezone.localdate()
    cache = user.__dict__.setdefault("_curated_cache", {})
    if school.pk not in cache:
        cache[school.pk] = (
            CuratorAssignment.objects.filter(school=school, user=user, assigned_on__lte=today)
            .exclude(unassigned_on__lt=today)
            .exists()
        )
    return cache[school.pk]


def is_director(user: User, school: School) -> bool:
    return acts_as(user, school, Role.DIRECTOR)


def can_edit_roadmap(user: User, roadmap: Roadmap) -> bool:
    if roadmap.status not in (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED):
        return False
    return acts_as(user, roadmap.school, Role.DIRECTOR, Role.METHODIST)


def can_edit_report(user: User, report: QuarterlyReport) -> bool:
    """Directors edit a draft inside the reporting window, or a returned report at any time;
    methodists may edit any draft or returned report of their municipality (late schools)."""
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return False
    school = report.roadmap.school
    if acts_as(user, school, Role.METHODIST):
        return True
    if not acts_as(user, school, Role.DIRECTOR):
        return False
    return report.status == ReportStatus.RETURNED or report_window_open(report)


def can_export(user: User) -> bool:
    return has_role(user, *EXPORT_ROLES)
