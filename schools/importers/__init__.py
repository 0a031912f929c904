"""Workbook sheets of the schools app: `Муниципалитеты`, `ОО`, `Реестр`.

Empty optional cells leave an existing value unchanged, so a partly filled sheet never wipes data.
A web import by a coordinator may only touch their region; the command and admins touch anything."""

from __future__ import annotations

from .. import exports  # noqa: F401 - registers the schools' share of the import template
from .common import BATCH_SIZE
from .municipalities import MunicipalityImporter, MunicipalityRow
from .registry import RegistryImporter, RegistryRow, _registry_full_clean
from .schools import SCHOOL_CLEAN, SchoolImporter, SchoolRow

__all__ = [
    "_registry_full_clean",
    "BATCH_SIZE",
    "MunicipalityImporter",
    "MunicipalityRow",
    "RegistryImporter",
    "RegistryRow",
    "SCHOOL_CLEAN",
    "SchoolImporter",
    "SchoolRow",
]
