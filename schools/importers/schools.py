"""The `ОО` sheet: schools, created or updated by code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.workbook import ImportContext, RowError, SheetImporter, parse_bool, parse_int, parse_text, register

from ..models import Municipality, School
from .common import BATCH_SIZE, _apply, _empty, _field_names, _seen


@dataclass
class SchoolRow:
    row: int
    code: str
    values: dict[str, Any]
    existing: School | None


@register
class SchoolImporter(SheetImporter):
    sheet_name = "ОО"
    columns = ("Код ОО", "Наименование", "Муниципалитет", "Тип", "Директор", "Педагогов", "Обучающихся", "Школа-лидер")
    order = 20

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> SchoolRow:
        code = parse_text(row["Код ОО"], "Код ОО", required=True, max_length=32)
        _seen(ctx, "school_codes", code.casefold(), "Код ОО")
        existing = ctx.find_school(code, "Код ОО", by_name=False)
        if existing is not None and not ctx.can_touch_school(existing):
            raise RowError("Код ОО", _("ОО «%(v)s» вне вашей зоны ответственности") % {"v": existing.name})
        name = parse_text(row["Наименование"], "Наименование", required=existing is None, max_length=500)
        municipality = None
        if existing is None or not _empty(row["Муниципалитет"]):
            municipality = ctx.lookup(Municipality, row["Муниципалитет"], "Муниципалитет", what=_("муниципалитет"))
            if not ctx.can_touch_municipality(municipality):
                raise RowError(
                    "Муниципалитет",
                    _("муниципалитет «%(v)s» вне вашей зоны ответственности") % {"v": municipality.name},
                )
        values: dict[str, Any] = {}
        if name:
            values["name"] = name
        if municipality is not None:
            values["municipality"] = municipality
        kind = parse_text(row["Тип"], "Тип", max_length=100)
        if kind:
            values["kind"] = kind
        director = parse_text(row["Директор"], "Директор", max_length=255)
        if director:
            values["director_name"] = director
        teachers = parse_int(row["Педагогов"], "Педагогов", max_value=100_000)
        if teachers is not None:
            values["teachers_count"] = teachers
        pupils = parse_int(row["Обучающихся"], "Обучающихся", max_value=1_000_000)
        if pupils is not None:
            values["pupils_count"] = pupils
        if not _empty(row["Школа-лидер"]) or existing is None:
            values["is_leader"] = parse_bool(row["Школа-лидер"], "Школа-лидер", default=False)
        return SchoolRow(ctx.row_number or 0, code, values, existing)

    def write(self, cleaned_rows: list[SchoolRow], ctx: ImportContext) -> tuple[int, int]:
        """Validate every row's object, then write them in bulk with their history records."""
        created = updated = 0
        new: list[School] = []
        changed_schools: list[School] = []
        changed_fields: set[str] = set()
        for r in cleaned_rows:
            ctx.row_number = r.row
            if r.existing is None:
                school = School(code=r.code, **r.values)
                school.full_clean(**SCHOOL_CLEAN)
                new.append(school)
                created += 1
                ctx.change(
                    "create",
                    _("%(code)s «%(name)s» (%(m)s)")
                    % {"code": r.code, "name": school.name, "m": school.municipality.name},
                )
                continue
            changed = _apply(r.existing, r.values)
            if changed:
                r.existing.full_clean(**SCHOOL_CLEAN)
                changed_schools.append(r.existing)
                changed_fields.update(changed)
                updated += 1
                ctx.change(
                    "update",
                    _("%(code)s «%(name)s»: %(fields)s")
                    % {
                        "code": r.existing.code,
                        "name": r.existing.name,
                        "fields": _field_names(School, changed, r.existing),
                    },
                )
        ctx.row_number = None
        bulk_create_with_history(new, School, batch_size=BATCH_SIZE, default_user=ctx.user)
        if changed_schools:
            # Every changed school gets the union of the changed fields: the others keep their values.
            fields = [f for f in School._meta.concrete_fields if f.name in changed_fields]
            bulk_update_with_history(
                changed_schools, School, [f.name for f in fields], batch_size=BATCH_SIZE, default_user=ctx.user
            )
        return created, updated


# The municipality comes from the lookup and the code was looked up (case-insensitively) and checked
# against the sheet's earlier rows: validating them again would cost two queries per row.
SCHOOL_CLEAN: dict[str, Any] = {"exclude": ["municipality"], "validate_unique": False}
