"""Monitoring pages: thin views — parse input, check permission, call a selector or a service."""

from __future__ import annotations

from .campaigns import campaign_create_view, campaign_detail, campaign_entry, campaign_list, indicator_list
from .records import (
    dynamics_municipality,
    dynamics_school,
    result_delete_view,
    result_edit,
    result_list,
    visit_delete_view,
    visit_edit,
    visit_list,
)

__all__ = [
    "campaign_create_view",
    "campaign_detail",
    "campaign_entry",
    "campaign_list",
    "dynamics_municipality",
    "dynamics_school",
    "indicator_list",
    "result_delete_view",
    "result_edit",
    "result_list",
    "visit_delete_view",
    "visit_edit",
    "visit_list",
]
