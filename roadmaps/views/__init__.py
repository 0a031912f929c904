"""Views of the roadmaps app: parse input, check permission, call one service or selector, render.

roadmaps.py: roadmaps and activities; reports.py: quarterly reports; board.py: the status board and
deadlines; exports.py: the export of report lines."""

from __future__ import annotations

from .board import deadline_update, status_board
from .common import LINE_BADGES, REVIEW_ROLES, ROADMAP_BADGES
from .reports import REPORT_ACTIONS, evidence_download, report_action, report_detail, report_list, report_start
from .roadmaps import (
    ROADMAP_ACTIONS,
    activity_delete,
    activity_edit,
    roadmap_action,
    roadmap_create,
    roadmap_detail,
    roadmap_list,
)

__all__ = [
    "activity_delete",
    "activity_edit",
    "deadline_update",
    "evidence_download",
    "LINE_BADGES",
    "report_action",
    "REPORT_ACTIONS",
    "report_detail",
    "report_list",
    "report_start",
    "REVIEW_ROLES",
    "roadmap_action",
    "ROADMAP_ACTIONS",
    "ROADMAP_BADGES",
    "roadmap_create",
    "roadmap_detail",
    "roadmap_list",
    "status_board",
]
