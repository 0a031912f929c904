"""Celery entry points of the roadmaps app (primary keys in, everything loaded inside)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.calendar import current_quarter, previous_quarter
from core.jobs import job_task_options
from schools.models import Region

from .models import ReportExportJob, ReportReminder, ReportStatus, ReportTransition, RoadmapTransition
from .selectors.windows import deadlines_by_region, default_deadline
from .services import notifications


@shared_task(acks_late=False, ignore_result=True)
def send_report_transition_email(transition_id: int) -> int:
    transition = (
        ReportTransition.objects.select_related("report__roadmap__school__municipality", "actor")
        .filter(pk=transition_id)
        .first()
    )
    return notifications.report_transition_mail(transition) if transition else 0


@shared_task(acks_late=False, ignore_result=True)
def send_roadmap_transition_email(transition_id: int) -> int:
    transition = (
        RoadmapTransition.objects.select_related("roadmap__school__municipality", "actor")
        .filter(pk=transition_id)
        .first()
    )
    return notifications.roadmap_transition_mail(transition) if transition else 0


@shared_task(ignore_result=True)
def send_report_reminders(today: str | None = None) -> int:
    """Daily: remind the directors of schools that have not submitted, 7 days before and on the deadline.

    Each (school, quarter, kind) is reminded once, however often the job runs.
    """
    from .selectors import expected_schools

    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    this_q = current_quarter(day)
    reminded = 0
    for year, quarter in (previous_quarter(*this_q), this_q):
        configured = deadlines_by_region(year, quarter)
        for region in Region.objects.all():
            deadline = configured.get(region.pk) or default_deadline(year, quarter)
            if deadline == day:
                kind = "deadline"
            elif deadline - day == dt.timedelta(days=7):
                kind = "week_before"
            else:
                continue
            rows = expected_schools(year, quarter).filter(municipality__region=region)
            for school in rows:
                status = school.report_status
                if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
                    continue
                try:
                    with transaction.atomic():
                        ReportReminder.objects.create(school=school, year=year, quarter=quarter, kind=kind)
                except IntegrityError:
                    continue
                label = ReportStatus(status).label if status else "не начат"
                if notifications.reminder_mail(
                    school=school, year=year, quarter=quarter, deadline=deadline, kind=kind, status_label=str(label)
                ):
                    reminded += 1
    return reminded


@shared_task(name="roadmaps.report_export", ignore_result=True, **job_task_options(ReportExportJob))
def report_export_task(self, job_id: int) -> None:
    """Build an export's file; a redelivery after a killed worker takes the job over (core.jobs)."""
    from .services.exports import report_export_run

    report_export_run(job_id=job_id, task=self)
