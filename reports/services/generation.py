"""Generate a version of a reference: freeze today's data and text and queue its rendering, or reuse
the version already made from exactly these inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core.models import User

from .. import permissions
from ..models import AnalyticalReference, JobStatus, ReferenceStatus, ReferenceVersion, RenderJob
from ..selectors.snapshot import input_hash
from .jobs import _queue_job
from .narrative import document_of, narrative_of, new_code, snapshot_of
from .records import audit, claim


def reference_generate(
    *, reference: AnalyticalReference, user: User | None, version: int | None = None
) -> ReferenceVersion:
    """Freeze today's data and text into a version and queue its rendering.

    When a version with exactly these inputs exists, it is returned as is: the same inputs are
    never rendered twice. A page opened at an older `version` of the reference is refused, naming who
    changed what since (core.versions); the portal itself passes None.
    """
    if user is not None:
        permissions.require_preparer(user, reference)
    read_at = timezone.now()  # «данные на …»: the data are read from this moment on
    snapshot = snapshot_of(reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        if ref.status == ReferenceStatus.SENT:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Справка на подписании: новую версию можно сформировать после возврата."]}
            )
        narrative = narrative_of(ref)
        digest = input_hash(snapshot=snapshot, narrative=narrative, template=ref.template, precision=ref.precision)
        existing = _version_with_inputs(ref, digest)
        claim(ref, version, user)
        if existing is not None:
            return _version_reuse(ref, existing, user)
        return _version_new(ref, user, snapshot=snapshot, narrative=narrative, digest=digest, read_at=read_at)


def _version_with_inputs(ref: AnalyticalReference, digest: str) -> ReferenceVersion | None:
    """Any version with exactly these inputs (a signed one first): it is reused, never rendered again."""
    return (
        ref.versions.filter(input_hash=digest)
        .select_related("job")
        .order_by(F("signed_at").desc(nulls_last=True), "-number")
        .first()
    )


def _version_reuse(ref: AnalyticalReference, existing: ReferenceVersion, user: User | None) -> ReferenceVersion:
    """Make `existing` the current version again (signed again when it was signed); a failed render of it
    is queued once more."""
    update = ["current_version", "updated_at"]
    ref.current_version = existing
    if existing.is_signed and ref.status != ReferenceStatus.SIGNED:
        audit(
            reference=ref,
            actor=user,
            action="generate",
            from_status=ref.status,
            to_status=ReferenceStatus.SIGNED,
            version=existing,
            comment=f"Данные и текст совпадают с подписанной версией {existing.number}",
        )
        ref.status = ReferenceStatus.SIGNED
        update.append("status")
    ref.save(update_fields=update)
    job = getattr(existing, "job", None)
    if job is not None and job.status == JobStatus.FAILED:
        _queue_job(job)
    return existing


def _version_new(
    ref: AnalyticalReference,
    user: User | None,
    *,
    snapshot: dict[str, Any],
    narrative: dict[str, Any],
    digest: str,
    read_at: dt.datetime,
) -> ReferenceVersion:
    """The next version of the reference, its render job queued on commit; a signed reference becomes a
    draft again."""
    number = (ref.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReferenceVersion.objects.create(
        reference=ref,
        number=number,
        code=new_code(),
        snapshot=snapshot,
        narrative=narrative,
        input_hash=digest,
        data_as_of=read_at,
        created_by=user,
        **document_of(ref, narrative),
    )
    job = RenderJob.objects.create(version=version, requested_by=user, progress_total=RenderJob.STEPS)
    old = ref.status
    ref.current_version = version
    if ref.status == ReferenceStatus.SIGNED:
        ref.status = ReferenceStatus.DRAFT
    ref.save(update_fields=["status", "current_version", "updated_at"])
    audit(
        reference=ref,
        actor=user,
        action="generate",
        from_status=old,
        to_status=ref.status,
        version=version,
        comment=f"Версия {number}",
    )
    _queue_job(job, fresh=True)
    return version
