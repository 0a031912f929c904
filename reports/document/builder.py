"""Builds the sections and tables of a reference, as strings, from a version's snapshot and narrative."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.calendar import academic_year_of, date_text, parse_period, quarter_text
from core.numbers import format_count_percent, format_number, format_percent, format_ratio

from ..models import ReferenceTemplate, ScopeKind
from .text import (
    DEFAULT_TITLES,
    Table,
    _dec,
    _h,
    genitive_authority,
    lines,
    subject_short,
)


class DocumentBuilder:
    """Turns (snapshot, narrative, template, precision) into sections and tables of strings."""

    def __init__(self, *, snapshot: dict, narrative: dict, template: str, precision: int) -> None:
        self.snapshot = snapshot
        self.coverage = snapshot["coverage"]
        self.narrative = narrative
        self.template = template
        self.places = precision
        self.schools = self.coverage["schools"]
        self.total = self.coverage["total"]
        self.is_region = self.coverage["scope"]["kind"] == ScopeKind.REGION

    # --- shared pieces ---------------------------------------------------------------------------

    def cp(self, count: int, total: int | None = None) -> str:
        return format_count_percent(count, self.total if total is None else total, self.places)

    def indicator(self, school_id: int | str, code: str) -> tuple[Decimal | None, int | None]:
        entry = self.coverage["per_school"].get(str(school_id), {}).get("indicators", {}).get(code)
        if not entry:
            return None, None
        return _dec(entry.get("value")), entry.get("denominator")

    def school_label(self, school: dict) -> str:
        """In a region-wide reference the municipality follows the name, unless the name says it."""
        if self.is_region:
            stem = (school["municipality"].split() or [""])[0][:6].lower()
            if not stem or stem not in school["name"].lower():
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

    # --- methodical-help (seed 000) ----------------------------------------------------------------

    def methodical_tables(self) -> dict[str, Table]:
        p = self.places
        targeted = {int(i) for i in self.indicator_by_code("targeted_help")["school_ids"]}
        visits_rows = []
        for s in self.schools:
            visits = self.coverage["per_school"].get(str(s["id"]), {}).get("visits", [])
            visits_rows.append(
                [
                    self.school_label(s),
                    ", ".join(date_text(v) for v in visits) or "посещений не было",
                    format_percent(1 if int(s["id"]) in targeted else 0, 1, p),
                ]
            )
        visits = Table(
            key="visits",
            title="Посещение ОО с целью оказания адресной методической помощи",
            head=[
                [
                    _h("ОО"),
                    _h("Дата посещения"),
                    _h("Процент ШНОР/ШФНСУ, которым была оказана адресная методическая помощь"),
                ]
            ],
            rows=visits_rows,
            foot=[["Итого по ОО", "", self.cp(len(targeted))]],
            widths=[38, 40, 22],
            numeric_from=2,
        )

        def ratio_table(key: str, code: str, title: str, head: list[str], as_count: bool) -> Table:
            rows = []
            num_sum, den_sum = Decimal(0), 0
            for s in self.schools:
                value, denominator = self.indicator(s["id"], code)
                if denominator is None and value is not None:
                    denominator = s.get("teachers_count") or None
                if value is not None and denominator:
                    num_sum += value
                    den_sum += denominator
                first = format_number(value) if as_count else format_ratio(value, denominator)
                rows.append(
                    [
                        self.school_label(s),
                        first,
                        format_percent(value, denominator, p) if value is not None and denominator else "—",
                    ]
                )
            total_first = format_number(num_sum) if as_count else format_ratio(num_sum, den_sum)
            return Table(
                key=key,
                title=title,
                head=[[_h(h) for h in head]],
                rows=rows,
                foot=[["Всего", total_first, format_percent(num_sum, den_sum, p) if den_sum else "—"]],
                widths=[45, 30, 25],
            )

        year_text = self.academic_year_text().replace("в ", "", 1)
        trained = ratio_table(
            "trained",
            "teachers_trained",
            "Повышение квалификации педагогов",
            [
                "ОО",
                f"Количество педагогов, прошедших повышение квалификации {self.academic_year_text()}/всего педагогов",
                "Процент от общего количества",
            ],
            as_count=False,
        )
        iot = ratio_table(
            "iot",
            "teachers_iot",
            "Участники регионального проекта «Траектория профессионального роста педагогов»",
            [
                "ОО",
                "Количество участников регионального проекта «Траектория профессионального роста педагогов»",
                "Процент педагогов, для которых разработаны ИОТ",
            ],
            as_count=True,
        )

        def count_rows(codes: list[str]) -> tuple[list[list[str]], list[str]]:
            rows, sums = [], [Decimal(0)] * len(codes)
            for s in self.schools:
                row = [self.school_label(s)]
                for i, code in enumerate(codes):
                    value, _ = self.indicator(s["id"], code)
                    if value is not None:
                        sums[i] += value
                    row.append(format_number(value) if value is not None else "–")
                rows.append(row)
            return rows, ["Всего", *(format_number(v) for v in sums)]

        contest_codes = [
            "contest_participants",
            "contest_winners",
            "contest_winners_regional",
            "contest_winners_municipal",
        ]
        rows, foot = count_rows(contest_codes)
        contests = Table(
            key="contests",
            title="Участие в конкурсах профессионального мастерства",
            head=[
                [
                    _h("ОО", rowspan=2),
                    _h("Количество участников", rowspan=2),
                    _h("Количество победителей и призеров", rowspan=2),
                    _h("Количество победителей и призеров", colspan=2),
                ],
                [_h("Региональный этап"), _h("Муниципальный этап")],
            ],
            rows=rows,
            foot=[foot],
            widths=[34, 14, 16, 18, 18],
        )
        rows, foot = count_rows(["experience_bank"])
        bank = Table(
            key="bank",
            title="Актуальный педагогический опыт",
            head=[
                [
                    _h("ОО"),
                    _h(
                        "Количество актуальных педагогических опытов, внесенных в муниципальный банк данных "
                        f"в {year_text}"
                    ),
                ]
            ],
            rows=rows,
            foot=[foot],
            widths=[55, 45],
        )
        rows, foot = count_rows(["methodical_association_participants", "experience_sharing_teachers"])
        associations = Table(
            key="associations",
            title="Муниципальные методические объединения",
            head=[[_h("ОО"), _h("Количество участников"), _h("Количество педагогов, транслирующих опыт")]],
            rows=rows,
            foot=[foot],
            widths=[50, 25, 25],
        )
        return {
            "visits": visits,
            "trained": trained,
            "iot": iot,
            "contests": contests,
            "bank": bank,
            "associations": associations,
        }

    # --- roadmap-monitoring (seed 001) -------------------------------------------------------------

    def directions(self) -> list[dict[str, Any]]:
        return [
            {
                "code": d["code"],
                "name": d["name"],
                "types": [{"name": t["name"], "value": self.cp(t["count"]), "count": t["count"]} for t in d["types"]],
                "school_ids": sorted({int(i) for t in d["types"] for i in t["school_ids"]}),
            }
            for d in self.coverage["directions"]
        ]

    def directions_table(self) -> Table:
        rows = []
        for n, d in enumerate(self.coverage["directions"], start=1):
            for t in d["types"]:
                rows.append(
                    [
                        f"{n}) {d['name']}",
                        t["name"],
                        str(t["count"]),
                        format_percent(t["count"], self.total, self.places),
                    ]
                )
        return Table(
            key="directions",
            title="Результаты анализа по направлениям",
            head=[[_h("Направление"), _h("Вид мероприятия"), _h("Количество ОО"), _h("Процент ОО")]],
            rows=rows,
            widths=[25, 51, 12, 12],
            numeric_from=2,
        )

    def municipalities_table(self) -> Table | None:
        """Region scope: the municipalities side by side (the consolidated reference)."""
        if not self.is_region:
            return None
        by_mun: dict[str, list[int]] = {}
        for s in self.schools:
            by_mun.setdefault(s["municipality"], []).append(int(s["id"]))
        sets = {i["code"]: {int(x) for x in i["school_ids"]} for i in self.coverage["indicators"]}
        rows = []
        for name in sorted(by_mun):
            ids = set(by_mun[name])
            row = [name, str(len(ids))]
            for item in self.coverage["indicators"]:
                row.append(self.cp(len(ids & sets[item["code"]]), len(ids)))
            rows.append(row)
        foot = ["Итого по региону", str(self.total)] + [self.cp(i["count"]) for i in self.coverage["indicators"]]
        return Table(
            key="municipalities",
            title="Сводные данные по муниципальным образованиям",
            head=[
                [
                    _h("Муниципальное образование"),
                    _h("ШНОР/ШФНСУ в перечне"),
                    _h("Охвачены методической работой"),
                    _h("Вовлечены в сетевое взаимодействие"),
                    _h("Оказана адресная методическая помощь"),
                ]
            ],
            rows=rows,
            foot=[foot],
            widths=[32, 14, 18, 18, 18],
        )

    def schools_table(self) -> Table:
        rows = [
            [str(n), s["name"], s["municipality"], s.get("category", ""), s.get("director_name", "")]
            for n, s in enumerate(self.schools, start=1)
        ]
        return Table(
            key="schools",
            title="Перечень ОО",
            head=[[_h("№"), _h("ОО"), _h("Муниципалитет"), _h("Категория"), _h("Директор")]],
            rows=rows,
            numeric_from=99,
        )

    # --- program-report (seed 003) -----------------------------------------------------------------

    def results_tables(self) -> list[dict[str, Any]]:
        years = self.snapshot.get("years", [])
        result = []
        for block in self.snapshot.get("results", []):
            subjects = block["subjects"]
            many = len(years) * len(subjects) > 6
            head = [
                [
                    _h("Наименование ОО", rowspan=3),
                    _h(
                        f"Результаты {block['label']} (средний балл по предмету школы)",
                        colspan=len(years) * len(subjects),
                    ),
                ],
                [_h(f"{y} год", colspan=len(subjects)) for y in years],
                [_h(subject_short(s) if many else s) for _y in years for s in subjects],
            ]
            rows = []
            means: dict[str, list[Decimal | None]] = {s: [] for s in subjects}
            for n, s in enumerate(self.schools, start=1):
                values = block["values"].get(str(s["id"]), {})
                row = [f"{n}. {self.school_label(s)}"]
                for y in years:
                    for subj in subjects:
                        v = values.get(f"{subj}|{y}")
                        row.append(format_number(Decimal(v)) if v is not None else "–")
                rows.append(row)
            for subj in subjects:
                for y in years:
                    vals = [
                        Decimal(block["values"][sid][f"{subj}|{y}"])
                        for sid in block["values"]
                        if f"{subj}|{y}" in block["values"][sid]
                    ]
                    means[subj].append((sum(vals) / len(vals)).quantize(Decimal("0.01")) if vals else None)
            table = Table(
                key=f"results-{block['procedure']}",
                title=f"Динамика результатов {block['label']} в ШНОР",
                head=head,
                rows=rows,
                widths=[first := (20 if many else 26)]
                + [round((100 - first) / max(len(years) * len(subjects), 1), 2)] * (len(years) * len(subjects)),
                compact=True,
            )
            result.append(
                {
                    "table": table,
                    "label": block["label"],
                    "procedure": block["procedure"],
                    "means": means,
                    "years": years,
                }
            )
        return result

    def activities_tables(self) -> list[dict[str, Any]]:
        result = []
        for n, s in enumerate(self.schools, start=1):
            lines_ = self.snapshot.get("activities", {}).get(str(s["id"]), [])
            rows = []
            for line in lines_:
                if line["started_on"] or line["finished_on"]:
                    start, end = date_text(line["started_on"]), date_text(line["finished_on"])
                    when = f"{start} – {end}" if start and end and start != end else (start or end)
                else:
                    when = quarter_text(*parse_period(line["quarter"]))
                result_text = line["result"] or ""
                if line["status"] != "done":
                    extra = line["status_label"] or "статус не указан"
                    if line.get("reason"):
                        extra += f": {line['reason']}"
                    result_text = f"{result_text} ({extra})".strip()
                rows.append([line["title"], when, result_text])
            table = Table(
                key=f"activities-{s['code']}",
                title=f"Наименование ОО {n}: {self.school_label(s)}",
                head=[[_h("Название мероприятия / форма проведения"), _h("Сроки проведения"), _h("Результат")]],
                rows=rows,
                widths=[38, 17, 45],
                numeric_from=99,
            )
            result.append({"school": s, "number": n, "table": table})
        return result

    def exclusions_table(self) -> Table:
        rows = [
            [
                f"{n}.",
                e["name"] + (f" ({e['municipality']})" if self.is_region else ""),
                date_text(e["excluded_on"]),
                e["reason"],
            ]
            for n, e in enumerate(self.snapshot.get("exclusions", []), start=1)
        ]
        return Table(
            key="exclusions",
            title="Обоснование исключения ОО из списка",
            head=[
                [_h("№ п/п"), _h("Наименование ОО"), _h("Дата исключения"), _h("Обоснование для исключения из списка")]
            ],
            rows=rows,
            widths=[8, 25, 15, 52],
            numeric_from=99,
        )

    def header_counts(self) -> dict[str, Any]:
        categories: dict[str, int] = {}
        for s in self.schools:
            categories[s.get("category", "")] = categories.get(s.get("category", ""), 0) + 1
        return {
            "area_schools": self.snapshot.get("area", {}).get("schools", 0),
            "low_results": self.total,
            "categories": sorted(categories.items()),
        }

    # --- everything --------------------------------------------------------------------------------

    def recommendations(self) -> list[dict[str, str]]:
        return list(self.narrative.get("recommendations", []))

    def build(self) -> dict[str, Any]:
        n = self.narrative
        doc: dict[str, Any] = {
            "template": self.template,
            "title": n.get("title") or DEFAULT_TITLES.get(self.template, ""),
            "scope": self.coverage["scope"],
            "authority_genitive": genitive_authority(self.coverage["scope"].get("authority", "")),
            "is_region": self.is_region,
            "period_text": self.period_text(),
            "years": self.snapshot.get("years", []),
            "academic_year_text": self.academic_year_text(),
            "schools": self.schools,
            "school_labels": [self.school_label(s) for s in self.schools],
            "total": self.total,
            "not_approved_reports": self.coverage.get("not_approved_reports", 0),
            "indicators": self.indicators(),
            "goal": (n.get("goal") or "").strip(),
            "tasks": lines(n.get("tasks", "")),
            "conclusions": lines(n.get("conclusions", "")),
            "remarks": lines(n.get("remarks", "")),
            "decisions": lines(n.get("decisions", "")),
            "recommendations": self.recommendations(),
            "municipalities": self.municipalities_table(),
            "network": self.cp(self.indicator_by_code("network")["count"]),
        }
        tables: list[Table] = []
        if self.template == ReferenceTemplate.METHODICAL_HELP:
            doc["tables"] = self.methodical_tables()
            tables.extend(doc["tables"].values())
        elif self.template == ReferenceTemplate.ROADMAP_MONITORING:
            doc["directions"] = self.directions()
            tables.append(self.schools_table())
            tables.append(self.directions_table())
        else:
            doc["header"] = self.header_counts()
            doc["results"] = self.results_tables()
            doc["activities"] = self.activities_tables()
            doc["exclusions"] = self.exclusions_table()
            tables.extend(r["table"] for r in doc["results"])
            tables.extend(a["table"] for a in doc["activities"])
            tables.append(doc["exclusions"])
        if doc["municipalities"] is not None:
            tables.append(doc["municipalities"])
        doc["all_tables"] = tables
        return doc


def document_build(*, snapshot: dict, narrative: dict, template: str, precision: int) -> dict[str, Any]:
    """The sections and tables of one reference, as strings ready to print."""
    return DocumentBuilder(snapshot=snapshot, narrative=narrative, template=template, precision=precision).build()
