"""The narrative paragraphs a template prints around its tables, and the blocks a document cannot be
sent for signature without (docs/references.md).

Each paragraph is the official's text with a default; `{…}` placeholders in it are filled from the
version's frozen data when the document is built, so a person rewords a paragraph but never types a
number or the organisation's name. An emptied paragraph is left out of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ReferenceTemplate


@dataclass(frozen=True)
class Paragraph:
    key: str
    label: str
    default: str


# The placeholders a paragraph may hold, with what each prints (the edit form lists them).
PLACEHOLDERS: dict[str, str] = {
    "период": "период справки: «с 01.09.2020 по 30.06.2021»",
    "учебный год": "«в 2020-2021 учебном году» (или период, если он шире учебного года)",
    "ОО в перечне": "число ОО в перечне ШНОР/ШФНСУ за период",
    "сетевое взаимодействие": "число и доля ОО, вовлечённых в сетевое взаимодействие: «5 (100,00%)»",
    "методическая служба": "методическая служба из карточки территории («Белгородского ММЦ ОГАОУ ДПО «БелИРО»»)",
    "орган": "орган управления образованием из карточки территории",
}
PLACEHOLDER_RE = re.compile(r"\{([^{}]{1,40})\}")
MAX_LENGTH = 2000  # characters of one paragraph

PARAGRAPHS: dict[str, tuple[Paragraph, ...]] = {
    ReferenceTemplate.METHODICAL_HELP: (
        Paragraph(
            "indicators_intro",
            "Вступление к показателям",
            "Анализ результатов мониторинга по оказанию методической помощи школам с низкими результатами "
            "обучения проводился по следующим показателям за период {период} (ОО в перечне ШНОР/ШФНСУ — "
            "{ОО в перечне}):",
        ),
        Paragraph(
            "measures_intro",
            "Вступление к мероприятиям",
            "С целью оказания методической помощи школам с низкими результатами обучения {учебный год} были "
            "проведены следующие мероприятия:",
        ),
        Paragraph(
            "visits",
            "Перед таблицей посещений",
            "совместно с методистами {методическая служба} и кураторами школ осуществлено посещение "
            "образовательных организаций с низкими результатами обучения с целью оказания адресной "
            "методической помощи:",
        ),
        Paragraph(
            "trained",
            "Перед таблицей повышения квалификации",
            "проведен анализ прохождения курсов повышения квалификации учителями-предметниками.",
        ),
        Paragraph(
            "iot",
            "Перед таблицей ИОТ",
            "адресная помощь учителям ОО с низкими результатами обучения: на основе выявленных профессиональных "
            "дефицитов педагоги включены в региональный проект «Траектория профессионального роста педагогов», "
            "для них выстраиваются индивидуальные программы профессионального роста (ИОМ, ИОТ).",
        ),
        Paragraph(
            "contests",
            "Перед таблицей конкурсов",
            "участие в конкурсах профессионального мастерства для различных категорий педагогических работников:",
        ),
        Paragraph(
            "bank",
            "Перед таблицей педагогического опыта",
            "анализ системы выявления, обобщения, транслирования и тиражирования лучших педагогических практик "
            "(обобщение актуального педагогического опыта).",
        ),
        Paragraph(
            "associations",
            "Перед таблицей методических объединений",
            "анализ представления и тиражирования результативного управленческого и педагогического опыта "
            "(заседания муниципальных методических объединений, семинары).",
        ),
        Paragraph(
            "network",
            "Сетевое взаимодействие",
            "Количество ШНОР/ШФНСУ, вовлеченных в сетевое взаимодействие со школами-лидерами, – "
            "{сетевое взаимодействие}.",
        ),
    ),
    ReferenceTemplate.ROADMAP_MONITORING: (
        Paragraph(
            "object",
            "Объект анализа",
            "результаты деятельности ОО в период {период}, форма — отчеты, заверенные руководителем и куратором ОО",
        ),
    ),
    ReferenceTemplate.PROGRAM_REPORT: (),
}


def default_paragraphs(template: str) -> dict[str, str]:
    return {p.key: p.default for p in PARAGRAPHS.get(template, ())}


def paragraphs_of(template: str, stored: dict[str, str] | None) -> dict[str, str]:
    """The template's paragraphs as a version freezes them: the stored text, the default where none is."""
    stored = stored or {}
    return {p.key: stored.get(p.key, p.default) for p in PARAGRAPHS.get(template, ())}


def paragraph_errors(template: str, paragraphs: dict[str, str]) -> dict[str, str]:
    """A Russian message per paragraph that names a placeholder the portal does not know."""
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    errors = {}
    labels = {p.key: p.label for p in PARAGRAPHS.get(template, ())}
    for key, text in paragraphs.items():
        if key not in labels:
            errors[f"paragraph_{key}"] = f"В шаблоне нет абзаца «{key}»."
            continue
        if len(text or "") > MAX_LENGTH:
            errors[f"paragraph_{key}"] = f"Абзац «{labels[key]}» длиннее {MAX_LENGTH} символов: сократите его."
            continue
        unknown = [name for name in PLACEHOLDER_RE.findall(text or "") if name not in PLACEHOLDERS]
        if unknown:
            errors[f"paragraph_{key}"] = (
                f"Абзац «{labels[key]}»: неизвестная подстановка {{{unknown[0]}}}. Доступны: {known}."
            )
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """The paragraph with its placeholders replaced (an empty value leaves no double space)."""
    filled = PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text or "")
    return re.sub(r"[ \t]{2,}", " ", filled).strip()


# Blocks without which a document is not sent for signature: (what is checked, the Russian name of the
# block). "scope.*" are the organisation's card, the rest the reference's own text.
REQUIRED_BLOCKS: dict[str, tuple[tuple[str, str], ...]] = {
    ReferenceTemplate.METHODICAL_HELP: (("goal", "Цель мониторинга"),),
    ReferenceTemplate.ROADMAP_MONITORING: (
        ("goal", "Цель"),
        ("tasks", "Задачи"),
        ("conclusions", "Выводы"),
        ("decisions", "Управленческие решения"),
    ),
    ReferenceTemplate.PROGRAM_REPORT: (("conclusions", "Анализ эффективности принятых мер"),),
}
