"""The state and shared pieces of a reference document (the sections are in methodical.py, roadmap.py,
program.py; builder.py puts them together)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.calendar import academic_year_of, date_text
from core.numbers import format_count_percent

from ..models import ScopeKind
from .text import _dec, period_words, value_period_outside


class DocumentBase:
    """What every section of a reference reads: the snapshot, the narrative, the precision."""

    def __init__(self, *, snapshot: dict, narrative: dict, template: str, precision: int) -> None:
        self.snapshot = snapshot
        self.coverage = snapshot["coverage"]
        self.narrative = narrative
        self.template = template
        self.places = precision
        self.schools = self.coverage["schools"]
        self.total = self.coverage["total"]
        self.is_region = self.coverage["scope"]["kind"] == ScopeKind.REGION

    def cp(self, count: int, total: int | None = None) -> str:
        return format_count_percent(count, self.total if total is None else total, self.places)

    def indicator(self, school_id: int | str, code: str) -> tuple[Decimal | None, int | None]:
        entry = self.coverage["per_school"].get(str(school_id), {}).get("indicators", {}).get(code)
        if not entry:
            return None, None
        return _dec(entry.get("value")), entry.get("denominator")

    def period_mark(self, school_id: int | str, code: str, marks: dict[tuple[str, str], str]) -> str:
        """«» for a value of the reference period; for a value whose own period reaches beyond it, the
        footnote mark of that period («*», «**», …), added to `marks` (see `period_notes`)."""
        entry = self.coverage["per_school"].get(str(school_id), {}).get("indicators", {}).get(code)
        if not entry or not value_period_outside(entry, self.coverage["period"]):
            return ""
        return marks.setdefault((entry["from"], entry["to"]), "*" * (len(marks) + 1))

    @staticmethod
    def period_notes(marks: dict[tuple[str, str], str]) -> list[str]:
        """The footnotes under a table: which period each marked value belongs to."""
        return [f"{mark} Значение за период {period_words(f, t)}." for (f, t), mark in marks.items()]

    def school_label(self, school: dict) -> str:
        """In a region-wide reference the school's own municipality follows the name, unless the name
        already says it («… Почепского района» for Почепский район)."""
        if self.is_region and not names_municipality(school["name"], school["municipality"]):
            return f"{school['name']} ({school['municipality']})"
        return school["name"]

    def period_text(self) -> str:
        period = self.coverage["period"]
        return f"с {date_text(period['from'])} по {date_text(period['to'])}"

    def academic_year_text(self) -> str:
        start = dt.date.fromisoformat(self.coverage["period"]["from"])
        end = dt.date.fromisoformat(self.coverage["period"]["to"])
        first, last = academic_year_of(start), academic_year_of(end)
        if first == last:
            return f"в {first}-{first + 1} учебном году"
        return f"в период {self.period_text()}"

    def indicators(self) -> list[dict[str, str]]:
        return [
            {"code": i["code"], "name": i["name"], "value": self.cp(i["count"])} for i in self.coverage["indicators"]
        ]

    def indicator_by_code(self, code: str) -> dict:
        for item in self.coverage["indicators"]:
            if item["code"] == code:
                return item
        return {"code": code, "count": 0, "school_ids": []}


def names_municipality(name: str, municipality: str) -> bool:
    """Whether a school's name names its municipality: the genitive of the municipality's first word
    («Почепский район» → «почепского», «Жуковский муниципальный округ» → «жуковского»). A prefix of
    the word is not enough: «Краснорогская СОШ» does not name Красногорский район, nor «Брянской
    области» Брянский район."""
    first = (municipality.split() or [""])[0].lower()
    if len(first) < 4 or first[-2:] not in ("ий", "ый", "ой"):
        return False
    return f"{first[:-2]}ого" in name.lower()
