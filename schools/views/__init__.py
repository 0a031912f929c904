"""Pages of the schools app: the directory, the registry, the school card and its edit forms.

Views are thin: every object comes through the user's scope (`schools_for`, so anything else is a
404), editing rights are checked by `permissions` (403), writes go through `services`.
"""

from __future__ import annotations

from .assignments import curator_assign, curator_unassign, partner_assign, partner_end
from .card import HISTORY_LIMIT, school_detail
from .directory import registry_list, school_list
from .registry import registry_create, registry_edit, school_exclude
from .risks import cause_create, cause_delete, cause_edit, risk_profile_edit

__all__ = [
    "cause_create",
    "cause_delete",
    "cause_edit",
    "curator_assign",
    "curator_unassign",
    "HISTORY_LIMIT",
    "partner_assign",
    "partner_end",
    "registry_create",
    "registry_edit",
    "registry_list",
    "risk_profile_edit",
    "school_detail",
    "school_exclude",
    "school_list",
]
