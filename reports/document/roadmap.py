"""The tables of the roadmap-monitoring reference (seed 001)."""

from __future__ import annotations

from typing import Any

from core.numbers import format_percent

from .base import DocumentBase
from .text import Table, _h


class RoadmapSections(DocumentBase):
    """Directions and activity types, municipalities side by side, the list of schools."""

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
        """The numbered list of schools; the «Директор» column only when a school's card names one."""
        directors = any(s.get("director_name") for s in self.schools)
        rows = [
            [str(n), s["name"], s["municipality"], s.get("category", "")]
            + ([s.get("director_name", "")] if directors else [])
            for n, s in enumerate(self.schools, start=1)
        ]
        head = [_h("№"), _h("ОО"), _h("Муниципалитет"), _h("Категория")] + ([_h("Директор")] if directors else [])
        return Table(key="schools", title="Перечень ОО", head=[head], rows=rows, numeric_from=99)
