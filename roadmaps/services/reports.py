"""Quarterly reports: creation, saving with optimistic locking, evidence, and the review workflow."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import (
    academic_year_label,
    check_quarter,
    date_text,
    datetime_text,
    quarter_academic_year,
    quarter_bounds,
)
from core.models import User
from core.scope import SYSTEM, covers_school, require_school
from core.transitions import transition, transition_record
from core.versions import StaleVersion, conflict_message, version_claim

from ..models import (
    Activity,
    ActivityReport,
    Evidence,
    LineStatus,
    QuarterlyReport,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    Roadmap,
)
from ..permissions import CERTIFIERS, EDITORS, REVIEWERS, SUBMITTERS
from ..selectors import LINE_FIELDS
from ..selectors.windows import deadline_for, report_deadline, report_window_open
from .evidence import CheckedFile, check_upload

NEEDS_REASON = (LineStatus.NOT_DONE, LineStatus.POSTPONED)
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


# A stale save or transition of a report (the core refusal, named for the report form's view and tests).
ReportConflict = StaleVersion


def activities_in_quarter(roadmap: Roadmap, year: int, quarter: int) -> QuerySet[Activity]:
    """Activities due in the quarter or running through it."""
    start, end = quarter_bounds(year, quarter)
    return roadmap.activities.filter(
        Q(due_on__range=(start, end)) | Q(starts_on__isnull=False, starts_on__lte=end, due_on__gte=start)
    )


def _short(user: User | None) -> str:
    return user.short_name if user else _("неизвестный пользователь")


CERTIFICATION_VOIDED = _("Заверение снято: отчёт изменён после заверения")


def certification_void(*, report: QuarterlyReport, user: User | None, what: str) -> ReportTransition | None:
    """A certified report changed (`what`: returned, reopened, edited, resubmitted): the curator's
    certification no longer covers it, so it is removed and the removal recorded in the history."""
    locked = QuarterlyReport.objects.select_for_update(of=("self",)).select_related("certified_by").get(pk=report.pk)
    if locked.certified_at is None:
        return None
    comment = _("%(voided)s куратором %(who)s %(when)s: %(what)s.") % {
        "voided": CERTIFICATION_VOIDED,
        "who": _short(locked.certified_by),
        "when": datetime_text(locked.certified_at),
        "what": what,
    }
    QuarterlyReport.objects.filter(pk=locked.pk).update(certified_at=None, certified_by=None)
    report.certified_at, report.certified_by = None, None
    return transition_record(
        ReportTransition,
        locked,
        actor=user,
        action=ReportTransition.Action.UNCERTIFY,
        from_status=locked.status,
        to_status=locked.status,
        comment=comment,
    )


@transaction.atomic
def report_create(*, roadmap: Roadmap, year: int, quarter: int, user: User | None) -> QuarterlyReport:
    """Open the quarter's report (idempotent): one line per activity due or active in the quarter.

    The system (`user=SYSTEM`) may open a quarter ahead of time or past its deadline."""
    require_school(user, roadmap.school, roles=EDITORS)
    try:
        check_quarter(year, quarter)
    except ValidationError as exc:
        raise ValidationError({NON_FIELD_ERRORS: exc.messages}) from None
    if quarter_academic_year(year, quarter) != roadmap.academic_year:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("%(q)s квартал %(y)s г. не относится к %(ay)s учебному году дорожной карты.")
                    % {"q": quarter, "y": year, "ay": academic_year_label(roadmap.academic_year)}
                ]
            }
        )
    if user is not SYSTEM and quarter_bounds(year, quarter)[0] > timezone.localdate():
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("%(q)s квартал %(y)s г. ещё не начался.") % {"q": quarter, "y": year}]}
        )
    existing = QuarterlyReport.objects.filter(roadmap=roadmap, year=year, quarter=quarter).first()
    if existing:
        return existing
    if user is not SYSTEM and not covers_school(user, roadmap.school, roles=REVIEWERS):
        deadline = deadline_for(roadmap.school.municipality.region_id, year, quarter)
        if timezone.localdate() > deadline:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "Срок сдачи отчёта за %(q)s квартал %(y)s г. истёк %(d)s — начать его может методист муниципалитета."
                        )
                        % {"q": quarter, "y": year, "d": date_text(deadline)}
                    ]
                }
            )
    report, created = QuarterlyReport.objects.get_or_create(roadmap=roadmap, year=year, quarter=quarter)
    if created:
        report_sync_lines(report=report, user=user)
    return report


def report_sync_lines(*, report: QuarterlyReport, user: User | None = None) -> int:
    """Add a line for each activity of the quarter that lacks one; drop untouched lines of activities
    that no longer fall into the quarter. Only for reports still being edited."""
    if report.status not in EDITABLE:
        return 0
    wanted = set(activities_in_quarter(report.roadmap, report.year, report.quarter).values_list("pk", flat=True))
    existing = dict(report.lines.values_list("activity_id", "pk"))
    added = 0
    for activity_id in sorted(wanted - existing.keys()):
        line = ActivityReport(report=report, activity_id=activity_id)
        line._history_user = user
        line.save()
        added += 1
    stale = [pk for activity_id, pk in existing.items() if activity_id not in wanted]
    if stale:
        ActivityReport.objects.filter(pk__in=stale, status="", result="", evidence__isnull=True).delete()
    return added


FROZEN = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def report_lines_freeze(*, report_ids: list[int]) -> int:
    """Copy each line's activity (title, direction, type, dates) onto the line of these reports: what a
    submitted or approved report shows and counts never changes with the roadmap afterwards."""
    activity = Activity.objects.filter(pk=OuterRef("activity_id"))
    return ActivityReport.objects.filter(report_id__in=report_ids).update(
        reported_title=Subquery(activity.values("title")[:1]),
        reported_direction=Subquery(activity.values("direction_id")[:1]),
        reported_type=Subquery(activity.values("activity_type_id")[:1]),
        reported_starts_on=Subquery(activity.values("starts_on")[:1]),
        reported_due_on=Subquery(activity.values("due_on")[:1]),
    )


def report_lines_thaw(*, report_ids: list[int]) -> int:
    """Drop the copies: a returned or reopened report is edited against the live roadmap again."""
    return ActivityReport.objects.filter(report_id__in=report_ids).update(
        reported_title="",
        reported_direction=None,
        reported_type=None,
        reported_starts_on=None,
        reported_due_on=None,
    )


def _line_label(line: ActivityReport, number: int | None = None) -> str:
    prefix = _("Строка %(n)s ") % {"n": number} if number else _("Строка ")
    return f"{prefix}«{line.reported.title[:80]}»"


def _check_can_edit(report: QuarterlyReport, user: User) -> None:
    school = report.roadmap.school
    require_school(user, school, roles=EDITORS)
    if report.status not in EDITABLE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Отчёт в статусе «%(status)s» — изменять его нельзя.") % {"status": report.get_status_display()}
                ]
            }
        )
    if covers_school(user, school, roles=REVIEWERS) or report.status == ReportStatus.RETURNED:
        return
    if not report_window_open(report):
        start, _end = report.bounds
        if timezone.localdate() < start:
            raise ValidationError({NON_FIELD_ERRORS: [_("Квартал ещё не начался — заполнять отчёт рано.")]})
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Срок сдачи отчёта за %(period)s истёк %(deadline)s — редактирование закрыто. "
                        "Обратитесь к методисту муниципалитета."
                    )
                    % {"period": report.period_label, "deadline": date_text(report_deadline(report))}
                ]
            }
        )


def describe_conflict(report: QuarterlyReport, version: int) -> str:
    """Who changed the report since `version` and what: lines with their changed fields, files, status."""
    later = list(report.history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    since = later[0].history_date if later else report.updated_at
    authors: list[str] = []
    for record in later:
        name = _short(record.history_user)
        if record.history_user and name not in authors:
            authors.append(name)
    changes: list[str] = []
    labels = {f: str(ActivityReport._meta.get_field(f).verbose_name) for f in LINE_FIELDS}
    records = (
        ActivityReport.history.filter(report_id=report.pk, history_date__gte=since, history_type="~")
        .select_related("activity")
        .order_by("history_date")
    )
    per_line: dict[int, tuple[str, list[str]]] = {}
    for record in records:
        previous = record.prev_record
        if previous is None:
            continue
        delta = record.diff_against(previous, included_fields=list(LINE_FIELDS))
        title, fields = per_line.setdefault(record.id, (record.activity.title[:80], []))
        fields.extend(change.field for change in delta.changes if change.field not in fields)
    for title, fields in per_line.values():
        if fields:
            ordered = [labels[name] for name in LINE_FIELDS if name in fields]
            changes.append(f"«{title}» — {', '.join(ordered)}")
    files = Evidence.history.filter(line__report_id=report.pk, history_date__gte=since)
    added = files.filter(history_type="+").count()
    removed = files.filter(history_type="-").count()
    if added:
        changes.append(_("добавлено файлов: %(n)s") % {"n": added})
    if removed:
        changes.append(_("удалено файлов: %(n)s") % {"n": removed})
    for t in report.transitions.filter(created_at__gte=since).select_related("actor"):
        changes.append(
            _("статус: «%(from)s» → «%(to)s»") % {"from": t.get_from_status_display(), "to": t.get_to_status_display()}
        )
        if _short(t.actor) not in authors:
            authors.append(_short(t.actor))
    return conflict_message(
        noun=_("Отчёт"), authors=authors, when=later[-1].history_date if later else since, changes=changes
    )


def _claim(report: QuarterlyReport, version: int | None) -> None:
    """The report's version check (core.versions): a stale page is refused naming lines, files and status."""
    version_claim(report, version, noun=_("Отчёт"), describe=lambda stale: describe_conflict(report, stale))


@transaction.atomic
def report_save(
    *,
    report: QuarterlyReport,
    user: User,
    version: int,
    lines: dict[int, dict[str, Any]],
    files: dict[int, list[UploadedFile]] | None = None,
    delete_evidence: list[int] | None = None,
) -> QuarterlyReport:
    """Save the director's (or methodist's) edits as a draft; refuse a stale `version`."""
    _check_can_edit(report, user)
    files = files or {}
    current = {line.pk: line for line in report.lines.select_related("activity")}
    unknown = (set(lines) | set(files)) - current.keys()
    if unknown:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Строки %(ids)s не относятся к этому отчёту.") % {"ids": sorted(unknown)}]}
        )
    checked: list[tuple[ActivityReport, CheckedFile]] = []
    errors: list[str] = []
    for line_id, uploads in files.items():
        for upload in uploads:
            try:
                checked.append((current[line_id], check_upload(upload)))
            except ValidationError as exc:
                errors.extend(f"{_line_label(current[line_id])}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})

    _claim(report, version)
    certification_void(report=report, user=user, what=_("изменены строки отчёта"))
    # Record the new version in the report's history before the lines, so a later conflict message
    # finds every line change made since this version.
    report.last_edited_by, report.last_edited_at = user, timezone.now()
    report._history_user = user
    report.save(update_fields=["last_edited_by", "last_edited_at", "updated_at"])
    for line_id, values in lines.items():
        line = current[line_id]
        changed = [f for f in LINE_FIELDS if f in values and getattr(line, f) != values[f]]
        if not changed:
            continue
        for f in changed:
            setattr(line, f, values[f])
        line.full_clean(exclude=["report", "activity"])
        line._history_user = user
        line.save(update_fields=changed)
    if delete_evidence:
        for evidence in Evidence.objects.filter(pk__in=delete_evidence, line__report=report):
            evidence._history_user = user
            evidence.file.delete(save=False)
            evidence.delete()
    for line, item in checked:
        evidence = Evidence(
            line=line,
            token=secrets.token_hex(16),
            extension=item.extension,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            uploaded_by=user,
        )
        evidence.file.save(f"{evidence.token}{item.extension}", item.upload, save=False)
        evidence._history_user = user
        evidence.save()
    return report


def report_problems(report: QuarterlyReport) -> list[str]:
    """What keeps the report from being submitted, line by line (empty when complete)."""
    problems: list[str] = []
    lines = list(report.lines.select_related("activity"))
    if not lines:
        problems.append(_("В отчёте нет мероприятий за квартал: добавьте их в дорожную карту."))
    for n, line in enumerate(lines, start=1):
        label = _line_label(line, n)
        if not line.status:
            problems.append(_("%(line)s: не указан статус выполнения.") % {"line": label})
        elif line.status in NEEDS_REASON and not line.reason.strip():
            problems.append(
                _("%(line)s: статус «%(status)s» — укажите причину.")
                % {"line": label, "status": line.get_status_display()}
            )
        elif line.status == LineStatus.DONE and not line.result.strip():
            problems.append(_("%(line)s: мероприятие выполнено — опишите результат.") % {"line": label})
    return problems


def _stamp(report: QuarterlyReport, action: str, user: User, now: Any) -> list[str]:
    """The report's own marks of a move: when sent, who approved or certified; a new version number."""
    fields = ["version"]
    if action == ReportTransition.Action.SUBMIT:
        report.submitted_at = now
        fields.append("submitted_at")
    elif action == ReportTransition.Action.APPROVE:
        report.approved_at, report.approved_by = now, user
        fields += ["approved_at", "approved_by"]
    elif action == ReportTransition.Action.CERTIFY:
        if report.certified_at:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("Отчёт уже заверен куратором %(who)s.") % {"who": _short(report.certified_by)}]}
            )
        report.certified_at, report.certified_by = now, user
        fields += ["certified_at", "certified_by"]
    elif action == ReportTransition.Action.REOPEN:
        report.approved_at, report.approved_by = None, None
        report.certified_at, report.certified_by = None, None
        fields += ["approved_at", "approved_by", "certified_at", "certified_by"]
    report.version += 1
    return fields


def _move(report: QuarterlyReport, **kwargs: Any) -> ReportTransition:
    """A report's status change through the one transition helper, with its stamps and e-mail."""
    from .. import tasks

    return transition(
        report, history=ReportTransition, stamp=_stamp, notify=tasks.send_report_transition_email.delay, **kwargs
    )


@transaction.atomic
def report_submit(*, report: QuarterlyReport, user: User) -> ReportTransition:
    """Director sends a complete report for review."""
    school = report.roadmap.school
    require_school(user, school, roles=SUBMITTERS)
    if (
        report.status in EDITABLE
        and report.status == ReportStatus.DRAFT
        and not covers_school(user, school, roles=REVIEWERS)
    ):
        if not report_window_open(report):
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("Срок сдачи отчёта за %(period)s истёк %(deadline)s — обратитесь к методисту муниципалитета.")
                        % {"period": report.period_label, "deadline": date_text(report_deadline(report))}
                    ]
                }
            )
    if report.status in EDITABLE:
        problems = report_problems(report)
        if problems:
            raise ValidationError({NON_FIELD_ERRORS: problems})
    if report.status in EDITABLE:
        certification_void(report=report, user=user, what=_("отправлен на проверку повторно"))
    entry = _move(report, user=user, action="submit", to_status=ReportStatus.SUBMITTED, allowed_from=EDITABLE)
    report_lines_freeze(report_ids=[report.pk])
    return entry


@transaction.atomic
def report_return(
    *,
    report: QuarterlyReport,
    user: User,
    comment: str = "",
    line_comments: dict[int, str] | None = None,
    version: int | None = None,
) -> ReportTransition:
    """Methodist returns a submitted report; a comment on the report or on at least one line is required.
    `version` is the one the methodist reviewed (core.versions); None only for the portal itself."""
    require_school(user, report.roadmap.school, roles=REVIEWERS)
    line_comments = {k: v.strip() for k, v in (line_comments or {}).items() if v and v.strip()}
    comment = comment.strip()
    if not comment and not line_comments:
        raise ValidationError(
            {
                "comment": [
                    _(
                        "Укажите замечание к отчёту или хотя бы к одной строке: без него вернуть отчёт на доработку нельзя."
                    )
                ]
            }
        )
    lines = {line.pk: line for line in report.lines.filter(pk__in=line_comments)}
    if set(line_comments) - lines.keys():
        raise ValidationError({NON_FIELD_ERRORS: [_("Замечание относится к строке другого отчёта.")]})
    if version is not None:
        _claim(report, version)
    if report.status == ReportStatus.SUBMITTED:
        certification_void(report=report, user=user, what=_("возвращён на доработку"))
    entry = _move(
        report,
        user=user,
        action="return",
        to_status=ReportStatus.RETURNED,
        allowed_from=(ReportStatus.SUBMITTED,),
        comment=comment,
    )
    report_lines_thaw(report_ids=[report.pk])
    comments = [ReviewComment(report=report, transition=entry, author=user, text=comment)] if comment else []
    comments += [
        ReviewComment(report=report, transition=entry, line=lines[pk], author=user, text=text)
        for pk, text in line_comments.items()
    ]
    ReviewComment.objects.bulk_create(comments)
    return entry


@transaction.atomic
def report_approve(
    *, report: QuarterlyReport, user: User, comment: str = "", version: int | None = None
) -> ReportTransition:
    """Methodist approves the version of the report they reviewed (`version`; None only for the portal)."""
    require_school(user, report.roadmap.school, roles=REVIEWERS)
    if version is not None:
        _claim(report, version)
    return _move(
        report,
        user=user,
        action="approve",
        to_status=ReportStatus.APPROVED,
        allowed_from=(ReportStatus.SUBMITTED,),
        comment=comment.strip(),
    )


@transaction.atomic
def report_reopen(*, report: QuarterlyReport, user: User, reason: str, version: int | None = None) -> ReportTransition:
    """An approved report is read-only; a methodist may reopen it (to «возвращён»), giving a reason."""
    require_school(user, report.roadmap.school, roles=REVIEWERS)
    if not reason.strip():
        raise ValidationError({"reason": [_("Укажите причину: без неё открыть утверждённый отчёт нельзя.")]})
    if version is not None:
        _claim(report, version)
    if report.status == ReportStatus.APPROVED:
        certification_void(report=report, user=user, what=_("открыт для исправления"))
    entry = _move(
        report,
        user=user,
        action="reopen",
        to_status=ReportStatus.RETURNED,
        allowed_from=(ReportStatus.APPROVED,),
        comment=reason.strip(),
    )
    report_lines_thaw(report_ids=[report.pk])
    ReviewComment.objects.create(report=report, transition=entry, author=user, text=reason.strip())
    return entry


@transaction.atomic
def report_certify(*, report: QuarterlyReport, user: User) -> ReportTransition:
    """The curator certifies (заверяет) a submitted or approved report of their school."""
    require_school(user, report.roadmap.school, roles=CERTIFIERS)
    return _move(
        report,
        user=user,
        action="certify",
        to_status=None,
        allowed_from=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    )
