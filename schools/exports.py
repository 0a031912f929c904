"""The schools' share of the import template (core/exports.py): the Муниципалитеты, ОО and Реестр rows
of the template's scope, and the Категории and Муниципалитеты drop-downs. Registered in `core.registry`
when `schools/importers.py` is autodiscovered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch

from core.calendar import academic_year_bounds, academic_year_label, date_text
from core.registry import Catalogue, template_catalogues, template_rows
from core.scope import curator_active
from core.workbook import normalize_name

from .models import Category, CuratorAssignment, Municipality, PartnerAssignment, RegistryEntry


def _municipality_labels(scope: Any) -> dict[int, str]:
    """How the workbook names each municipality: its name, or its code where another municipality
    (in another region) has the same name, so that the importer can tell them apart."""
    if "municipality_labels" not in scope.cache:
        rows = list(Municipality.objects.values_list("pk", "code", "name"))
        seen: dict[str, int] = {}
        for _pk, _code, name in rows:
            seen[normalize_name(name)] = seen.get(normalize_name(name), 0) + 1
        scope.cache["municipality_labels"] = {
            pk: (name if seen[normalize_name(name)] == 1 else code) for pk, code, name in rows
        }
    return scope.cache["municipality_labels"]


def _municipalities(scope: Any) -> list[Municipality]:
    if "municipalities" not in scope.cache:
        scope.cache["municipalities"] = list(
            scope.municipalities.select_related("region").order_by("region__name", "name")
        )
    return scope.cache["municipalities"]


def category_values(scope: Any) -> list[str]:
    return [str(label) for _v, label in Category.choices]


def municipality_values(scope: Any) -> list[str]:
    labels = _municipality_labels(scope)
    return [labels[m.pk] for m in _municipalities(scope)]


def _overlaps(start: dt.date, end: dt.date | None, year_start: dt.date, year_end: dt.date) -> bool:
    return start <= year_end and (end is None or end >= year_start)


def template_rows_of(scope: Any) -> dict[str, Iterable[Sequence[Any]]]:
    """The Муниципалитеты, ОО and Реестр rows; the schools are read once, streaming both sheets."""
    labels = _municipality_labels(scope)
    municipalities = [
        [m.code, m.name, m.region.code, m.region.name, m.authority, m.head_name] for m in _municipalities(scope)
    ]
    schools = (
        scope.schools.select_related("municipality")
        .prefetch_related(
            Prefetch("registry_entries", queryset=RegistryEntry.objects.order_by("academic_year")),
            Prefetch("curator_assignments", queryset=CuratorAssignment.objects.order_by("assigned_on", "pk")),
            Prefetch(
                "partner_assignments",
                queryset=PartnerAssignment.objects.select_related("leader").order_by("date_from", "pk"),
            ),
        )
        .order_by("municipality__name", "code")
    )
    school_rows: list[list[Any]] = []
    registry_rows: list[list[Any]] = []
    for school in schools:
        school_rows.append(
            [
                school.code,
                school.name,
                labels[school.municipality_id],
                school.kind,
                school.director_name,
                school.teachers_count,
                school.pupils_count,
                school.is_leader,
            ]
        )
        registry_rows.extend(_registry_rows(school))
    return {"Муниципалитеты": municipalities, "ОО": school_rows, "Реестр": registry_rows}


def _registry_rows(school: Any) -> list[list[Any]]:
    entries = list(school.registry_entries.all())
    if not entries:
        return [[school.code]]
    rows = []
    for entry in entries:
        year_start, year_end = academic_year_bounds(entry.academic_year)
        curator = next(
            (c.full_name for c in school.curator_assignments.all() if curator_active(c, year_start, year_end)),
            "",
        )
        leader = next(
            (
                p.leader.code
                for p in school.partner_assignments.all()
                if _overlaps(p.date_from, p.date_to, year_start, year_end)
            ),
            "",
        )
        rows.append(
            [
                school.code,
                academic_year_label(entry.academic_year),
                entry.get_category_display(),
                entry.basis,
                date_text(entry.included_on),
                date_text(entry.excluded_on),
                entry.exclusion_reason,
                curator,
                leader,
            ]
        )
    return rows


template_catalogues.register(Catalogue("Категории", category_values), order=10)
template_catalogues.register(Catalogue("Муниципалитеты", municipality_values), order=70)
template_rows.register(template_rows_of, order=10)
