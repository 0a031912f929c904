"""Everything that writes roadmaps and reports: typed, keyword-only `<thing>_<verb>` services."""

from .deadlines import deadline_set
from .reports import (
    ReportConflict,
    certification_void,
    report_approve,
    report_certify,
    report_create,
    report_reopen,
    report_return,
    report_save,
    report_submit,
    report_sync_lines,
)
from .roadmaps import (
    activity_delete,
    activity_save,
    roadmap_approve,
    roadmap_certify,
    roadmap_copy_from_previous,
    roadmap_create,
    roadmap_reopen,
    roadmap_return,
    roadmap_submit,
)

__all__ = [
    "ReportConflict",
    "activity_delete",
    "activity_save",
    "deadline_set",
    "report_approve",
    "certification_void",
    "report_certify",
    "report_create",
    "report_reopen",
    "report_return",
    "report_save",
    "report_submit",
    "report_sync_lines",
    "roadmap_approve",
    "roadmap_certify",
    "roadmap_copy_from_previous",
    "roadmap_create",
    "roadmap_reopen",
    "roadmap_return",
    "roadmap_submit",
]
