"""The tables of the methodical-help reference (seed 000): visits, training, ИОТ, contests, the bank
of teaching experience, methodical associations."""

from __future__ import annotations

from decimal import Decimal

from core.calendar import date_text
from core.numbers import format_number, format_percent, format_ratio

from .base import DocumentBase
from .text import Table, _h

CONTEST_CODES = ["contest_participants", "contest_winners", "contest_winners_regional", "contest_winners_municipal"]


class MethodicalSections(DocumentBase):
    def methodical_tables(self) -> dict[str, Table]:
        return {
            "visits": self.visits_table(),
            "trained": self.ratio_table(
                "trained",
                "teachers_trained",
                "Повышение квалификации педагогов",
                [
                    "ОО",
                    "Количество педагогов, прошедших повышение квалификации "
                    f"{self.academic_year_text()}/всего педагогов",
                    "Процент от общего количества",
                ],
                as_count=False,
            ),
            "iot": self.ratio_table(
                "iot",
                "teachers_iot",
                "Участники регионального проекта «Траектория профессионального роста педагогов»",
                [
                    "ОО",
                    "Количество участников регионального проекта «Траектория профессионального роста педагогов»",
                    "Процент педагогов, для которых разработаны ИОТ",
                ],
                as_count=True,
            ),
            "contests": self.contests_table(),
            "bank": self.bank_table(),
            "associations": self.associations_table(),
        }

    def visits_table(self) -> Table:
        """Each school's visit dates and whether it got targeted help."""
        targeted = {int(i) for i in self.indicator_by_code("targeted_help")["school_ids"]}
        rows = []
        for s in self.schools:
            visits = self.coverage["per_school"].get(str(s["id"]), {}).get("visits", [])
            rows.append(
                [
                    self.school_label(s),
                    ", ".join(date_text(v) for v in visits) or "посещений не было",
                    format_percent(1 if int(s["id"]) in targeted else 0, 1, self.places),
                ]
            )
        return Table(
            key="visits",
            title="Посещение ОО с целью оказания адресной методической помощи",
            head=[
                [
                    _h("ОО"),
                    _h("Дата посещения"),
                    _h("Процент ШНОР/ШФНСУ, которым была оказана адресная методическая помощь"),
                ]
            ],
            rows=rows,
            foot=[["Итого по ОО", "", self.cp(len(targeted))]],
            widths=[38, 40, 22],
            numeric_from=2,
        )

    def ratio_table(self, key: str, code: str, title: str, head: list[str], *, as_count: bool) -> Table:
        """An indicator of teachers per school: the value (or value/teachers) and its percentage,
        with the total over the schools that entered it."""
        p = self.places
        rows = []
        num_sum, den_sum = Decimal(0), 0
        marks: dict[tuple[str, str], str] = {}
        for s in self.schools:
            value, denominator = self.indicator(s["id"], code)
            if denominator is None and value is not None:
                denominator = s.get("teachers_count") or None
            if value is not None and denominator:
                num_sum += value
                den_sum += denominator
            first = format_number(value) if as_count else format_ratio(value, denominator)
            first += self.period_mark(s["id"], code, marks)
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
            notes=self.period_notes(marks),
        )

    def count_rows(self, codes: list[str]) -> tuple[list[list[str]], list[str], list[str]]:
        """One row per school with the given count indicators («–» when not entered), their sums, and
        the notes saying which period a value from beyond the reference period belongs to."""
        rows, sums = [], [Decimal(0)] * len(codes)
        marks: dict[tuple[str, str], str] = {}
        for s in self.schools:
            row = [self.school_label(s)]
            for i, code in enumerate(codes):
                value, _ = self.indicator(s["id"], code)
                if value is not None:
                    sums[i] += value
                row.append(format_number(value) + self.period_mark(s["id"], code, marks) if value is not None else "–")
            rows.append(row)
        return rows, ["Всего", *(format_number(v) for v in sums)], self.period_notes(marks)

    def contests_table(self) -> Table:
        rows, foot, notes = self.count_rows(CONTEST_CODES)
        return Table(
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
            notes=notes,
        )

    def bank_table(self) -> Table:
        year_text = self.academic_year_text().replace("в ", "", 1)
        rows, foot, notes = self.count_rows(["experience_bank"])
        return Table(
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
            notes=notes,
        )

    def associations_table(self) -> Table:
        rows, foot, notes = self.count_rows(["methodical_association_participants", "experience_sharing_teachers"])
        return Table(
            key="associations",
            title="Муниципальные методические объединения",
            head=[[_h("ОО"), _h("Количество участников"), _h("Количество педагогов, транслирующих опыт")]],
            rows=rows,
            foot=[foot],
            widths=[50, 25, 25],
            notes=notes,
        )
