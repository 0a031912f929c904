"""Opening a quarterly report and saving the director's (or methodist's) edits: its lines, evidence
files added and removed, under the report's optimistic lock."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import academic_year_label, check_quarter, date_text, quarter_academic_year, quarter_bounds
from core.models import User
from core.scope import SYSTEM, covers_school, require_school

from ..models import ActivityReport, Evidence, QuarterlyReport, ReportStatus, Roadmap
from ..permissions import EDITORS, REVIEWERS
from ..selectors import LINE_FIELDS
from ..selectors.windows import deadline_for, report_deadline, report_window_open
from .evidence import CheckedFile, check_upload
from .report_lines import EDITABLE, line_date_refusals, line_label, report_sync_lines
from .report_review import certification_void
from .report_versions import report_claim


def _check_quarter_of(roadmap: Roadmap, year: int, quarter: int, user: User | None) -> None:
    """The quarter exists, belongs to the roadmap's academic year and (for a person) has begun."""
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


@transaction.atomic
def report_create(*, roadmap: Roadmap, year: int, quarter: int, user: User | None) -> QuarterlyReport:
    """Open the quarter's report (idempotent): one line per activity due or active in the quarter.

    The system (`user=SYSTEM`) may open a quarter ahead of time or past its deadline."""
    require_school(user, roadmap.school, roles=EDITORS)
    _check_quarter_of(roadmap, year, quarter, user)
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


def _lines_of(report: QuarterlyReport, line_ids: set[int]) -> dict[int, ActivityReport]:
    """The report's lines by id; ids of another report's lines are refused."""
    current = {line.pk: line for line in report.lines.select_related("activity")}
    unknown = line_ids - current.keys()
    if unknown:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Строки %(ids)s не относятся к этому отчёту.") % {"ids": sorted(unknown)}]}
        )
    return current


def _check_line_dates(
    report: QuarterlyReport, current: dict[int, ActivityReport], lines: dict[int, dict[str, Any]]
) -> None:
    """Every date entered on a line lies within the roadmap's academic year; the refusals name line and field."""
    year = report.roadmap.academic_year
    errors = [
        text
        for line_id, values in lines.items()
        for text in line_date_refusals(current[line_id], values, year).values()
    ]
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})


def _checked_uploads(
    current: dict[int, ActivityReport], files: dict[int, list[UploadedFile]]
) -> list[tuple[ActivityReport, CheckedFile]]:
    """Every uploaded file checked before anything is written; the refusals name their lines."""
    checked: list[tuple[ActivityReport, CheckedFile]] = []
    errors: list[str] = []
    for line_id, uploads in files.items():
        for upload in uploads:
            try:
                checked.append((current[line_id], check_upload(upload)))
            except ValidationError as exc:
                errors.extend(f"{line_label(current[line_id])}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})
    return checked


def _claim_for_edit(report: QuarterlyReport, user: User, version: int) -> None:
    """Refuse a stale page, drop a certification the edit no longer matches, and record the new version
    in the report's history before the lines, so a later conflict message finds every line change
    made since this version."""
    report_claim(report, version, user)
    certification_void(report=report, user=user, what=_("изменены строки отчёта"))
    report.last_edited_by, report.last_edited_at = user, timezone.now()
    report.save(update_fields=["last_edited_by", "last_edited_at", "updated_at"])


def _save_lines(current: dict[int, ActivityReport], lines: dict[int, dict[str, Any]], user: User) -> None:
    """Write only the fields that changed, each line validated as a whole."""
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


def _delete_evidence(report: QuarterlyReport, evidence_ids: list[int], user: User) -> None:
    for evidence in Evidence.objects.filter(pk__in=evidence_ids, line__report=report):
        evidence._history_user = user
        evidence.file.delete(save=False)
        evidence.delete()


def _store_evidence(checked: list[tuple[ActivityReport, CheckedFile]], user: User) -> None:
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
    current = _lines_of(report, set(lines) | set(files))
    _check_line_dates(report, current, lines)
    checked = _checked_uploads(current, files)
    _claim_for_edit(report, user, version)
    _save_lines(current, lines, user)
    if delete_evidence:
        _delete_evidence(report, delete_evidence, user)
    _store_evidence(checked, user)
    return report
