"""Turn the stored coverage dict into the rows the page, the drill-down and the xlsx print.

Pure functions over `coverage_compute`'s JSON (coverage/selectors/compute.py): the page reads a snapshot, never the live tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.calendar import academic_year_of, date_text
from core.numbers import format_count_percent, format_number, format_percent, format_ratio

# Per-school indicator tables of seed 000: (title, [(indicator code, column header, how to print)]).
SCHOOL_TABLES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "trained",
        "Повышение квалификации педагогов",
        [
            ("teachers_trained", "Прошли ПК / всего педагогов", "ratio"),
            ("teachers_trained", "% от общего количества", "percent"),
        ],
    ),
    (
        "iot",
        "Траектория профессионального роста (ИОТ)",
        [
            ("teachers_iot", "Участников регионального проекта", "value"),
            ("teachers_iot", "% педагогов, для которых разработаны ИОТ", "percent"),
        ],
    ),
    (
        "contests",
        "Конкурсы профессионального мастерства",
        [
            ("contest_participants", "Участников", "value"),
            ("contest_winners", "Победителей и призёров", "value"),
            ("contest_winners_regional", "в т.ч. региональный этап", "value"),
            ("contest_winners_municipal", "в т.ч. муниципальный этап", "value"),
        ],
    ),
    (
        "experience",
        "Банк актуального педагогического опыта",
        [("experience_bank", "Опытов внесено в муниципальный банк данных", "value")],
    ),
    (
        "associations",
        "Методические объединения, семинары",
        [
            ("methodical_association_participants", "Участников", "value"),
            ("experience_sharing_teachers", "Педагогов, транслирующих опыт", "value"),
        ],
    ),
]


def cell_text(entry: dict[str, Any] | None, how: str) -> str:
    """One indicator cell: «11/17», «64,71», «5»; «–» when the school has not entered it."""
    if entry is None:
        return "–"
    value = Decimal(entry["value"])
    if how == "ratio":
        return format_ratio(value, entry["denominator"])
    if how == "percent":
        return format_percent(value, entry["denominator"] or 0)
    return format_number(value)


def coverage_context(data: dict[str, Any]) -> dict[str, Any]:
    """Rows for the coverage page (every figure with its drill-down key)."""
    total = data["total"]
    indicators = [
        {**i, "text": format_count_percent(i["count"], total), "figure": f"indicator:{i['code']}"}
        for i in data["indicators"]
    ]
    directions = [
        {
            "code": d["code"],
            "name": d["name"],
            "types": [
                {**t, "text": format_count_percent(t["count"], total), "figure": f"type:{t['id']}"} for t in d["types"]
            ],
        }
        for d in data["directions"]
    ]
    schools = []
    for s in data["schools"]:
        facts = data["per_school"].get(str(s["id"]), {"visits": [], "done_lines": 0, "indicators": {}})
        schools.append(
            {
                **s,
                "visits_text": ", ".join(date_text(v) for v in facts["visits"]) or "–",
                "visits_count": len(facts["visits"]),
                "done_lines": facts["done_lines"],
                "tables": {
                    key: [cell_text(facts["indicators"].get(code), how) for code, _, how in columns]
                    for key, _, columns in SCHOOL_TABLES
                },
            }
        )
    tables = [
        {
            "key": key,
            "title": title,
            "columns": [{"header": header, "figure": f"value:{code}"} for code, header, _ in columns],
            "rows": [{"school": s, "cells": s["tables"][key]} for s in schools],
            "entered": sum(1 for s in schools if any(cell != "–" for cell in s["tables"][key])),
        }
        for key, title, columns in SCHOOL_TABLES
    ]
    return {
        "data": data,
        "total": total,
        "total_text": str(total),
        "indicator_rows": indicators,
        "direction_rows": directions,
        "school_rows": schools,
        "school_tables": tables,
        "not_approved": data["not_approved_reports"],
        "done_lines_total": sum(row["done_lines"] for row in schools),
    }


def drill_context(data: dict[str, Any], figure: str) -> dict[str, Any] | None:
    """The schools behind a figure and those missing from it; None for an unknown figure."""
    kind, _, key = figure.partition(":")
    title = None
    behind: set[int] | None = None
    if kind == "total":
        title = "ОО в области охвата (реестр ШНОР/ШФНСУ, действующий в периоде)"
        behind = {s["id"] for s in data["schools"]}
    elif kind == "indicator":
        for i in data["indicators"]:
            if i["code"] == key:
                title, behind = i["name"], set(i["school_ids"])
    elif kind == "type" and key.isdigit():
        for d in data["directions"]:
            for t in d["types"]:
                if t["id"] == int(key):
                    title, behind = f"{d['name']}: {t['name']}", set(t["school_ids"])
    elif kind == "value":
        names = {code: header for _, _, columns in SCHOOL_TABLES for code, header, _ in columns}
        if key in names:
            title = f"Внесён показатель «{key_title(key)}»"
            behind = {int(sid) for sid, facts in data["per_school"].items() if key in facts["indicators"]}
    if title is None or behind is None:
        return None
    schools = data["schools"]
    with_facts = []
    for s in schools:
        facts = data["per_school"].get(str(s["id"]), {"visits": [], "done_lines": 0, "indicators": {}})
        with_facts.append(
            {
                **s,
                "visits_text": ", ".join(date_text(v) for v in facts["visits"]) or "–",
                "done_lines": facts["done_lines"],
                "value_text": cell_text(facts["indicators"].get(key), "ratio" if key in RATIO_CODES else "value")
                if kind == "value"
                else None,
            }
        )
    included = [s for s in with_facts if s["id"] in behind]
    missing = [s for s in with_facts if s["id"] not in behind]
    return {
        "figure": figure,
        "figure_kind": kind,
        "title": title,
        "total": data["total"],
        "text": format_count_percent(len(included), data["total"]),
        "included": included,
        "missing": missing,
        "show_missing": kind != "total",
    }


RATIO_CODES = {"teachers_trained", "teachers_iot"}
VALUE_TITLES = {
    "teachers_trained": "Педагоги, прошедшие повышение квалификации",
    "teachers_iot": "Участники проекта «Траектория профессионального роста педагогов»",
    "contest_participants": "Участники конкурсов профессионального мастерства",
    "contest_winners": "Победители и призёры конкурсов",
    "contest_winners_regional": "Победители и призёры: региональный этап",
    "contest_winners_municipal": "Победители и призёры: муниципальный этап",
    "experience_bank": "Опыты в муниципальном банке данных",
    "methodical_association_participants": "Участники методических объединений, семинаров",
    "experience_sharing_teachers": "Педагоги, транслирующие опыт",
}


def key_title(code: str) -> str:
    return VALUE_TITLES.get(code, code)


def period_choices(date_from: dt.date, scope: Any) -> list[dict[str, Any]]:
    """Quick periods around the academic year of `date_from`: the year, its halves and quarters."""
    y = academic_year_of(date_from)
    d = dt.date
    options = [
        (f"{y}/{y + 1} учебный год", d(y, 9, 1), d(y + 1, 8, 31)),
        (f"Сентябрь {y} – июнь {y + 1}", d(y, 9, 1), d(y + 1, 6, 30)),
        (f"Сентябрь–декабрь {y}", d(y, 9, 1), d(y, 12, 31)),
        (f"Январь–июнь {y + 1}", d(y + 1, 1, 1), d(y + 1, 6, 30)),
        (f"IV квартал {y}", d(y, 10, 1), d(y, 12, 31)),
        (f"I квартал {y + 1}", d(y + 1, 1, 1), d(y + 1, 3, 31)),
        (f"II квартал {y + 1}", d(y + 1, 4, 1), d(y + 1, 6, 30)),
        (f"III квартал {y + 1}", d(y + 1, 7, 1), d(y + 1, 9, 30)),
    ]
    from urllib.parse import urlencode

    result = []
    for label, start, end in options:
        query = urlencode({"scope": str(scope), "date_from": start.isoformat(), "date_to": end.isoformat()})
        result.append({"label": label, "query": query, "from": start, "to": end})
    for label, year in ((f"← {y - 1}/{y}", y - 1), (f"{y + 1}/{y + 2} →", y + 1)):
        query = urlencode(
            {"scope": str(scope), "date_from": d(year, 9, 1).isoformat(), "date_to": d(year + 1, 8, 31).isoformat()}
        )
        result.append({"label": label, "query": query, "from": d(year, 9, 1), "to": d(year + 1, 8, 31), "nav": True})
    return result
