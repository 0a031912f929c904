"""Labels and input helpers shared by the roadmap views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.calendar import (
    parse_period,
)
from core.models import Role

from ..models import RoadmapStatus

ROADMAP_BADGES = {
    RoadmapStatus.DRAFT: "info",
    RoadmapStatus.SUBMITTED: "primary",
    RoadmapStatus.RETURNED: "warning",
    RoadmapStatus.APPROVED: "success",
}


LINE_BADGES = {"done": "success", "in_progress": "primary", "not_done": "danger", "postponed": "warning"}


REVIEW_ROLES = (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)


def _period_filter(request: HttpRequest) -> tuple[int, int] | None:
    """The `?period=2021-Q1` filter: None when absent, or unparsable (then the page says why and shows all)."""
    value = request.GET.get("period") or ""
    if not value:
        return None
    try:
        return parse_period(value)
    except ValidationError as exc:
        messages.warning(request, _("Фильтр по кварталу не применён: %(reason)s") % {"reason": exc.messages[0]})
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
