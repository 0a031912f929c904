"""Views of the references: thin — parse, check permission, call one service or selector, render."""

from .files import job_retry, job_status, signed_zip, version_pdf, version_xlsx
from .public import verify, verify_start
from .references import (
    reference_create,
    reference_detail,
    reference_edit,
    reference_generate,
    reference_list,
    reference_redraft,
    reference_return,
    reference_send,
    reference_sign,
)

__all__ = [
    "job_retry",
    "job_status",
    "reference_create",
    "reference_detail",
    "reference_edit",
    "reference_generate",
    "reference_list",
    "reference_redraft",
    "reference_return",
    "reference_send",
    "reference_sign",
    "signed_zip",
    "verify",
    "verify_start",
    "version_pdf",
    "version_xlsx",
]
