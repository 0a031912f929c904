"""Writes of the schools app: the registry, exclusions, curators, partner leader schools, risk
profiles and causes of low results.

Every service validates first (Russian messages keyed by the form field they concern, so a view
can put them next to the field), then writes inside one transaction. History records carry the
acting user (`_history_user`), which is how the card shows who changed what."""

from __future__ import annotations

from .archive import archive_set, require_active
from .assignments import curator_assign, curator_unassign, leader_candidates, partner_assign, partner_end
from .common import MAX_YEAR, MIN_YEAR
from .registry import RegistryEntryData, open_registry_entry, registry_entry_save, school_exclude
from .risks import cause_create, cause_delete, cause_update, risk_profile_save

__all__ = [
    "archive_set",
    "require_active",
    "cause_create",
    "cause_delete",
    "cause_update",
    "curator_assign",
    "curator_unassign",
    "leader_candidates",
    "MAX_YEAR",
    "MIN_YEAR",
    "open_registry_entry",
    "partner_assign",
    "partner_end",
    "registry_entry_save",
    "RegistryEntryData",
    "risk_profile_save",
    "school_exclude",
]
