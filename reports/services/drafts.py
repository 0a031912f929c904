"""Draft conclusions and remarks written from the data, for the methodist to edit.

They are a starting point only: the reference cannot be sent for sign-off until a person has
reviewed and saved the text (`AnalyticalReference.draft_pending`).
"""

from __future__ import annotations

from decimal import Decimal

from core.numbers import format_count_percent, format_number
from core.sorting import natural_key

from ..models import ReferenceTemplate


def _types(snapshot: dict) -> list[tuple[str, str, int]]:
    return [(d["name"], t["name"], t["count"]) for d in snapshot["coverage"]["directions"] for t in d["types"]]


def draft_conclusions(*, snapshot: dict, template: str, precision: int) -> str:
    """Numbered conclusions: coverage of the directions, the strongest and weakest activity types."""
    cov = snapshot["coverage"]
    total = cov["total"]
    items: list[str] = []
    if not total:
        return "в отчётном периоде в перечне ШНОР/ШФНСУ нет ни одной ОО, анализ не проводился."
    with_done = sum(1 for s in cov["per_school"].values() if s.get("done_lines", 0) > 0)
    items.append(
        f"мероприятия «дорожных карт» выполнены (по утверждённым отчётам) в "
        f"{format_count_percent(with_done, total, precision)} ОО из {total};"
    )
    if template == ReferenceTemplate.METHODICAL_HELP:
        for ind in cov["indicators"]:
            items.append(
                f"{ind['name'][:1].lower()}{ind['name'][1:]} — {format_count_percent(ind['count'], total, precision)};"
            )
    types = [t for t in _types(snapshot)]
    if types:
        top = max(t[2] for t in types)
        low = min(t[2] for t in types)
        top_names = [f"«{t[1]}»" for t in types if t[2] == top][:3]
        low_names = [f"«{t[1]}»" for t in types if t[2] == low][:3]
        if top > 0:
            items.append(f"наибольший охват — {', '.join(top_names)}: {format_count_percent(top, total, precision)};")
        if low < top:
            items.append(f"наименьший охват — {', '.join(low_names)}: {format_count_percent(low, total, precision)};")
        by_direction = []
        for d in cov["directions"]:
            implemented = {sid for t in d["types"] for sid in t["school_ids"]}
            by_direction.append((len(implemented), d["name"]))
        best = max(by_direction)
        if best[0]:
            items.append(
                f"наиболее активно работа ведется по направлению «{best[1]}» "
                f"({format_count_percent(best[0], total, precision)} ОО реализуют хотя бы одно мероприятие);"
            )
    declines = snapshot.get("declines", [])
    if not declines and snapshot.get("results"):
        items.append("снижения средних результатов оценочных процедур по сравнению с предыдущим годом не выявлено.")
    return "\n".join(f"{n}) {text}" for n, text in enumerate(items, start=1))


def draft_remarks(*, snapshot: dict, template: str, precision: int) -> str:
    """Numbered remarks: schools with no done activities, declining results. Reports not yet approved
    are a warning for the author (reports/selectors/warnings.py), not a remark of the signed text."""
    cov = snapshot["coverage"]
    names = {str(s["id"]): s["name"] for s in cov["schools"]}
    items: list[str] = []
    idle = [names[sid] for sid, s in cov["per_school"].items() if s.get("done_lines", 0) == 0 and sid in names]
    if idle:
        items.append(
            "нет выполненных мероприятий «дорожной карты» в утверждённых отчётах за период: "
            + ", ".join(sorted(idle, key=natural_key))
            + ";"
        )
    unvisited = [names[sid] for sid, s in cov["per_school"].items() if not s.get("visits") and sid in names]
    if unvisited and template == ReferenceTemplate.METHODICAL_HELP:
        items.append(
            "адресная методическая помощь не оказывалась: " + ", ".join(sorted(unvisited, key=natural_key)) + ";"
        )
    for d in snapshot.get("declines", [])[:10]:
        items.append(
            f"{d['school']}: снижение среднего результата {d['procedure']} по предмету «{d['subject']}» "
            f"с {format_number(Decimal(d['from']))} ({d['from_year']}) до {format_number(Decimal(d['to']))} ({d['to_year']});"
        )
    if not items:
        return ""
    return "\n".join(f"{n}) {text}" for n, text in enumerate(items, start=1))
