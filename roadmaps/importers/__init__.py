"""Workbook sheet `Мероприятия`: last year's paper reports brought into the portal.

Columns: Код ОО · Квартал · Направление · Вид мероприятия · Мероприятие · Срок · Статус · Результат.
Each row is one roadmap activity and its line in the quarter's report. The roadmap of the quarter's
academic year is created when missing; imported by a methodist, a coordinator, an admin or the
command, the report is recorded as approved (it was approved on paper). Re-importing the same file
updates the same activities and lines instead of duplicating them."""

from __future__ import annotations

from core.registry import Catalogue, template_catalogues

from ..models import ActivityType, Direction, LineStatus
from .activities import COLUMNS, WHAT_DIRECTION, WHAT_TYPE, ActivityImporter, ActivityRow
from .lookups import BATCH_SIZE, CHUNK

__all__ = ["ActivityImporter", "ActivityRow", "BATCH_SIZE", "CHUNK", "COLUMNS", "WHAT_DIRECTION", "WHAT_TYPE"]

# The drop-downs of the import template (core/exports.py) for the Мероприятия sheet.
template_catalogues.register(
    Catalogue("Направления", lambda scope: list(Direction.objects.order_by("order").values_list("name", flat=True))),
    order=20,
)
template_catalogues.register(
    Catalogue(
        "Виды мероприятий",
        lambda scope: list(
            ActivityType.objects.filter(is_active=True)
            .order_by("direction__order", "order")
            .values_list("name", flat=True)
        ),
    ),
    order=30,
)
template_catalogues.register(
    Catalogue("Статусы", lambda scope: [str(label) for _v, label in LineStatus.choices]), order=60
)
