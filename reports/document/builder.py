"""Builds the sections and tables of a reference, as strings, from a version's snapshot and narrative."""

from __future__ import annotations

from typing import Any

from ..models import ReferenceTemplate
from .methodical import MethodicalSections
from .paragraphs import REQUIRED_BLOCKS, fill, paragraphs_of
from .program import ProgramSections
from .roadmap import RoadmapSections
from .text import DEFAULT_TITLES, Table, genitive_authority, lines


class DocumentBuilder(MethodicalSections, RoadmapSections, ProgramSections):
    """Turns (snapshot, narrative, template, precision) into sections and tables of strings."""

    def recommendations(self) -> list[dict[str, str]]:
        return list(self.narrative.get("recommendations", []))

    def paragraphs(self, doc: dict[str, Any]) -> dict[str, str]:
        """The template's paragraphs with their placeholders filled from the frozen data."""
        scope = doc["scope"]
        values = {
            "период": doc["period_text"],
            "учебный год": doc["academic_year_text"],
            "ОО в перечне": str(self.total),
            "сетевое взаимодействие": doc["network"],
            "методическая служба": scope.get("methodical_service", ""),
            "орган": scope.get("authority", ""),
        }
        texts = paragraphs_of(self.template, self.narrative.get("paragraphs"))
        return {key: fill(text, values) for key, text in texts.items()}

    def missing_blocks(self, doc: dict[str, Any]) -> list[str]:
        """What the document cannot be sent for signature without, one Russian message per block."""
        scope = doc["scope"]
        card = f"в карточке {'региона' if self.is_region else 'муниципалитета'} «{scope['name']}»"
        missing = []
        if not scope.get("authority"):
            missing.append(
                f"Не заполнен блок «Орган управления образованием»: {card} не указано наименование органа "
                "(заполняет администратор портала)."
            )
        if not (scope.get("head_name") and scope.get("head_position")):
            missing.append(
                f"Не заполнен блок «Утверждаю» (подпись руководителя): {card} не указаны руководитель органа "
                "управления образованием и его должность (заполняет администратор портала)."
            )
        for field, label in REQUIRED_BLOCKS.get(self.template, ()):
            filled = doc[field] or (field == "decisions" and doc["recommendations"])
            if not filled:
                missing.append(f"Не заполнен раздел «{label}»: откройте «Текст справки» и заполните его.")
        return missing

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
            # Printed only when the methodist wrote it: the author's warnings stay on the screen.
            "data_note": (n.get("data_note") or "").strip(),
            "goal": (n.get("goal") or "").strip(),
            "tasks": lines(n.get("tasks", "")),
            "conclusions": lines(n.get("conclusions", "")),
            "remarks": lines(n.get("remarks", "")),
            "decisions": lines(n.get("decisions", "")),
            "recommendations": self.recommendations(),
            "municipalities": self.municipalities_table(),
            "network": self.cp(self.indicator_by_code("network")["count"]),
        }
        doc["paragraphs"] = self.paragraphs(doc)
        doc["missing"] = self.missing_blocks(doc)
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
