"""The tables of the programme report (seed 003)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.calendar import date_text, parse_period, quarter_text
from core.numbers import format_number

from .base import DocumentBase
from .text import Table, _h, subject_short


class ProgramSections(DocumentBase):
    """Results by procedure and year, activities per school, exclusions, header counts."""

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
            for n, s in enumerate(self.schools, start=1):
                values = block["values"].get(str(s["id"]), {})
                row = [f"{n}. {self.school_label(s)}"]
                for y in years:
                    for subj in subjects:
                        v = values.get(f"{subj}|{y}")
                        row.append(format_number(Decimal(v)) if v is not None else "–")
                rows.append(row)
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
                    "subjects": subjects,
                    "values": block["values"],
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
                when = self.line_when(line)
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

    @staticmethod
    def line_when(line: dict[str, Any]) -> str:
        """Block 2's «Сроки проведения» of a report line: its own dates as the school entered them;
        without them the activity's deadline as written («2020–2021 гг.») or its dates (start – due);
        never a quarter's end that nobody entered. A snapshot stored before lines kept the activity's
        deadline (no `due_text` key) prints the quarter, as it did then."""
        if line["started_on"] or line["finished_on"]:
            return _span(line["started_on"], line["finished_on"])
        if "due_text" not in line:
            return quarter_text(*parse_period(line["quarter"]))
        if line["due_text"]:
            return line["due_text"]
        return _span(line["starts_on"], line["due_on"])

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


def _span(start: str | None, end: str | None) -> str:
    """«10.02.2021 – 12.02.2021», one date when both are the same or one is missing (a start alone
    reads «с 11.01.2021»)."""
    first, last = date_text(start), date_text(end)
    if first and last:
        return first if first == last else f"{first} – {last}"
    return last or (f"с {first}" if first else "")
