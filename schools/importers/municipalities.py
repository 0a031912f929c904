"""The `Муниципалитеты` sheet: municipalities of a region with their authority and head."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.workbook import ImportContext, RowError, SheetImporter, normalize_name, parse_text, register

from ..models import Municipality, Region
from .common import _apply, _field_names, _municipalities_by_code, _regions, _seen


@dataclass
class MunicipalityRow:
    row: int
    code: str
    name: str
    region: Region | None
    new_region: tuple[str, str] | None
    authority: str
    head_name: str
    existing: Municipality | None


@register
class MunicipalityImporter(SheetImporter):
    sheet_name = "Муниципалитеты"
    columns = ("Код", "Наименование", "Код региона", "Регион", "Орган управления образованием", "Руководитель")
    order = 10

    def clean_row(self, row: dict[str, Any], ctx: ImportContext) -> MunicipalityRow:
        code = parse_text(row["Код"], "Код", required=True, max_length=32)
        _seen(ctx, "municipality_codes", code.casefold(), "Код")
        name = parse_text(row["Наименование"], "Наименование", required=True, max_length=255)
        region_code = parse_text(row["Код региона"], "Код региона", required=True, max_length=32)
        region_name = parse_text(row["Регион"], "Регион", max_length=255)
        authority = parse_text(row["Орган управления образованием"], "Орган управления образованием", max_length=500)
        head_name = parse_text(row["Руководитель"], "Руководитель", max_length=255)

        regions = _regions(ctx)
        region = next((r for r in regions if r.code.casefold() == region_code.casefold()), None)
        if region is None:
            region = next((r for r in regions if normalize_name(r.name) == normalize_name(region_code)), None)
        new_region = None
        if region is None:
            if not ctx.unrestricted:
                raise RowError("Код региона", _("регион «%(v)s» не найден") % {"v": region_code})
            if not region_name:
                raise RowError("Регион", _("для нового региона «%(v)s» укажите наименование") % {"v": region_code})
            new_region = (region_code, region_name)
        elif not ctx.can_touch_region(region):
            raise RowError("Код региона", _("регион «%(v)s» вне вашей зоны ответственности") % {"v": region.name})

        existing = _municipalities_by_code(ctx).get(code.casefold())
        if existing is not None:
            if not ctx.can_touch_municipality(existing):
                raise RowError("Код", _("муниципалитет «%(v)s» вне вашей зоны ответственности") % {"v": existing.name})
            if region is not None and existing.region_id != region.pk and not ctx.unrestricted:
                raise RowError(
                    "Код региона", _("перенос муниципалитета в другой регион доступен только администратору")
                )
        return MunicipalityRow(ctx.row_number or 0, code, name, region, new_region, authority, head_name, existing)

    def write(self, cleaned_rows: list[MunicipalityRow], ctx: ImportContext) -> tuple[int, int]:
        created = updated = 0
        new_regions: dict[str, Region] = {}
        for r in cleaned_rows:
            ctx.row_number = r.row
            region = r.region
            if region is None:
                assert r.new_region is not None
                region_code, region_name = r.new_region
                region = new_regions.get(region_code.casefold())
                if region is None:
                    region = Region(code=region_code, name=region_name)
                    region.full_clean()
                    region.save()
                    new_regions[region_code.casefold()] = region
                    created += 1
                    ctx.change("create", _("регион %(code)s «%(name)s»") % {"code": region_code, "name": region_name})
            values: dict[str, Any] = {"name": r.name, "region": region}
            if r.authority:
                values["authority"] = r.authority
            if r.head_name:
                values["head_name"] = r.head_name
            if r.existing is None:
                municipality = Municipality(code=r.code, **values)
                municipality.full_clean()
                municipality.save()
                created += 1
                ctx.change(
                    "create",
                    _("%(code)s «%(name)s» (%(region)s)") % {"code": r.code, "name": r.name, "region": region.name},
                )
                continue
            changed = _apply(r.existing, values)
            if changed:
                r.existing.full_clean()
                r.existing.save(update_fields=changed)
                updated += 1
                ctx.change(
                    "update",
                    _("%(code)s «%(name)s»: %(fields)s")
                    % {
                        "code": r.existing.code,
                        "name": r.existing.name,
                        "fields": _field_names(Municipality, changed, r.existing),
                    },
                )
        return created, updated
