"""Workbook sheet `Мероприятия`: last year's paper reports brought into the portal.

Columns: Код ОО · Квартал · Направление · Вид мероприятия · Мероприятие · Срок · Статус · Результат.
Each row is one roadmap activity and its line in the quarter's report. The roadmap of the quarter's
academic year is created when missing; imported by a methodist, a coordinator, an admin or the
command, the report is recorded as approved (it was approved on paper). Re-importing the same file
updates the same activities and lines instead of duplicating them."""

from __future__ import annotations

from .activities import COLUMNS, WHAT_DIRECTION, WHAT_TYPE, ActivityImporter, ActivityRow
from .lookups import BATCH_SIZE, CHUNK

__all__ = ["ActivityImporter", "ActivityRow", "BATCH_SIZE", "CHUNK", "COLUMNS", "WHAT_DIRECTION", "WHAT_TYPE"]
