"""Everything that writes roadmaps and reports: typed, keyword-only `<thing>_<verb>` services."""

from .deadlines import deadline_set
from .report_edit import report_create, report_save
from .report_lines import report_sync_lines
from .report_review import (
    certification_void,
    report_approve,
    report_certify,
    report_reopen,
    report_return,
    report_submit,
)
from .report_versions import ReportConflict
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
