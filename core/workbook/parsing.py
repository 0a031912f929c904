"""Parse helpers for workbook cells: text, names, dates, numbers, quarters, academic years, да/нет.

Each raises `RowError(column, message)` with a Russian message saying what is wrong with the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.calendar import check_academic_year, check_quarter, date_text

# XML 1.0 forbids these; openpyxl refuses to write them and they are never meaningful in a cell.
ILLEGAL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_QUOTES_RE = re.compile(r"[\"'«»“”„‟‘’‚‛`´]")
_SPACES_RE = re.compile(r"\s+")
_DASHES_RE = re.compile(r"[‐‑‒–—―]")
_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_QUARTER_RE = re.compile(r"^(\d{4})\s*-?\s*[QqКк]\s*([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})\s*[/\-–—]\s*(\d{4})$")
_TRUE = {"да", "д", "yes", "y", "true", "1", "истина", "+"}
_FALSE = {"нет", "н", "no", "n", "false", "0", "ложь", "-"}


class RowError(Exception):
    """A bad cell: `column` is the contract header name (None for the whole row)."""

    def __init__(self, column: str | None, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.column = column
        self.message = str(message)
        self.row = row


def clean_text(value: Any) -> str:
    """Cell value as stripped text without XML-illegal control characters ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return date_text(value)
    return ILLEGAL_CHARS_RE.sub("", str(value)).strip()


def normalize_name(value: Any) -> str:
    """A comparison key insensitive to case, spacing, quote style («», "", ''), ё/е and dashes.

    The one key every catalogue lookup of an import compares by. Spacing is ignored entirely, not
    just collapsed: documents write «обучающимися(в том числе …)» where the catalogue has a space.
    """
    s = clean_text(value).casefold().replace("ё", "е")
    s = _QUOTES_RE.sub("", s)
    s = _DASHES_RE.sub("-", s)
    return _SPACES_RE.sub("", s)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def required(value: Any, column: str) -> Any:
    """The value itself, or a RowError when the cell is empty."""
    if is_empty(value):
        raise RowError(column, _("обязательное поле не заполнено"))
    return value


def parse_text(value: Any, column: str, *, required: bool = False, max_length: int | None = None) -> str:
    text = clean_text(value)
    if required and not text:
        raise RowError(column, _("обязательное поле не заполнено"))
    if max_length is not None and len(text) > max_length:
        raise RowError(
            column,
            _("слишком длинное значение: %(n)s символов, допустимо не более %(max)s")
            % {"n": len(text), "max": max_length},
        )
    return text


def parse_date(value: Any, column: str, *, required: bool = False) -> dt.date | None:
    """`ДД.ММ.ГГГГ`, a real Excel date, or ISO `ГГГГ-ММ-ДД`; None for an empty optional cell."""
    if is_empty(value):
        if required:
            raise RowError(column, _("обязательное поле не заполнено"))
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value)
        return converted.date() if isinstance(converted, dt.datetime) else converted
    text = clean_text(value)
    match = _DATE_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO_DATE_RE.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise RowError(column, _("такой даты нет: «%(v)s»") % {"v": text}) from None
    raise RowError(column, _("дата должна быть в формате ДД.ММ.ГГГГ, получено «%(v)s»") % {"v": text})


def parse_int(
    value: Any, column: str, *, required: bool = False, min_value: int | None = 0, max_value: int | None = None
) -> int | None:
    """A whole number (None for an empty optional cell); negative numbers rejected by default."""
    if is_empty(value):
        if required:
            raise RowError(column, _("обязательное поле не заполнено"))
        return None
    if isinstance(value, bool):
        raise RowError(column, _("ожидается целое число, получено «%(v)s»") % {"v": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = clean_text(value).replace("\u00a0", "").replace(" ", "")
        if not re.fullmatch(r"[-+]?\d+", text):
            raise RowError(column, _("ожидается целое число, получено «%(v)s»") % {"v": clean_text(value)})
        number = int(text)
    if min_value is not None and number < min_value:
        raise RowError(column, _("значение %(v)s меньше допустимого (%(min)s)") % {"v": number, "min": min_value})
    if max_value is not None and number > max_value:
        raise RowError(column, _("значение %(v)s больше допустимого (%(max)s)") % {"v": number, "max": max_value})
    return number


def parse_decimal(
    value: Any,
    column: str,
    *,
    required: bool = False,
    min_value: Decimal | int | None = 0,
    max_value: Decimal | int | None = None,
) -> Decimal | None:
    """A decimal number, with a comma or a point (None for an empty optional cell)."""
    if is_empty(value):
        if required:
            raise RowError(column, _("обязательное поле не заполнено"))
        return None
    if isinstance(value, bool):
        raise RowError(column, _("ожидается число, получено «%(v)s»") % {"v": value})
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = clean_text(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise RowError(column, _("ожидается число, получено «%(v)s»") % {"v": clean_text(value)})
    if min_value is not None and number < Decimal(min_value):
        raise RowError(column, _("значение %(v)s меньше допустимого (%(min)s)") % {"v": _fmt(number), "min": min_value})
    if max_value is not None and number > Decimal(max_value):
        raise RowError(column, _("значение %(v)s больше допустимого (%(max)s)") % {"v": _fmt(number), "max": max_value})
    return number


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def parse_quarter(value: Any, column: str) -> tuple[int, int]:
    """`2021-Q1` → (2021, 1); `2021-К1` and `2021 Q1` are accepted too."""
    text = clean_text(value)
    if not text:
        raise RowError(column, _("обязательное поле не заполнено"))
    match = _QUARTER_RE.match(text)
    if not match:
        raise RowError(column, _("квартал должен быть в формате 2021-Q1, получено «%(v)s»") % {"v": text})
    try:
        return check_quarter(int(match.group(1)), int(match.group(2)))
    except ValidationError as exc:
        raise RowError(column, exc.messages[0]) from None


def parse_academic_year(value: Any, column: str) -> int:
    """`2020/2021` → 2020 (the start year)."""
    text = clean_text(value)
    if not text:
        raise RowError(column, _("обязательное поле не заполнено"))
    match = _YEAR_RE.match(text)
    if not match:
        raise RowError(column, _("учебный год должен быть в формате 2020/2021, получено «%(v)s»") % {"v": text})
    start, end = int(match.group(1)), int(match.group(2))
    if end != start + 1:
        raise RowError(column, _("учебный год «%(v)s»: второй год должен следовать за первым") % {"v": text})
    try:
        return check_academic_year(start)
    except ValidationError as exc:
        raise RowError(column, exc.messages[0]) from None


def parse_year(value: Any, column: str) -> int:
    year = parse_int(value, column, required=True, min_value=2000, max_value=2100)
    assert year is not None
    return year


def parse_bool(value: Any, column: str, *, default: bool | None = None) -> bool:
    """`да` / `нет` (empty → `default`, or an error when there is no default)."""
    if isinstance(value, bool):
        return value
    text = normalize_name(value)
    if not text:
        if default is None:
            raise RowError(column, _("обязательное поле не заполнено (да/нет)"))
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(column, _("ожидается «да» или «нет», получено «%(v)s»") % {"v": clean_text(value)})


_CHOICE_INDEXES: dict[tuple[type, str | None], dict[str, str]] = {}


def _choice_index(choices: type[models.Choices] | list[tuple[str, Any]]) -> dict[str, str]:
    """Normalised code or label → code, the first pair winning as in a scan of the pairs. A choices
    class's index is kept per language: a sheet of many rows normalises its labels once."""
    key = (choices, get_language()) if isinstance(choices, type) else None
    if key is not None and key in _CHOICE_INDEXES:
        return _CHOICE_INDEXES[key]
    pairs = choices.choices if isinstance(choices, type) else choices
    index: dict[str, str] = {}
    for code, label in pairs:
        index.setdefault(normalize_name(code), code)
        index.setdefault(normalize_name(label), code)
    if key is not None:
        _CHOICE_INDEXES[key] = index
    return index


def parse_choice(
    value: Any, choices: type[models.Choices] | Iterable[tuple[str, Any]], column: str, *, required: bool = True
) -> str:
    """A TextChoices value given as its code or its Russian label."""
    text = normalize_name(value)
    if not text:
        if required:
            raise RowError(column, _("обязательное поле не заполнено"))
        return ""
    if not isinstance(choices, type):
        choices = list(choices)
    index = _choice_index(choices)
    if text in index:
        return index[text]
    pairs = choices.choices if isinstance(choices, type) else choices
    allowed = ", ".join(str(label) for _code, label in pairs)
    raise RowError(
        column,
        _("недопустимое значение «%(v)s»; допустимо: %(allowed)s") % {"v": clean_text(value), "allowed": allowed},
    )
