"""Roadmaps: creation, copying from last year, activities, and the approval workflow."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.calendar import academic_year_label, check_academic_year, shift_years
from core.models import User
from core.scope import require_school
from core.versions import conflict_message, history_changes, version_claim
from schools.models import School
from schools.services import require_active

from ..models import Activity, QuarterlyReport, ReportStatus, Roadmap, RoadmapStatus, RoadmapTransition
from ..permissions import CERTIFIERS, EDITORS, REVIEWERS, SUBMITTERS
from .report_lines import academic_year_refusal, report_sync_lines
from .workflow import APPROVED, CERTIFIED, Workflow, review_moves

EDITABLE = (RoadmapStatus.DRAFT, RoadmapStatus.RETURNED)
ACTIVITY_FIELDS = (
    "direction",
    "activity_type",
    "title",
    "form",
    "starts_on",
    "due_on",
    "responsible",
    "expected_result",
    "indicator",
)


def roadmap_create(*, school: School, academic_year: int, user: User | None) -> Roadmap:
    """Start an empty roadmap (draft) for the school's academic year."""
    require_school(user, school, roles=EDITORS)
    require_active(school)
    try:
        check_academic_year(academic_year)
    except ValidationError as exc:
        raise ValidationError({"academic_year": exc.messages}) from None
    if Roadmap.objects.filter(school=school, academic_year=academic_year).exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Дорожная карта %(school)s на %(year)s учебный год уже есть.")
                    % {"school": school, "year": academic_year_label(academic_year)}
                ]
            }
        )
    roadmap = Roadmap(school=school, academic_year=academic_year)
    roadmap._history_user = user
    roadmap.full_clean()
    roadmap.save()
    return roadmap


@transaction.atomic
def roadmap_copy_from_previous(*, school: School, academic_year: int, user: User) -> Roadmap:
    """«Копировать из прошлого года»: a new draft with last year's activities, dates moved a year on."""
    require_school(user, school, roles=EDITORS)
    previous = Roadmap.objects.filter(school=school, academic_year=academic_year - 1).first()
    if previous is None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Дорожной карты на %(year)s учебный год нет — копировать нечего.")
                    % {"year": academic_year_label(academic_year - 1)}
                ]
            }
        )
    roadmap = roadmap_create(school=school, academic_year=academic_year, user=user)
    copies = []
    for a in previous.activities.all():
        copies.append(
            Activity(
                roadmap=roadmap,
                direction_id=a.direction_id,
                activity_type_id=a.activity_type_id,
                title=a.title,
                form=a.form,
                starts_on=shift_years(a.starts_on, 1),
                due_on=shift_years(a.due_on, 1),
                responsible=a.responsible,
                expected_result=a.expected_result,
                indicator_id=a.indicator_id,
                order=a.order,
            )
        )
    for activity in copies:
        activity._history_user = user
        activity.save()
    return roadmap


def _check_editable(roadmap: Roadmap, user: User) -> None:
    require_school(user, roadmap.school, roles=EDITORS)
    if roadmap.status not in EDITABLE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Дорожная карта в статусе «%(status)s» — изменять её нельзя.")
                    % {"status": roadmap.get_status_display()}
                ]
            }
        )


def _claim_roadmap(roadmap: Roadmap, version: int | None, user: User | None) -> None:
    """Move the roadmap to its next version (its content or status changes), refusing a stale page."""
    version_claim(roadmap, version, noun=_("Дорожную карту"), describe=lambda stale: _roadmap_conflict(roadmap, stale))
    roadmap._history_user = user


def _roadmap_changed(roadmap: Roadmap, user: User | None) -> None:
    """An activity is about to change: the roadmap moves to its next version first, so its history
    record precedes the activity's and a page opened before is refused naming the activity."""
    _claim_roadmap(roadmap, None, user)
    roadmap.save(update_fields=["version", "updated_at"])


def _roadmap_conflict(roadmap: Roadmap, version: int) -> str:
    """Who changed the roadmap since `version`: its status, and which activities were added, edited or removed."""
    authors, since, until, changes = history_changes(roadmap, version, fields=("status",))
    if since is not None:
        kinds = {"+": _("добавлено"), "~": _("изменено"), "-": _("удалено")}
        for record in Activity.history.filter(roadmap_id=roadmap.pk, history_date__gte=since).order_by("history_date"):
            text = _("мероприятие «%(title)s» — %(what)s") % {
                "title": record.title[:80],
                "what": kinds[record.history_type],
            }
            if text not in changes:
                changes.append(text)
    return conflict_message(noun=_("Дорожную карту"), authors=authors, when=until, changes=changes)


def activity_date_refusals(roadmap: Roadmap, values: dict[str, Any]) -> dict[str, str]:
    """Field → refusal for an activity's start or due date outside the roadmap's academic year."""
    refusals = {}
    for name in ("starts_on", "due_on"):
        label = capfirst(str(Activity._meta.get_field(name).verbose_name))
        text = academic_year_refusal(values.get(name), roadmap.academic_year, label)
        if text:
            refusals[name] = f"{capfirst(text)}."
    return refusals


def _check_activity_dates(roadmap: Roadmap, activity: Activity) -> None:
    refusals = activity_date_refusals(roadmap, {"starts_on": activity.starts_on, "due_on": activity.due_on})
    if refusals:
        raise ValidationError({name: [text] for name, text in refusals.items()})


@transaction.atomic
def activity_save(
    *,
    roadmap: Roadmap,
    user: User | None,
    data: dict[str, Any],
    activity: Activity | None = None,
    version: int | None = None,
) -> Activity:
    """Create or update one roadmap activity, then bring the open quarterly reports in line.

    `version` is the activity's version the edit was made against (core.versions; None for a new
    activity or the portal itself): a stale edit is refused naming who changed which field.
    """
    _check_editable(roadmap, user)
    if activity is None:
        activity = Activity(roadmap=roadmap)
        last = roadmap.activities.order_by("-order").values_list("order", flat=True).first()
        activity.order = (last or 0) + 1
    elif activity.roadmap_id != roadmap.pk:
        raise PermissionDenied
    else:
        version_claim(activity, version, noun=_("Мероприятие"), fields=ACTIVITY_FIELDS)
    for field in ACTIVITY_FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    if activity.activity_type_id and not activity.title:
        activity.title = activity.activity_type.name[:1].upper() + activity.activity_type.name[1:]
    if activity.activity_type_id and activity.direction_id != activity.activity_type.direction_id:
        raise ValidationError(
            {
                "activity_type": _("Вид мероприятия «%(type)s» относится к направлению «%(direction)s».")
                % {"type": activity.activity_type, "direction": activity.activity_type.direction}
            }
        )
    _check_activity_dates(roadmap, activity)
    activity.full_clean(exclude=["roadmap"])
    _roadmap_changed(roadmap, user)
    activity._history_user = user
    activity.save()
    for report in QuarterlyReport.objects.filter(
        roadmap=roadmap, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
    ).select_related("roadmap"):
        report_sync_lines(report=report)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, user: User, version: int | None = None) -> None:
    roadmap = activity.roadmap
    _check_editable(roadmap, user)
    version_claim(activity, version, noun=_("Мероприятие"), fields=ACTIVITY_FIELDS)
    locked = activity.report_lines.exclude(report__status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
    if locked.exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Мероприятие «%(title)s» уже есть в отправленном или утверждённом отчёте — удалить его нельзя.")
                    % {"title": activity.title}
                ]
            }
        )
    if (
        activity.report_lines.exclude(status="").exists()
        or activity.report_lines.filter(evidence__isnull=False).exists()
    ):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("По мероприятию «%(title)s» уже заполнен отчёт — сначала очистите строку отчёта.")
                    % {"title": activity.title}
                ]
            }
        )
    # Only empty lines of drafts are left (checked above); a line of a sent report is PROTECTed.
    activity.report_lines.all().delete()
    _roadmap_changed(roadmap, user)
    activity._history_user = user
    activity.delete()


ROADMAP_WORKFLOW = Workflow(
    history=RoadmapTransition,
    moves=review_moves(
        RoadmapStatus,
        certified_twice=_("Дорожная карта уже заверена куратором."),
        return_clears=(*APPROVED, *CERTIFIED),
    ),
    claim=_claim_roadmap,
    notify_task="send_roadmap_transition_email",
)


@transaction.atomic
def roadmap_submit(*, roadmap: Roadmap, user: User, version: int | None) -> RoadmapTransition:
    """The director sends the roadmap at the `version` they saw (core.versions) for approval."""
    require_school(user, roadmap.school, roles=SUBMITTERS)
    if roadmap.status in EDITABLE and not roadmap.activities.exists():
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("В дорожной карте нет ни одного мероприятия — добавьте их перед отправкой.")]}
        )
    return ROADMAP_WORKFLOW.move(roadmap, "submit", user=user, version=version)


@transaction.atomic
def roadmap_return(*, roadmap: Roadmap, user: User, comment: str, version: int | None) -> RoadmapTransition:
    """Methodist returns the submitted roadmap at the `version` they reviewed (core.versions)."""
    require_school(user, roadmap.school, roles=REVIEWERS)
    if not comment.strip():
        raise ValidationError(
            {"comment": [_("Укажите, что нужно исправить: без замечания вернуть дорожную карту нельзя.")]}
        )
    return ROADMAP_WORKFLOW.move(roadmap, "return", user=user, version=version, comment=comment.strip())


@transaction.atomic
def roadmap_approve(*, roadmap: Roadmap, user: User, comment: str = "", version: int | None) -> RoadmapTransition:
    """Methodist approves the roadmap at the `version` they reviewed (core.versions)."""
    require_school(user, roadmap.school, roles=REVIEWERS)
    return ROADMAP_WORKFLOW.move(roadmap, "approve", user=user, version=version, comment=comment.strip())


@transaction.atomic
def roadmap_certify(*, roadmap: Roadmap, user: User, version: int | None) -> RoadmapTransition:
    """The curator certifies the roadmap at the `version` they read (core.versions)."""
    require_school(user, roadmap.school, roles=CERTIFIERS)
    return ROADMAP_WORKFLOW.move(roadmap, "certify", user=user, version=version)


@transaction.atomic
def roadmap_reopen(*, roadmap: Roadmap, user: User, reason: str, version: int | None) -> RoadmapTransition:
    """A methodist reopens the approved roadmap at the `version` they saw (core.versions), giving a reason."""
    require_school(user, roadmap.school, roles=REVIEWERS)
    if not reason.strip():
        raise ValidationError({"reason": [_("Укажите причину: без неё открыть утверждённую дорожную карту нельзя.")]})
    return ROADMAP_WORKFLOW.move(roadmap, "reopen", user=user, version=version, comment=reason.strip())
