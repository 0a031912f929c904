"""The portal's calendar: academic years, calendar quarters, `YYYY-Qn` period strings and Russian date text.

- An academic year runs from 1 September to 31 August and is named by its start year
  (2020 is «2020/2021»); the portal accepts academic years from 2015/2016 to next year.
- A quarter is a calendar quarter: 2021-Q1 is 01.01.2021–31.03.2021. A quarter's report belongs to the
  academic year its last day falls in (2021-Q3 ends on 30 September → 2021/2022).
- A period of dates counts only the quarters lying wholly inside it: a quarter that overlaps the period
  partly is left out (its reports describe days outside the period).

Parsing functions raise `ValidationError` with a Russian message naming the expected form.
See docs/architecture.md («Календарь»).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_ACADEMIC_YEAR = 2015
"""The first academic year (2015/2016) the portal accepts; the last is next year."""

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_PERIOD_RE = re.compile(r"^(\d{1,9})-Q(\d{1,9})$")
_ACADEMIC_YEAR_RE = re.compile(r"^(\d{1,9})\s*[/\-–—]\s*(\d{1,9})$")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- Academic years ------------------------------------------------------------------------------


def shift_years(day: dt.date | None, years: int) -> dt.date | None:
    """The same day `years` later (earlier when negative), None for None; 29 February becomes 28 February."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def academic_year_of(day: dt.date) -> int:
    """The start year of the academic year containing `day` (1 September – 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of an academic year: 2020 → 01.09.2020, 31.08.2021."""
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


def academic_year_label(start_year: int) -> str:
    """2020 → «2020/2021»."""
    return f"{start_year}/{start_year + 1}"


def current_academic_year(today: dt.date | None = None) -> int:
    return academic_year_of(_today(today))


def last_academic_year(today: dt.date | None = None) -> int:
    """The latest academic year the portal accepts: next year."""
    return current_academic_year(today) + 1


def academic_years(today: dt.date | None = None) -> range:
    """Every academic year the portal accepts, oldest first (2015/2016 … next year)."""
    return range(FIRST_ACADEMIC_YEAR, last_academic_year(today) + 1)


def check_academic_year(start_year: int, *, today: dt.date | None = None) -> int:
    """Return `start_year`, or raise if it lies outside 2015/2016 … next year."""
    last = last_academic_year(today)
    if not FIRST_ACADEMIC_YEAR <= start_year <= last:
        raise ValidationError(
            _("Учебный год должен быть от %(first)s до %(last)s, указано: %(value)s.")
            % {
                "first": academic_year_label(FIRST_ACADEMIC_YEAR),
                "last": academic_year_label(last),
                "value": _year_text(start_year),
            },
            code="academic_year_range",
        )
    return start_year


def parse_academic_year(value: str, *, today: dt.date | None = None) -> int:
    """«2020/2021» (or 2020-2021) → 2020, the start year; raise for another form or an out-of-range year."""
    text = (value or "").strip()
    match = _ACADEMIC_YEAR_RE.match(text)
    if not match:
        raise ValidationError(
            _("Учебный год должен быть в формате 2020/2021, указано: «%(value)s».") % {"value": text[:40]},
            code="academic_year_format",
        )
    start, end = int(match.group(1)), int(match.group(2))
    if end != start + 1:
        raise ValidationError(
            _("Учебный год «%(value)s»: второй год должен следовать за первым.") % {"value": text},
            code="academic_year_format",
        )
    return check_academic_year(start, today=today)


def _year_text(year: int) -> str:
    text = str(year)
    return text if len(text) <= 12 else text[:12] + "…"


# --- Quarters ------------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    """The calendar quarter containing `day`: 15.05.2021 → (2021, 2)."""
    return day.year, (day.month - 1) // 3 + 1


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    return quarter_of(_today(today))


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """Calendar quarter: 2021-Q1 is 01.01.2021–31.03.2021."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) - dt.timedelta(days=1)
    return start, end


def quarters_within(date_from: dt.date, date_to: dt.date) -> list[tuple[int, int]]:
    """Calendar quarters (year, quarter) lying wholly inside [date_from, date_to], oldest first.

    A quarter overlapping the period only partly is left out.
    """
    result = []
    for year in range(date_from.year, date_to.year + 1):
        for quarter in range(1, 5):
            start, end = quarter_bounds(year, quarter)
            if start >= date_from and end <= date_to:
                result.append((year, quarter))
    return result


def quarter_academic_year(year: int, quarter: int) -> int:
    """The academic year a quarter's report belongs to: that of its last day (2021-Q1 → 2020; Q3 → 2021)."""
    return academic_year_of(quarter_bounds(year, quarter)[1])


def academic_year_quarters(start_year: int) -> list[tuple[int, int]]:
    """The four quarters whose reports belong to an academic year: Q3, Q4, then Q1, Q2 of the next year."""
    return [(start_year, 3), (start_year, 4), (start_year + 1, 1), (start_year + 1, 2)]


def roadmap_span(start_year: int) -> tuple[dt.date, dt.date]:
    """The days a roadmap of an academic year may name: its academic year (01.09.Y–31.08.Y+1) together
    with the quarters its reports cover (01.07.Y–30.06.Y+1), i.e. 01.07.Y–31.08.Y+1. A Q3 report
    (July–September) belongs to year Y, so its lines may carry July and August dates
    (docs/contracts.md, «The calendar»)."""
    first, last = academic_year_bounds(start_year)
    quarters = academic_year_quarters(start_year)
    return min(first, quarter_bounds(*quarters[0])[0]), max(last, quarter_bounds(*quarters[-1])[1])


# --- `YYYY-Qn` period strings --------------------------------------------------------------------


def period_string(year: int, quarter: int) -> str:
    """(2021, 1) → «2021-Q1», the form of a quarter in URLs, forms and workbooks."""
    return f"{year}-Q{quarter}"


def check_quarter(year: int, quarter: int, *, what: str = "", today: dt.date | None = None) -> tuple[int, int]:
    """Return (year, quarter), or raise if the quarter is not 1–4 or the year lies outside 2015 … next
    academic year's end. `what` names the value in the message («начала периода»)."""
    suffix = f" {what}" if what else ""
    if not 1 <= quarter <= 4:
        raise ValidationError(_("Квартал%(what)s должен быть от 1 до 4.") % {"what": suffix}, code="quarter_range")
    last = last_academic_year(today) + 1
    if not FIRST_ACADEMIC_YEAR <= year <= last:
        raise ValidationError(
            _("Год%(what)s должен быть от %(first)s до %(last)s, указано: %(value)s.")
            % {"what": suffix, "first": FIRST_ACADEMIC_YEAR, "last": last, "value": _year_text(year)},
            code="year_range",
        )
    return year, quarter


def parse_period(value: str | None, *, what: str = "", today: dt.date | None = None) -> tuple[int, int]:
    """«2021-Q1» → (2021, 1); raise for another form, a quarter outside 1–4 or an out-of-range year."""
    text = (value or "").strip()
    match = _PERIOD_RE.match(text)
    if not match:
        raise ValidationError(
            _("Квартал%(what)s должен быть в формате 2021-Q1, указано: «%(value)s».")
            % {"what": f" {what}" if what else "", "value": text[:40]},
            code="period_format",
        )
    return check_quarter(int(match.group(1)), int(match.group(2)), what=what, today=today)


# --- Russian date text ---------------------------------------------------------------------------


def _as_date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def date_text(value: dt.date | str | None, empty: str = "") -> str:
    """«01.12.2020» (ДД.ММ.ГГГГ) from a date or an ISO string; `empty` for no date."""
    if not value:
        return empty
    day = _as_date(value)
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def datetime_text(value: dt.datetime) -> str:
    """«01.12.2020 14:05» in the portal's time zone."""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_text(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def date_words(value: dt.date | str | None) -> str:
    """«01 июля 2021 года», as documents are dated; empty for no date."""
    if not value:
        return ""
    day = _as_date(value)
    return f"{day.day:02d} {MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def quarter_text(year: int, quarter: int) -> str:
    """(2021, 1) → «1 квартал 2021 г.»."""
    return f"{quarter} квартал {year} г."


def period_choices(quarters: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select of quarters: («2021-Q1», «1 квартал 2021 г.»)."""
    return [(period_string(y, q), quarter_text(y, q)) for y, q in quarters]
