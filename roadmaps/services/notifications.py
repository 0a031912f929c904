"""E-mails of the roadmap and report workflow (Russian texts in templates/roadmaps/email/)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import Membership, Role
from schools.models import School


def _emails(memberships) -> list[str]:
    return sorted({m.user.email for m in memberships if m.user.email and m.user.is_active})


def methodist_emails(school: School) -> list[str]:
    return _emails(
        Membership.objects.filter(role=Role.METHODIST, municipality_id=school.municipality_id).select_related("user")
    )


def director_emails(school: School) -> list[str]:
    return _emails(Membership.objects.filter(role=Role.DIRECTOR, school=school).select_related("user"))


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        return 0
    context = {**context, "site_url": settings.SITE_URL}
    # The "text" template engine does not autoescape: these are plain-text mails, not HTML.
    subject = render_to_string(f"roadmaps/email/{template}_subject.txt", context, using="text")
    subject = subject.strip().replace("\n", " ")
    body = render_to_string(f"roadmaps/email/{template}.txt", context, using="text")
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def report_transition_mail(transition) -> int:
    """Submit → the municipality's methodists; return / approve / reopen → the school's directors."""
    report = transition.report
    school = report.roadmap.school
    context = {
        "report": report,
        "school": school,
        "transition": transition,
        "comments": list(transition.comments.select_related("line__activity")),
        "url": settings.SITE_URL + reverse("roadmaps:report-detail", args=[report.pk]),
    }
    if transition.action == "submit":
        return _send("report_submitted", context, methodist_emails(school))
    if transition.action in ("return", "approve", "reopen"):
        return _send(f"report_{transition.action}", context, director_emails(school))
    return 0


def roadmap_transition_mail(transition) -> int:
    roadmap = transition.roadmap
    school = roadmap.school
    context = {
        "roadmap": roadmap,
        "school": school,
        "transition": transition,
        "url": settings.SITE_URL + reverse("roadmaps:roadmap-detail", args=[roadmap.pk]),
    }
    if transition.action == "submit":
        return _send("roadmap_submitted", context, methodist_emails(school))
    if transition.action in ("return", "approve", "reopen"):
        return _send("roadmap_decision", context, director_emails(school))
    return 0


def reminder_mail(*, school: School, year: int, quarter: int, deadline: dt.date, kind: str, status_label: str) -> int:
    context = {
        "school": school,
        "year": year,
        "quarter": quarter,
        "deadline": deadline,
        "kind": kind,
        "status_label": status_label,
        "url": settings.SITE_URL + reverse("roadmaps:report-list"),
    }
    return _send("report_reminder", context, director_emails(school))
