"""The `Мероприятия` sheet: each row checked on its own (clean_row), then all written in bulk."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import date_text, quarter_bounds
from core.workbook import (
    ImportContext,
    RowError,
    SheetImporter,
    normalize_name,
    parse_choice,
    parse_date,
    parse_quarter,
    parse_text,
    register,
)
from schools.models import School

from ..models import ActivityType, Direction, LineStatus
from ..services.report_lines import NEEDS_REASON
from .lookups import _reports_in_review, _today, _types_of
from .plan import ActivityPlan

# Evaluated only when a message needs them: translating on every row of a big sheet shows in its time.
WHAT_DIRECTION = gettext_lazy("направление")


WHAT_TYPE = gettext_lazy("вид мероприятия")


COLUMNS = ("Код ОО", "Квартал", "Направление", "Вид мероприятия", "Мероприятие", "Срок", "Статус", "Результат")


# A cell shaped like one date (31.02.2021, 2021-02-30) that is not a valid one is a typo, refused;
# any other text is a deadline as the school wrote it («2020–2021 гг.», «март – май 2021»).
_ONE_DATE_SHAPE = re.compile(r"^\s*(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})\s*$")


def _deadline(value: Any, quarter_end: dt.date) -> tuple[dt.date, str]:
    """The `Срок` cell: one date (empty: the quarter's last day), or the deadline as text, which
    keeps the quarter's last day as its date for ordering and the reporting windows."""
    try:
        return parse_date(value, "Срок") or quarter_end, ""
    except RowError:
        text = parse_text(value, "Срок", max_length=100)
        if _ONE_DATE_SHAPE.match(text):
            raise
        return quarter_end, text


@dataclass
class ActivityRow:
    row: int
    school: School
    year: int
    quarter: int
    direction: Direction
    activity_type: ActivityType | None
    title: str
    due_on: dt.date
    due_text: str
    status: str
    result: str
    reason: str


@register
class ActivityImporter(SheetImporter):
    sheet_name = "Мероприятия"
    columns = COLUMNS
    required_columns = ("Код ОО", "Квартал", "Направление", "Вид мероприятия", "Мероприятие", "Статус")
    order = 40

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> ActivityRow:
        school = ctx.school(row.get("Код ОО"))
        year, quarter = parse_quarter(row.get("Квартал"), "Квартал")
        if not 2000 <= year <= 2100:
            raise RowError("Квартал", _("год %(y)s вне допустимого диапазона") % {"y": year})
        start, end = quarter_bounds(year, quarter)
        if start > _today(ctx):
            raise RowError("Квартал", _("%(q)s квартал %(y)s г. ещё не начался") % {"q": quarter, "y": year})

        direction, activity_type = self._direction_and_type(row, ctx)

        title = parse_text(row.get("Мероприятие"), "Мероприятие", max_length=1000)
        if not title:
            if activity_type is None:
                raise RowError("Мероприятие", _("укажите мероприятие или вид мероприятия из перечня"))
            title = activity_type.name[:1].upper() + activity_type.name[1:]
        due_on, due_text = _deadline(row.get("Срок"), end)
        if due_on < dt.date(year - 2, 1, 1) or due_on > dt.date(year + 2, 12, 31):
            raise RowError(
                "Срок",
                _("срок %(d)s далёк от квартала %(y)s-Q%(q)s") % {"d": date_text(due_on), "y": year, "q": quarter},
            )
        status = parse_choice(row.get("Статус"), LineStatus, "Статус")
        text = parse_text(row.get("Результат"), "Результат", max_length=20000)
        result, reason = text, ""
        if status in NEEDS_REASON:
            if not text:
                raise RowError(
                    "Результат",
                    _("для статуса «%(s)s» укажите в столбце «Результат» причину") % {"s": LineStatus(status).label},
                )
            result, reason = "", text

        existing = _reports_in_review(ctx, year, quarter).get(school.pk)
        if existing is not None:
            raise RowError(
                "Квартал",
                _("отчёт ОО за %(p)s сейчас в статусе «%(s)s» и ведётся на портале — импорт в него невозможен")
                % {"p": existing.period_label, "s": existing.get_status_display()},
            )
        key = (school.pk, year, quarter, direction.pk, normalize_name(title), due_on)
        seen: dict = ctx.data.setdefault("activity_rows", {})
        if key in seen:
            raise RowError(None, _("повторяет строку %(n)s") % {"n": seen[key]})
        seen[key] = ctx.row_number or 0
        return ActivityRow(
            ctx.row_number or 0,
            school,
            year,
            quarter,
            direction,
            activity_type,
            title,
            due_on,
            due_text,
            status,
            result,
            reason,
        )

    def _direction_and_type(self, row: dict[str, Any], ctx: ImportContext) -> tuple[Direction, ActivityType | None]:
        """The row's direction and activity type from the catalogues; the direction may be left empty
        when the type names it."""
        direction = ctx.lookup(
            Direction.objects.all(),
            row.get("Направление"),
            "Направление",
            what=WHAT_DIRECTION,
            required=False,
            cache_key="activity-directions",
        )
        activity_type = ctx.lookup(
            _types_of(ctx, direction),
            row.get("Вид мероприятия"),
            "Вид мероприятия",
            what=WHAT_TYPE,
            required=False,
            cache_key=f"activity-types:{direction.pk if direction else '*'}",
        )
        if direction is None:
            if activity_type is None:
                raise RowError("Направление", _("укажите направление (или вид мероприятия из перечня)"))
            direction = activity_type.direction
        return direction, activity_type

    def write(self, cleaned_rows: list[ActivityRow], ctx: ImportContext) -> tuple[int, int]:
        """Plan every row in memory against what the database holds, then write in bulk (plan.py)."""
        plan = ActivityPlan(cleaned_rows, user=ctx.user, approve=ctx.is_staff_import)
        for item in cleaned_rows:
            ctx.row_number = item.row
            plan.add(item, ctx)
        plan.save()
        return plan.created, plan.updated
