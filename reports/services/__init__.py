"""Everything that writes references: their text (lifecycle.py, narrative.py), versions (generation.py),
sign-off (signoff.py), the marks each write leaves (records.py) and the rendering jobs (jobs.py)."""

from .generation import reference_generate
from .jobs import (
    HARD_TIME_LIMIT,
    SOFT_TIME_LIMIT,
    STALE_QUEUED,
    _queue_job,
    job_claim,
    job_finish,
    job_is_retryable,
    job_progress,
    job_retry,
    signature_of,
    version_render,
)
from .lifecycle import reference_create, reference_redraft, reference_update
from .narrative import NARRATIVE_FIELDS, default_narrative, narrative_of, new_code
from .signoff import reference_return, reference_send, reference_sign, signer_position

__all__ = [
    "HARD_TIME_LIMIT",
    "NARRATIVE_FIELDS",
    "SOFT_TIME_LIMIT",
    "STALE_QUEUED",
    "_queue_job",
    "default_narrative",
    "job_claim",
    "job_finish",
    "job_is_retryable",
    "job_progress",
    "job_retry",
    "narrative_of",
    "new_code",
    "reference_create",
    "reference_generate",
    "reference_redraft",
    "reference_return",
    "reference_send",
    "reference_sign",
    "signer_position",
    "reference_update",
    "signature_of",
    "version_render",
]
