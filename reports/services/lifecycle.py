"""A reference's text: create a draft, save the text a person reviewed, replace the conclusions and
remarks with new drafts from the data. Each service validates, changes state in one transaction and
records the audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction

from core.models import User
from schools.models import Municipality, Region
from schools.services import require_active

from .. import permissions
from ..document.paragraphs import paragraph_errors, paragraphs_of
from ..models import AnalyticalReference, Recommendation, ReferenceStatus, ReferenceTemplate, ScopeKind
from ..selectors.snapshot import snapshot_compute
from .drafts import draft_conclusions, draft_remarks
from .narrative import NARRATIVE_FIELDS, default_narrative, snapshot_of
from .records import audit, claim

EDITABLE = (ReferenceStatus.DRAFT, ReferenceStatus.RETURNED, ReferenceStatus.SIGNED)


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


def _require_editable(ref: AnalyticalReference) -> None:
    if ref.status not in EDITABLE:
        raise ValidationError(
            {NON_FIELD_ERRORS: ["Справка на подписании: изменить её можно после возврата руководителем."]}
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
    if f"{scope_kind}:{scope_code}" not in dict(permissions.creatable_scopes(user, include_archived=True)):
        raise PermissionDenied("Создавать справки по этой территории вы не можете.")
    region, municipality = _scope_objects(scope_kind, scope_code)
    require_active(municipality or region, field="scope")  # an archived territory takes no new reference
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
            paragraphs=text["paragraphs"],
            author_position=user.position,
            author_name=user.short_name,
            author_phone=user.phone,
            created_by=user,
        )
        reference.full_clean()
        reference.save()
        audit(reference=reference, actor=user, action="create", from_status="", to_status=reference.status)
    return reference


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
    errors = paragraph_errors(reference.template, data.get("paragraphs") or {})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        _require_editable(ref)
        claim(ref, version, user)
        stored = paragraphs_of(ref.template, ref.paragraphs)
        for name in NARRATIVE_FIELDS:
            if name in data:
                setattr(ref, name, data[name])
        if "paragraphs" in data:  # the paragraphs given replace theirs; the others keep their text
            ref.paragraphs = {**stored, **data["paragraphs"]}
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
        audit(reference=ref, actor=user, action="edit", from_status=old, to_status=ref.status)
    return ref


def reference_redraft(*, reference: AnalyticalReference, user: User, version: int | None = None) -> AnalyticalReference:
    """Replace the conclusions and remarks with new drafts written from today's data. A page opened at
    an older `version` is refused, naming who changed what since."""
    permissions.require_preparer(user, reference)
    snapshot = snapshot_of(reference)
    with transaction.atomic():
        ref = AnalyticalReference.objects.select_for_update().get(pk=reference.pk)
        _require_editable(ref)
        ref.conclusions = draft_conclusions(snapshot=snapshot, template=ref.template, precision=ref.precision)
        if ref.template == ReferenceTemplate.ROADMAP_MONITORING:
            ref.remarks = draft_remarks(snapshot=snapshot, template=ref.template, precision=ref.precision)
        ref.draft_pending = True
        claim(ref, version, user)
        old = ref.status
        if ref.status == ReferenceStatus.SIGNED:
            ref.status = ReferenceStatus.DRAFT
        ref.save()
        audit(
            reference=ref,
            actor=user,
            action="edit",
            from_status=old,
            to_status=ref.status,
            comment="Выводы и замечания заменены черновиком по данным",
        )
    return ref
