"""References: create, edit the narrative, generate a version, send, sign, return. Each service
validates, changes state in one transaction, records the audit entry and queues tasks on commit."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core.calendar import date_text
from core.models import User
from core.transitions import transition_record
from core.versions import version_claim
from schools.models import Municipality, Region

from .. import permissions
from ..document import DEFAULT_GOALS, DEFAULT_TASKS, DEFAULT_TITLES
from ..models import (
    AnalyticalReference,
    ApprovalKind,
    JobStatus,
    Recommendation,
    ReferenceStatus,
    ReferenceTemplate,
    ReferenceTransition,
    ReferenceVersion,
    RenderJob,
    ScopeKind,
)
from ..selectors.snapshot import input_hash, snapshot_compute
from .drafts import draft_conclusions, draft_remarks
from .jobs import _queue_job

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
EDITABLE = (ReferenceStatus.DRAFT, ReferenceStatus.RETURNED, ReferenceStatus.SIGNED)


def _audit(
    *,
    reference: AnalyticalReference,
    actor: User | None,
    action: str,
    from_status: str,
    to_status: str,
    version: ReferenceVersion | None = None,
    comment: str = "",
) -> None:
    transition_record(
        ReferenceTransition,
        reference,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        version=version,
    )


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _scope_objects(scope_kind: str, scope_code: str) -> tuple[Region, Municipality | None]:
    if scope_kind == ScopeKind.REGION:
        region = Region.objects.filter(code=scope_code).first()
        if region is None:
            raise ValidationError({"scope": f"Регион с кодом «{scope_code}» не найден."})
        return region, None
    municipality = Municipality.objects.select_related("region").filter(code=scope_code).first()
    if municipality is None:
        raise ValidationError({"scope": f"Муниципалитет с кодом «{scope_code}» не найден."})
    return municipality.region, municipality


def narrative_of(reference: AnalyticalReference) -> dict[str, Any]:
    """The text of the reference as a version freezes it."""
    return {
        "title": reference.title,
        "goal": reference.goal,
        "tasks": reference.tasks,
        "conclusions": reference.conclusions,
        "remarks": reference.remarks,
        "decisions": reference.decisions,
        "recommendations": [
            {"addressee": r.addressee, "text": r.text, "deadline": r.deadline}
            for r in reference.recommendations.order_by("order", "id")
        ],
        "author_position": reference.author_position,
        "author_name": reference.author_name,
        "author_phone": reference.author_phone,
        "cover_letter": reference.cover_letter,
        "cover_addressee": reference.cover_addressee,
        "cover_subject": reference.cover_subject,
        "cover_text": reference.cover_text,
        "outgoing_number": reference.outgoing_number,
        "outgoing_date": reference.outgoing_date.isoformat() if reference.outgoing_date else None,
        "precision": reference.precision,
    }


def document_of(reference: AnalyticalReference, narrative: dict[str, Any]) -> dict[str, Any]:
    """What a version freezes about the document itself: template, title, territory and period."""
    place = reference.municipality or reference.region
    return {
        "template": reference.template,
        "title": narrative["title"],
        "scope_code": reference.scope_code,
        "authority": place.authority or place.name,
        "date_from": reference.date_from,
        "date_to": reference.date_to,
    }


def default_narrative(*, template: str, snapshot: dict, precision: int) -> dict[str, Any]:
    """The text a new reference starts with: the seed's goal and tasks, drafts from the data."""
    return {
        "title": DEFAULT_TITLES[template],
        "goal": DEFAULT_GOALS[template],
        "tasks": DEFAULT_TASKS if template == ReferenceTemplate.ROADMAP_MONITORING else "",
        "conclusions": draft_conclusions(snapshot=snapshot, template=template, precision=precision),
        "remarks": draft_remarks(snapshot=snapshot, template=template, precision=precision)
        if template == ReferenceTemplate.ROADMAP_MONITORING
        else "",
        "decisions": "",
        "recommendations": [],
    }


def _snapshot_for(reference: AnalyticalReference) -> dict[str, Any]:
    return snapshot_compute(
        scope_kind=reference.scope_kind,
        scope_code=reference.scope_code,
        date_from=reference.date_from,
        date_to=reference.date_to,
        template=reference.template,
    )


def reference_create(
    *,
    user: User,
    template: str,
    scope_kind: str,
    scope_code: str,
    date_from: dt.date,
    date_to: dt.date,
    title: str = "",
    precision: int = 2,
) -> AnalyticalReference:
    """Create a draft reference; its conclusions and remarks start as drafts written from the data."""
    if template not in ReferenceTemplate.values:
        raise ValidationError({"template": "Неизвестный шаблон справки."})
    if date_to < date_from:
        raise ValidationError({"date_to": "Окончание периода раньше его начала."})
    if not 0 <= precision <= 4:
        raise ValidationError({"precision": "Точность процентов — от 0 до 4 знаков после запятой."})
    if f"{scope_kind}:{scope_code}" not in dict(permissions.creatable_scopes(user)):
        raise PermissionDenied("Создавать справки по этой территории вы не можете.")
    region, municipality = _scope_objects(scope_kind, scope_code)
    snapshot = snapshot_compute(
        scope_kind=scope_kind, scope_code=scope_code, date_from=date_from, date_to=date_to, template=template
    )
    text = default_narrative(template=template, snapshot=snapshot, precision=precision)
    with transaction.atomic():
        reference = AnalyticalReference(
            template=template,
            scope_kind=scope_kind,
            region=region,
            municipality=municipality,
            date_from=date_from,
            date_to=date_to,
            title=(title or "").strip() or text["title"],
            precision=precision,
            goal=text["goal"],
            tasks=text["tasks"],
            conclusions=text["conclusions"],
            remarks=text["remarks"],
            draft_pending=bool(text["conclusions"] or text["remarks"]),
            author_position=user.position,
            author_name=user.short_name,
            author_phone=user.phone,
            created_by=user,
        )
        reference.full_clean()
        reference.save()
        _audit(reference=reference, actor=user, action="create", from_status="", to_status=reference.status)
    return reference


NARRATIVE_FIELDS = (
    "title",
    "goal",
    "tasks",
    "conclusions",
    "remarks",
    "decisions",
    "precision",
    "author_position",
    "author_name",
    "author_phone",
    "cover_letter",
    "cover_addressee",
    "cover_subject",
    "cover_text",
    "outgoing_number",
    "outgoing_date",
)


def _claim(ref: AnalyticalReference, version: int | None, user: User | None) -> None:
    """Move the reference to its next version, refusing a page opened at an older one (core.versions)."""
    version_claim(ref, version, noun="Справку", fields=("status", *NARRATIVE_FIELDS))
    ref._history_user = user


def reference_update(
    *,
    reference: AnalyticalReference,
    user: User,
    data: dict[str, Any],
    recommendations: list[dict[str, str]],
    version: int | None = None,
) -> AnalyticalReference:
    """Save the text a person reviewed; editing a signed reference starts its next version. A text
    written against an older `version` is refused, naming who changed what since."""
    permissions.require_preparer(user, reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        if ref.status not in EDITABLE:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Справка на подписании: изменить её можно после возврата руководителем."]}
            )
        _claim(ref, version, user)
        for name in NARRATIVE_FIELDS:
            if name in data:
                setattr(ref, name, data[name])
        ref.draft_pending = False
        old = ref.status
        if ref.status == ReferenceStatus.SIGNED:
            ref.status = ReferenceStatus.DRAFT
        ref.full_clean()
        ref.save()
        ref.recommendations.all().delete()
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    reference=ref,
                    order=n,
                    addressee=r["addressee"].strip(),
                    text=r["text"].strip(),
                    deadline=r["deadline"].strip(),
                )
                for n, r in enumerate(recommendations, start=1)
            ]
        )
        _audit(reference=ref, actor=user, action="edit", from_status=old, to_status=ref.status)
    return ref


def reference_redraft(*, reference: AnalyticalReference, user: User) -> AnalyticalReference:
    """Replace the conclusions and remarks with new drafts written from today's data."""
    permissions.require_preparer(user, reference)
    snapshot = _snapshot_for(reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        if ref.status not in EDITABLE:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Справка на подписании: изменить её можно после возврата руководителем."]}
            )
        ref.conclusions = draft_conclusions(snapshot=snapshot, template=ref.template, precision=ref.precision)
        if ref.template == ReferenceTemplate.ROADMAP_MONITORING:
            ref.remarks = draft_remarks(snapshot=snapshot, template=ref.template, precision=ref.precision)
        ref.draft_pending = True
        _claim(ref, None, user)
        old = ref.status
        if ref.status == ReferenceStatus.SIGNED:
            ref.status = ReferenceStatus.DRAFT
        ref.save()
        _audit(
            reference=ref,
            actor=user,
            action="edit",
            from_status=old,
            to_status=ref.status,
            comment="Выводы и замечания заменены черновиком по данным",
        )
    return ref


def reference_generate(*, reference: AnalyticalReference, user: User | None) -> ReferenceVersion:
    """Freeze today's data and text into a version and queue its rendering.

    When a version with exactly these inputs exists, it is returned as is: the same inputs are
    never rendered twice.
    """
    if user is not None:
        permissions.require_preparer(user, reference)
    snapshot = _snapshot_for(reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        if ref.status == ReferenceStatus.SENT:
            raise ValidationError(
                {NON_FIELD_ERRORS: ["Справка на подписании: новую версию можно сформировать после возврата."]}
            )
        narrative = narrative_of(ref)
        digest = input_hash(snapshot=snapshot, narrative=narrative, template=ref.template, precision=ref.precision)
        # Any version with exactly these inputs (a signed one first) is reused, never rendered again.
        existing = (
            ref.versions.filter(input_hash=digest)
            .select_related("job")
            .order_by(F("signed_at").desc(nulls_last=True), "-number")
            .first()
        )
        _claim(ref, None, user)
        if existing is not None:
            update = ["current_version", "updated_at"]
            ref.current_version = existing
            if existing.is_signed and ref.status != ReferenceStatus.SIGNED:
                _audit(
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
        number = (ref.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ReferenceVersion.objects.create(
            reference=ref,
            number=number,
            code=new_code(),
            snapshot=snapshot,
            narrative=narrative,
            input_hash=digest,
            created_by=user,
            **document_of(ref, narrative),
        )
        job = RenderJob.objects.create(version=version, requested_by=user, progress_total=RenderJob.STEPS)
        old = ref.status
        ref.current_version = version
        if ref.status == ReferenceStatus.SIGNED:
            ref.status = ReferenceStatus.DRAFT
        ref.save(update_fields=["status", "current_version", "updated_at"])
        _audit(
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


def _current_version(ref: AnalyticalReference) -> ReferenceVersion | None:
    if ref.current_version_id is None:
        return None
    return ReferenceVersion.objects.defer("pdf", "xlsx").get(pk=ref.current_version_id)


def reference_send(*, reference: AnalyticalReference, user: User, version: int | None = None) -> AnalyticalReference:
    """Send the current rendered version for sign-off (the reference as it was at `version`)."""
    permissions.require_preparer(user, reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        _claim(ref, version, user)
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
        old = ref.status
        ref.status = ReferenceStatus.SENT
        ref.save(update_fields=["status", "updated_at"])
        _audit(reference=ref, actor=user, action="send", from_status=old, to_status=ref.status, version=version)
    return ref


def signer_position(reference: AnalyticalReference) -> str:
    """The head's position as the territory's card names it (when the signing account has none)."""
    return (reference.municipality or reference.region).head_position


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
    errors = {}
    if not position:
        errors["position"] = "Укажите должность."
    if not outgoing_number.strip():
        errors["outgoing_number"] = "Укажите исходящий номер."
    if kind not in ApprovalKind.values:
        errors["kind"] = "Неизвестный гриф."
    if signed_on > timezone.localdate():
        errors["signed_on"] = "Дата подписания не может быть в будущем."
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        seen, version = version, ReferenceVersion.objects.select_for_update().filter(pk=ref.current_version_id).first()
        period_end = (version.date_to if version else None) or ref.date_to
        if "signed_on" not in errors and signed_on < period_end:
            errors["signed_on"] = (
                f"Дата подписания не может быть раньше окончания периода справки ({date_text(period_end)})."
            )
        if errors:
            raise ValidationError(errors)
        _claim(ref, seen, user)  # the form's own errors first, then whether the page is stale
        if ref.status != ReferenceStatus.SENT:
            raise ValidationError({NON_FIELD_ERRORS: ["Подписать можно только справку, направленную на подписание."]})
        if version is None or version.is_signed:
            raise ValidationError({NON_FIELD_ERRORS: ["Нет версии, ожидающей подписи."]})
        version.signed_by = user
        version.signed_at = timezone.now()
        version.signatory_position = position
        version.signatory_name = name
        version.signed_on = signed_on
        version.signed_number = outgoing_number.strip()
        version.approval_kind = kind
        # The unsigned render must never pass for the signed document: it goes until the signed one is made.
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
        ref.status = ReferenceStatus.SIGNED
        ref.save(update_fields=["status", "updated_at"])
        _audit(
            reference=ref,
            actor=user,
            action="sign",
            from_status=ReferenceStatus.SENT,
            to_status=ReferenceStatus.SIGNED,
            version=version,
            comment=f"{position} {name}, {date_text(signed_on)}, исх. № {outgoing_number.strip()}",
        )
        job, _ = RenderJob.objects.get_or_create(
            version=version, defaults={"requested_by": user, "progress_total": RenderJob.STEPS}
        )
        _queue_job(job)
    return version


def reference_return(
    *, reference: AnalyticalReference, user: User, comment: str, version: int | None = None
) -> AnalyticalReference:
    """The head returns the reference to the methodist with a comment (required), as read at `version`."""
    permissions.require_signer(user, reference)
    if not comment.strip():
        raise ValidationError({"comment": "Укажите, что нужно исправить."})
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        _claim(ref, version, user)
        if ref.status != ReferenceStatus.SENT:
            raise ValidationError({NON_FIELD_ERRORS: ["Вернуть можно только справку, направленную на подписание."]})
        ref.status = ReferenceStatus.RETURNED
        ref.save(update_fields=["status", "updated_at"])
        _audit(
            reference=ref,
            actor=user,
            action="return",
            from_status=ReferenceStatus.SENT,
            to_status=ReferenceStatus.RETURNED,
            version=_current_version(ref),
            comment=comment.strip(),
        )
    return ref


# --- The rendering job (called by the task) ------------------------------------------------------
