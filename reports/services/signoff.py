"""Sign-off of a reference: the methodist sends the rendered version, the head signs it (it is rendered
once more with the signature and frozen) or returns it with a comment. Each service checks the actor
and the version the page was opened at, changes state in one transaction and records the audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from core.calendar import date_text
from core.models import User

from .. import permissions
from ..document import document_build
from ..models import AnalyticalReference, ApprovalKind, ReferenceStatus, ReferenceVersion, RenderJob
from ..selectors.snapshot import input_hash
from .jobs import _queue_job
from .narrative import narrative_of
from .records import audit, claim


def _current_version(ref: AnalyticalReference) -> ReferenceVersion | None:
    if ref.current_version_id is None:
        return None
    return ReferenceVersion.objects.defer("pdf", "xlsx").get(pk=ref.current_version_id)


def reference_send(*, reference: AnalyticalReference, user: User, version: int | None = None) -> AnalyticalReference:
    """Send the current rendered version for sign-off (the reference as it was at `version`)."""
    permissions.require_preparer(user, reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        claim(ref, version, user)
        if ref.status not in (ReferenceStatus.DRAFT, ReferenceStatus.RETURNED):
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Направить на подписание можно черновик или возвращённую справку."]}
            )
        if ref.draft_pending:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        "Выводы и замечания предложены порталом и ещё не проверены: откройте «Текст справки», "
                        "отредактируйте и сохраните их."
                    ]
                }
            )
        version = _current_version(ref)
        if version is None or not version.is_rendered:
            raise ValidationError({NON_FIELD_ERRORS: ["Сначала сформируйте справку и дождитесь готовности PDF."]})
        if version.input_hash != input_hash(
            snapshot=version.snapshot, narrative=narrative_of(ref), template=ref.template, precision=ref.precision
        ):
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Текст справки изменён после формирования: сформируйте новую версию."]}
            )
        missing = missing_blocks(version)
        if missing:
            raise ValidationError({NON_FIELD_ERRORS: missing})
        old = ref.status
        ref.status = ReferenceStatus.SENT
        ref.save(update_fields=["status", "updated_at"])
        audit(reference=ref, actor=user, action="send", from_status=old, to_status=ref.status, version=version)
    return ref


def missing_blocks(version: ReferenceVersion) -> list[str]:
    """The required blocks the version to be signed leaves empty, one Russian message each
    (docs/references.md): read from what the version froze, as the head would read it."""
    doc = document_build(
        snapshot=version.snapshot,
        narrative=version.narrative,
        template=version.template,
        precision=version.narrative.get("precision", 2),
    )
    return doc["missing"]


def signer_position(reference: AnalyticalReference) -> str:
    """The head's position as the territory's card names it (when the signing account has none)."""
    return (reference.municipality or reference.region).head_position


def _signature_errors(*, position: str, outgoing_number: str, kind: str, signed_on: dt.date) -> dict[str, str]:
    """The sign form's own errors, by field, before anything is locked."""
    errors = {}
    if not position:
        errors["position"] = "Укажите должность."
    if not outgoing_number.strip():
        errors["outgoing_number"] = "Укажите исходящий номер."
    if kind not in ApprovalKind.values:
        errors["kind"] = "Неизвестный гриф."
    if signed_on > timezone.localdate():
        errors["signed_on"] = "Дата подписания не может быть в будущем."
    return errors


def _signature_write(
    version: ReferenceVersion,
    *,
    user: User,
    position: str,
    name: str,
    signed_on: dt.date,
    outgoing_number: str,
    kind: str,
) -> None:
    """Put the signature on `version` and drop its unsigned render: the unsigned PDF must never pass for
    the signed document, so it goes until the signed one is made."""
    version.signed_by = user
    version.signed_at = timezone.now()
    version.signatory_position = position
    version.signatory_name = name
    version.signed_on = signed_on
    version.signed_number = outgoing_number
    version.approval_kind = kind
    version.pdf = None
    version.pdf_sha256 = ""
    version.pdf_pages = None
    version.rendered_hash = ""
    version.save(
        update_fields=[
            "pdf",
            "pdf_sha256",
            "pdf_pages",
            "rendered_hash",
            "signed_by",
            "signed_at",
            "signatory_position",
            "signatory_name",
            "signed_on",
            "signed_number",
            "approval_kind",
        ]
    )


def reference_sign(
    *,
    reference: AnalyticalReference,
    user: User,
    position: str,
    name: str,
    signed_on: dt.date,
    outgoing_number: str,
    kind: str = ApprovalKind.APPROVE,
    version: int | None = None,
) -> ReferenceVersion:
    """The head signs the version sent to them; it is rendered once more with the signature and frozen.

    The signature is the account's (`signed_by`); an empty position or name is taken from its profile.
    The date lies between the end of the version's period and today. `version` is the reference's
    version the head read (core.versions): a changed reference is refused.
    """
    permissions.require_signer(user, reference)
    position = position.strip() or user.position.strip() or signer_position(reference)
    name = name.strip() or user.short_name
    errors = _signature_errors(position=position, outgoing_number=outgoing_number, kind=kind, signed_on=signed_on)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        sent = ReferenceVersion.objects.select_for_update().filter(pk=ref.current_version_id).first()
        period_end = (sent.date_to if sent else None) or ref.date_to
        if "signed_on" not in errors and signed_on < period_end:
            errors["signed_on"] = (
                f"Дата подписания не может быть раньше окончания периода справки ({date_text(period_end)})."
            )
        if errors:
            raise ValidationError(errors)
        claim(ref, version, user)  # the form's own errors first, then whether the page is stale
        if ref.status != ReferenceStatus.SENT:
            raise ValidationError({NON_FIELD_ERRORS: ["Подписать можно только справку, направленную на подписание."]})
        if sent is None or sent.is_signed:
            raise ValidationError({NON_FIELD_ERRORS: ["Нет версии, ожидающей подписи."]})
        number = outgoing_number.strip()
        _signature_write(
            sent, user=user, position=position, name=name, signed_on=signed_on, outgoing_number=number, kind=kind
        )
        ref.status = ReferenceStatus.SIGNED
        ref.save(update_fields=["status", "updated_at"])
        audit(
            reference=ref,
            actor=user,
            action="sign",
            from_status=ReferenceStatus.SENT,
            to_status=ReferenceStatus.SIGNED,
            version=sent,
            comment=f"{position} {name}, {date_text(signed_on)}, исх. № {number}",
        )
        job, _ = RenderJob.objects.get_or_create(
            version=sent, defaults={"requested_by": user, "progress_total": RenderJob.STEPS}
        )
        _queue_job(job)
    return sent


def reference_return(
    *, reference: AnalyticalReference, user: User, comment: str, version: int | None = None
) -> AnalyticalReference:
    """The head returns the reference to the methodist with a comment (required), as read at `version`."""
    permissions.require_signer(user, reference)
    if not comment.strip():
        raise ValidationError({"comment": "Укажите, что нужно исправить."})
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        claim(ref, version, user)
        if ref.status != ReferenceStatus.SENT:
            raise ValidationError({NON_FIELD_ERRORS: ["Вернуть можно только справку, направленную на подписание."]})
        ref.status = ReferenceStatus.RETURNED
        ref.save(update_fields=["status", "updated_at"])
        audit(
            reference=ref,
            actor=user,
            action="return",
            from_status=ReferenceStatus.SENT,
            to_status=ReferenceStatus.RETURNED,
            version=_current_version(ref),
            comment=comment.strip(),
        )
    return ref
