"""State shared by the importers of one run: who imports (and so what they may touch), cached
lookups by code or name, the current sheet and row, and the preview of changes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..organisations import organisations
from ..scope import has_role
from .parsing import RowError, clean_text, normalize_name

PREVIEW_LIMIT = 500
SUGGESTIONS = 3


def _nearest_names(index: dict[str, list[Any]], key: str, fields: tuple[str, ...]) -> list[str]:
    """Up to SUGGESTIONS catalogue entries whose normalised code or name is nearest to `key`."""
    names: list[str] = []
    for near in difflib.get_close_matches(key, list(index), n=SUGGESTIONS * 2, cutoff=0.6):
        for obj in index[near]:
            name = str(getattr(obj, fields[-1], "") or obj)
            if name not in names:
                names.append(name)
    return names[:SUGGESTIONS]


@dataclass
class Change:
    """One line of the preview: what a row will do."""

    sheet: str
    row: int | None
    action: str  # "create" | "update"
    text: str

    @property
    def action_label(self) -> str:
        return _("создание") if self.action == "create" else _("изменение")


class ImportContext:
    """State shared by the importers of one run: who imports, lookups, the current row, changes."""

    # Roles whose scope bounds what a web import may touch.
    SCOPE_ROLES: ClassVar[tuple[str, ...]] = ("admin", "coordinator", "methodist")

    def __init__(self, *, user: Any = None, by_command: bool = False, dry_run: bool = False) -> None:
        self.user = user
        self.by_command = by_command
        self.dry_run = dry_run
        self.sheet: str = ""
        self.row_number: int | None = None
        self.changes: list[Change] = []
        self.changes_total = 0
        self.data: dict[str, Any] = {}  # free space for importers sharing state across sheets
        self._lookup_cache: dict[tuple, dict[str, Any]] = {}
        self._schools: dict[str, Any] | None = None
        self._school_names: dict[str, list[Any]] | None = None
        self._scope_school_ids: set[int] | None = None
        self._scope_municipality_ids: set[int] | None = None
        self._scope_region_ids: set[int] | None = None

    # -- who may touch what -------------------------------------------------------------
    @property
    def unrestricted(self) -> bool:
        """The command and admins may touch anything; a web import is bounded by the user's scope."""
        if self.by_command or self.user is None:
            return True
        if getattr(self.user, "is_superuser", False):
            return True
        return has_role(self.user, "admin")

    @property
    def is_staff_import(self) -> bool:
        """Imported by a methodist, a coordinator, an admin or the command (not a school)."""
        if self.unrestricted:
            return True
        return has_role(self.user, "methodist", "coordinator")

    def _load_scope(self) -> None:
        orgs, roles = organisations(), self.SCOPE_ROLES
        self._scope_school_ids = set(orgs.schools(self.user, roles=roles).values_list("pk", flat=True))
        self._scope_municipality_ids = set(orgs.municipalities(self.user, roles=roles).values_list("pk", flat=True))
        self._scope_region_ids = set(orgs.regions(self.user, roles=roles).values_list("pk", flat=True))

    def can_touch_school(self, school: Any) -> bool:
        if self.unrestricted:
            return True
        if self._scope_school_ids is None:
            self._load_scope()
        assert self._scope_school_ids is not None
        return school.pk in self._scope_school_ids

    def can_touch_municipality(self, municipality: Any) -> bool:
        if self.unrestricted:
            return True
        if self._scope_municipality_ids is None:
            self._load_scope()
        assert self._scope_municipality_ids is not None
        return municipality.pk in self._scope_municipality_ids

    def can_touch_region(self, region: Any) -> bool:
        if self.unrestricted:
            return True
        if self._scope_region_ids is None:
            self._load_scope()
        assert self._scope_region_ids is not None
        return region.pk in self._scope_region_ids

    # -- lookups -----------------------------------------------------------------------
    def invalidate(self) -> None:
        """Forget cached lookups (called after each sheet is written, as it may add objects)."""
        self._lookup_cache.clear()
        self._schools = None
        self._school_names = None
        self._scope_school_ids = None
        self._scope_municipality_ids = None
        self._scope_region_ids = None

    def _load_schools(self) -> None:
        self._schools = {}
        self._school_names = {}
        for school in organisations().schools().select_related("municipality__region"):
            self._schools[school.code.casefold()] = school
            self._school_names.setdefault(normalize_name(school.name), []).append(school)

    def find_school(self, value: Any, column: str = "Код ОО", *, by_name: bool = True) -> Any | None:
        """The school with this code (or this exact name), without a scope check; None if unknown."""
        text = clean_text(value)
        if not text:
            return None
        if self._schools is None:
            self._load_schools()
        assert self._schools is not None and self._school_names is not None
        school = self._schools.get(text.casefold())
        if school is not None or not by_name:
            return school
        named = self._school_names.get(normalize_name(text), [])
        if len(named) > 1:
            raise RowError(column, _("наименование «%(v)s» носят несколько ОО, укажите код") % {"v": text})
        return named[0] if named else None

    def school(self, value: Any, column: str = "Код ОО", *, check_scope: bool = True) -> Any:
        """The school with this code or name that the importing user may touch, else a RowError."""
        text = clean_text(value)
        if not text:
            raise RowError(column, _("обязательное поле не заполнено"))
        school = self.find_school(text, column)
        if school is None:
            raise RowError(column, _("ОО с кодом или наименованием «%(v)s» не найдена") % {"v": text})
        if check_scope and not self.can_touch_school(school):
            raise RowError(column, _("ОО «%(v)s» вне вашей зоны ответственности") % {"v": text})
        return school

    def lookup(
        self,
        queryset: QuerySet | type[models.Model],
        value: Any,
        column: str,
        *,
        fields: tuple[str, ...] = ("code", "name"),
        what: str | None = None,
        required: bool = True,
        cache_key: str | None = None,
    ) -> Any:
        """The object of `queryset` whose code or name (normalised) equals the value.

        Codes match case-insensitively; names match with `normalize_name`. An ambiguous name is an
        error asking for the code. The index is read once per queryset; `cache_key` names it so that
        a sheet of many rows does not compile the queryset's SQL on every row to find its index.
        """
        qs = queryset if isinstance(queryset, QuerySet) else queryset._default_manager.all()
        text = clean_text(value)
        if not text:
            if required:
                raise RowError(column, _("обязательное поле не заполнено"))
            return None
        key = (qs.model._meta.label, fields, cache_key if cache_key is not None else str(qs.query))
        index = self._lookup_cache.get(key)
        if index is None:
            index = {}
            for obj in qs:
                for name in fields:
                    raw = getattr(obj, name, None)
                    if raw in (None, ""):
                        continue
                    k = normalize_name(raw)
                    found = index.setdefault(k, [])
                    if obj not in found:
                        found.append(obj)
            self._lookup_cache[key] = index
        matches = index.get(normalize_name(text), [])
        if len(matches) == 1:
            return matches[0]
        # Only a message needs the label: translating it on every row of a big sheet shows in its time.
        label = str(what or qs.model._meta.verbose_name)
        if len(matches) > 1:
            raise RowError(
                column, _("значение «%(v)s» неоднозначно (%(what)s), укажите код") % {"v": text, "what": label}
            )
        message = _("%(what)s «%(v)s» не совпадает ни с одной записью справочника.") % {
            "what": label.capitalize(),
            "v": text,
        }
        nearest = _nearest_names(index, normalize_name(text), fields)
        if nearest:
            message += " " + _("Возможно: %(names)s.") % {"names": ", ".join(f"«{name}»" for name in nearest)}
        raise RowError(column, message)

    # -- preview -----------------------------------------------------------------------
    def change(self, action: str, text: str, *, row: int | None = None) -> None:
        """Record one line of the preview (`action` is "create" or "update")."""
        self.changes_total += 1
        if len(self.changes) < PREVIEW_LIMIT:
            self.changes.append(Change(self.sheet, row if row is not None else self.row_number, action, text))
