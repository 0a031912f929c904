"""Reporting windows: the deadline of a quarter's reports in a region (set by its coordinator)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.calendar import date_text, quarter_bounds
from core.models import Role, User
from core.scope import require_region
from schools.models import Region
from schools.services import require_active

from ..models import QuarterDeadline


@transaction.atomic
def deadline_set(*, region: Region, year: int, quarter: int, deadline: dt.date, user: User) -> QuarterDeadline:
    """Set the quarter's report deadline for the region: from the quarter's last month to 90 days after it."""
    require_region(user, region, roles=(Role.COORDINATOR, Role.ADMIN))
    require_active(region)
    _start, end = quarter_bounds(year, quarter)
    earliest = end - dt.timedelta(days=30)
    if not earliest <= deadline <= end + dt.timedelta(days=90):
        raise ValidationError(
            {
                "deadline": [
                    _("Срок сдачи отчёта за %(q)s квартал %(y)s г. должен быть не раньше %(end)s и не позже %(max)s.")
                    % {
                        "q": quarter,
                        "y": year,
                        "end": date_text(earliest),
                        "max": date_text(end + dt.timedelta(days=90)),
                    }
                ]
            }
        )
    row, _created = QuarterDeadline.objects.update_or_create(
        region=region, year=year, quarter=quarter, defaults={"deadline": deadline}
    )
    return row
