"""What a reference prints besides the numbers: the seeds' section titles and default text, the
date and name forms officials use, and the table structure shared by the PDF and the xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.calendar import date_text

from ..models import ReferenceTemplate

# Narrative fields each template prints (the edit form shows only these), in the seed's order.
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    ReferenceTemplate.METHODICAL_HELP: ("goal", "conclusions"),
    ReferenceTemplate.ROADMAP_MONITORING: ("goal", "tasks", "conclusions", "remarks", "decisions"),
    ReferenceTemplate.PROGRAM_REPORT: ("conclusions",),
}

# Section headings as they appear in the PDF, in the seed's order (tests check this order).
SECTION_TITLES: dict[str, tuple[str, ...]] = {
    ReferenceTemplate.METHODICAL_HELP: (
        "Анализ результатов мониторинга по оказанию методической помощи",
        "Целью мониторинга является",
        "проводился по следующим показателям",
        "Дата посещения",
        "прошедших повышение квалификации",
        "Траектория профессионального роста педагогов",
        "Количество победителей и призеров",
        "внесенных в муниципальный банк данных",
        "Количество педагогов, транслирующих опыт",
        "вовлеченных в сетевое взаимодействие",
        "Рекомендации",
    ),
    ReferenceTemplate.ROADMAP_MONITORING: (
        "Аналитическая справка",
        "Цель:",
        "Задачи:",
        "Объект анализа",
        "Направления анализа (кластеры):",
        "Результаты анализа:",
        "Выводы:",
        "Замечания по мониторингу",
        "Управленческие решения:",
    ),
    ReferenceTemplate.PROGRAM_REPORT: (
        "Отчёт о реализации программ повышения качества образования",
        "Общее количество ОО",
        "Количество школ с низкими образовательными результатами",
        "Блок 1. Динамика образовательных результатов",
        "Блок 2. Реализация мероприятий программ повышения качества",
        "Блок 3. Обоснование исключения ОО",
        "Адресные рекомендации",
        "Анализ эффективности принятых мер",
    ),
}

DEFAULT_GOALS: dict[str, str] = {
    ReferenceTemplate.METHODICAL_HELP: (
        "получение объективной и достоверной информации об эффективности оказания методической помощи "
        "и ее влиянии на развитие качества образования в общеобразовательных организациях с низкими "
        "результатами обучения."
    ),
    ReferenceTemplate.ROADMAP_MONITORING: (
        "оказание методической помощи школам с низкими образовательными результатами обучающихся"
    ),
    ReferenceTemplate.PROGRAM_REPORT: "",
}

DEFAULT_TASKS = (
    "контролировать эффективность реализации мероприятий дорожной карты;\n"
    "выявить динамику изменений в работе школ по преодолению рисков неуспешности;\n"
    "запланировать мероприятия по оказанию методической помощи."
)

DEFAULT_TITLES: dict[str, str] = {
    ReferenceTemplate.METHODICAL_HELP: (
        "Анализ результатов мониторинга по оказанию методической помощи школам с низкими результатами обучения"
    ),
    ReferenceTemplate.ROADMAP_MONITORING: (
        "Аналитическая справка по результатам мониторинга реализации мероприятий «дорожных карт» "
        "образовательных организаций, включенных в перечень ОО с низкими образовательными результатами обучающихся"
    ),
    ReferenceTemplate.PROGRAM_REPORT: "Отчёт о реализации программ повышения качества образования",
}


def lines(text: str) -> list[str]:
    """Non-empty lines of a narrative field, without the numbering a person may have typed."""
    import re

    result = []
    for raw in (text or "").splitlines():
        line = re.sub(r"^\s*(\d+[.)]|[-•·–—])\s*", "", raw).strip()
        if line:
            result.append(line)
    return result


@dataclass
class Table:
    key: str
    title: str
    head: list[list[dict[str, Any]]]
    rows: list[list[str]]
    foot: list[list[str]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # column widths, percent; empty = automatic
    numeric_from: int = 1  # first column aligned right/centre
    compact: bool = False
    notes: list[str] = field(default_factory=list)  # printed under the table (e.g. a value's own period)

    @property
    def flat_header(self) -> list[str]:
        """One header row for the spreadsheet: the last head row, with the spanning cells above."""
        columns: list[str] = []
        # Expand spans into a full grid.
        width = sum(c.get("colspan", 1) for c in self.head[0])
        full = [[""] * width for _ in self.head]
        occupied = [[False] * width for _ in self.head]
        for r, row in enumerate(self.head):
            c = 0
            for cell in row:
                while c < width and occupied[r][c]:
                    c += 1
                for dr in range(cell.get("rowspan", 1)):
                    for dc in range(cell.get("colspan", 1)):
                        if r + dr < len(full) and c + dc < width:
                            full[r + dr][c + dc] = cell["text"]
                            occupied[r + dr][c + dc] = True
                c += cell.get("colspan", 1)
        for c in range(width):
            parts: list[str] = []
            for r in range(len(full)):
                if full[r][c] and (not parts or parts[-1] != full[r][c]):
                    parts.append(full[r][c])
            columns.append(" / ".join(parts))
        return columns


SUBJECT_SHORT = {
    "русский язык": "Рус. яз.",
    "математика": "Матем.",
    "математика (базовая)": "Матем. (баз.)",
    "математика (профильная)": "Матем. (проф.)",
    "обществознание": "Общество-знание",
    "информатика": "Информ.",
    "литература": "Литер.",
    "иностранный язык": "Ин. яз.",
}


def subject_short(subject: str) -> str:
    """The seeds' abbreviations in wide tables: «Рус. яз», «Матем.»."""
    return SUBJECT_SHORT.get(subject.strip().lower(), subject)


def genitive_authority(authority: str) -> str:
    """«Управление образования …» → «Управления образования …» (the first word only), for
    «Приложение к письму …»; empty when the first word is not a known body."""
    forms = {
        "управление": "Управления",
        "отдел": "Отдела",
        "комитет": "Комитета",
        "министерство": "Министерства",
        "департамент": "Департамента",
    }
    first, _, rest = (authority or "").strip().partition(" ")
    if first.lower() in forms:
        return f"{forms[first.lower()]} {rest}".strip()
    return ""


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> dict[str, Any]:
    return {"text": text, "colspan": colspan, "rowspan": rowspan}


def _dec(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def value_period_outside(entry: dict[str, Any], period: dict[str, str]) -> bool:
    """Whether a counted indicator value's own period reaches beyond the reference period (a value
    stored before values kept their period has none and is taken as the period's own)."""
    return bool(entry.get("from")) and (entry["from"] < period["from"] or entry["to"] > period["to"])


def period_words(date_from: str, date_to: str) -> str:
    """«с 01.09.2020 по 30.06.2021»."""
    return f"с {date_text(date_from)} по {date_text(date_to)}"
