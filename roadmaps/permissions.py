"""Who may act on a roadmap or a report: a role held within the school's scope (`core.scope`).

Visibility is the selectors' job (another school's object is a 404 before we get here); these checks
decide whether a user who can see the object may also act on it (403 otherwise). The services check
the same rights again for their actor.
"""

from __future__ import annotations

from core.models import Role, User
from core.scope import covers_school, has_role

from .models import QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus
from .selectors.windows import report_window_open

# Who may export report lines (each within their scope: a methodist's municipality, a
# coordinator's region, everything for an admin).
EXPORT_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.METHODIST)
# Who acts on a school's roadmap and reports, each within their scope; an admin acts as any of them.
EDITORS: tuple[str, ...] = (Role.DIRECTOR, Role.METHODIST, Role.ADMIN)
SUBMITTERS: tuple[str, ...] = (Role.DIRECTOR, Role.ADMIN)
REVIEWERS: tuple[str, ...] = (Role.METHODIST, Role.ADMIN)
CERTIFIERS: tuple[str, ...] = (Role.CURATOR, Role.ADMIN)


def can_edit_roadmap(user: User, roadmap: Roadmap) -> bool:
    if roadmap.status not in (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED):
        return False
    return covers_school(user, roadmap.school, roles=EDITORS)


def can_edit_report(user: User, report: QuarterlyReport) -> bool:
    """Directors edit a draft inside the reporting window, or a returned report at any time;
    methodists may edit any draft or returned report of their municipality (late schools)."""
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return False
    school = report.roadmap.school
    if covers_school(user, school, roles=REVIEWERS):
        return True
    if not covers_school(user, school, roles=SUBMITTERS):
        return False
    return report.status == ReportStatus.RETURNED or report_window_open(report)


def can_export(user: User) -> bool:
    return has_role(user, *EXPORT_ROLES)
