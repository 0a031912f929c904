"""Warnings for the author of a reference: what the data leave out or take from beyond the period.

They are computed from a snapshot (`author_warnings` is a pure function of it; the reference page
and its text page pass today's, before generating) and shown on the author's screen only — never
printed in the signed text (docs/contracts.md → Coverage rules). A methodist who wants a sentence about them in the
document writes it into the reference's «Примечание о данных», which is empty by default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.calendar import date_text, shift_years
from monitoring.models import MethodicalVisit

from ..document.text import period_words, value_period_outside


@dataclass(frozen=True)
class AuthorWarning:
    key: str
    text: str
    rows: list[str] = field(default_factory=list)
    # A sentence the methodist may copy into the printed «Примечание о данных» (empty: none offered).
    sentence: str = ""


def visits_outside(school_ids: list[int], date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """Visits of the in-scope schools dated within a year before or after the period but not in it
    (one query): they are not counted, and the author is told (the snapshot's `visits_outside`). A
    date typed with the wrong year (03.12.2021 for 03.12.2020) lands here."""
    rows = (
        MethodicalVisit.objects.filter(
            school__in=school_ids, date__gte=shift_years(date_from, -1), date__lte=shift_years(date_to, 1)
        )
        .exclude(date__gte=date_from, date__lte=date_to)
        .order_by("date", "school_id", "pk")
        .values_list("school_id", "date")
    )
    return [{"school_id": school_id, "date": day.isoformat()} for school_id, day in rows]


def author_warnings(snapshot: dict[str, Any]) -> list[AuthorWarning]:
    """Every warning of the snapshot, in the order the page shows them."""
    from coverage.selectors.tables import key_title

    coverage = snapshot["coverage"]
    names = {str(s["id"]): s["name"] for s in coverage["schools"]}
    result: list[AuthorWarning] = []
    pending = coverage.get("not_approved_reports", 0)
    if pending:
        result.append(
            AuthorWarning(
                "not_approved",
                f"Не утверждено отчётов ОО за период: {pending}. Они не учтены в расчётах, пока методист их не утвердит.",
                sentence=f"Не утверждено отчётов ОО за период: {pending}; они не учтены в расчётах.",
            )
        )
    visits = snapshot.get("visits_outside", [])
    if visits:
        result.append(
            AuthorWarning(
                "visits_outside",
                "Посещения с датой вне периода справки не учтены. Если дата введена с ошибкой, исправьте её "
                "в разделе «Посещения» и сформируйте справку заново:",
                [f"{names.get(str(v['school_id']), v['school_id'])} — {date_text(v['date'])}" for v in visits],
            )
        )
    period = coverage["period"]
    values = []
    for school in coverage["schools"]:
        facts = coverage["per_school"].get(str(school["id"]), {})
        for code, entry in facts.get("indicators", {}).items():
            if value_period_outside(entry, period):
                values.append(
                    f"{school['name']} — «{key_title(code)}»: значение за период {period_words(entry['from'], entry['to'])}"
                )
    if values:
        result.append(
            AuthorWarning(
                "value_periods",
                f"Значения показателей внесены за период, выходящий за период справки ({period_words(period['from'], period['to'])}). "
                "Они учтены, а их период напечатан под таблицей; если есть значение за период справки, внесите его:",
                values,
            )
        )
    return result
