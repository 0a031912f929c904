"""A quarterly report's review workflow: submit, return, approve, reopen, certify, and the removal of a
certification that no longer covers a changed report."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.calendar import date_text, datetime_text
from core.models import User
from core.scope import covers_school, require_school
from core.transitions import transition_record

from ..models import QuarterlyReport, ReportStatus, ReportTransition, ReviewComment
from ..permissions import CERTIFIERS, REVIEWERS, SUBMITTERS
from ..selectors.windows import report_deadline, report_window_open
from .report_lines import EDITABLE, report_lines_freeze, report_lines_thaw, report_problems
from .report_versions import report_claim, short_name
from .workflow import Workflow, review_moves

CERTIFICATION_VOIDED = _("Заверение снято: отчёт изменён после заверения")


def certification_void(*, report: QuarterlyReport, user: User | None, what: str) -> ReportTransition | None:
    """A certified report changed (`what`: returned, reopened, edited, resubmitted): the curator's
    certification no longer covers it, so it is removed and the removal recorded in the history."""
    locked = QuarterlyReport.objects.select_for_update(of=("self",)).select_related("certified_by").get(pk=report.pk)
    if locked.certified_at is None:
        return None
    comment = _("%(voided)s куратором %(who)s %(when)s: %(what)s.") % {
        "voided": CERTIFICATION_VOIDED,
        "who": short_name(locked.certified_by),
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


# What a move does to a certified report (docs/architecture.md «Certification»): the certification is removed.
VOIDED_BY = {
    ReportTransition.Action.SUBMIT: _("отправлен на проверку повторно"),
    ReportTransition.Action.RETURN: _("возвращён на доработку"),
    ReportTransition.Action.REOPEN: _("открыт для исправления"),
}


def _void_certification(report: QuarterlyReport, action: str, user: User | None) -> list[str]:
    """A submit, return or reopen of a certified report removes its certification (locked row)."""
    if action in VOIDED_BY and certification_void(report=report, user=user, what=VOIDED_BY[action]):
        return ["certified_at", "certified_by"]
    return []


REPORT_WORKFLOW = Workflow(
    history=ReportTransition,
    moves=review_moves(ReportStatus, certified_twice=_("Отчёт уже заверен куратором %(who)s."), return_clears=()),
    claim=report_claim,
    notify_task="send_report_transition_email",
    extra=_void_certification,
)


@transaction.atomic
def report_submit(*, report: QuarterlyReport, user: User, version: int | None) -> ReportTransition:
    """Director sends a complete report for review, the `version` they saw (core.versions)."""
    school = report.roadmap.school
    require_school(user, school, roles=SUBMITTERS)
    if report.status == ReportStatus.DRAFT and not covers_school(user, school, roles=REVIEWERS):
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
    entry = REPORT_WORKFLOW.move(report, "submit", user=user, version=version)
    report_lines_freeze(report_ids=[report.pk])
    return entry


def _review_comments(report: QuarterlyReport, comment: str, line_comments: dict[int, str]) -> tuple[str, dict]:
    """The methodist's comment and line comments, trimmed; at least one, and only on this report's lines."""
    line_comments = {k: v.strip() for k, v in line_comments.items() if v and v.strip()}
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
    return comment, {lines[pk]: text for pk, text in line_comments.items()}


@transaction.atomic
def report_return(
    *,
    report: QuarterlyReport,
    user: User,
    comment: str = "",
    line_comments: dict[int, str] | None = None,
    version: int | None,
) -> ReportTransition:
    """Methodist returns a submitted report; a comment on the report or on at least one line is required.
    `version` is the one the methodist reviewed (core.versions); None only for the portal itself."""
    require_school(user, report.roadmap.school, roles=REVIEWERS)
    comment, by_line = _review_comments(report, comment, line_comments or {})
    entry = REPORT_WORKFLOW.move(report, "return", user=user, version=version, comment=comment)
    report_lines_thaw(report_ids=[report.pk])
    comments = [ReviewComment(report=report, transition=entry, author=user, text=comment)] if comment else []
    comments += [
        ReviewComment(report=report, transition=entry, line=line, author=user, text=text)
        for line, text in by_line.items()
    ]
    ReviewComment.objects.bulk_create(comments)
    return entry


@transaction.atomic
def report_approve(*, report: QuarterlyReport, user: User, comment: str = "", version: int | None) -> ReportTransition:
    """Methodist approves the version of the report they reviewed (`version`; None only for the portal)."""
    require_school(user, report.roadmap.school, roles=REVIEWERS)
    return REPORT_WORKFLOW.move(report, "approve", user=user, version=version, comment=comment.strip())


@transaction.atomic
def report_reopen(*, report: QuarterlyReport, user: User, reason: str, version: int | None) -> ReportTransition:
    """An approved report is read-only; a methodist may reopen it (to «возвращён»), giving a reason."""
    require_school(user, report.roadmap.school, roles=REVIEWERS)
    if not reason.strip():
        raise ValidationError({"reason": [_("Укажите причину: без неё открыть утверждённый отчёт нельзя.")]})
    entry = REPORT_WORKFLOW.move(report, "reopen", user=user, version=version, comment=reason.strip())
    report_lines_thaw(report_ids=[report.pk])
    ReviewComment.objects.create(report=report, transition=entry, author=user, text=reason.strip())
    return entry


@transaction.atomic
def report_certify(*, report: QuarterlyReport, user: User, version: int | None) -> ReportTransition:
    """The curator certifies (заверяет) a submitted or approved report of their school, the `version` they read."""
    require_school(user, report.roadmap.school, roles=CERTIFIERS)
    return REPORT_WORKFLOW.move(report, "certify", user=user, version=version)
