"""Reads of the report-lines export pages: whose lines a user may export, and their export jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import User
from core.scope import schools_for
from schools.models import School

from ..models import ReportExportJob
from ..permissions import EXPORT_ROLES


def export_schools_for(user: User) -> QuerySet[School]:
    """The schools whose reports this user may export: a methodist's municipality, a coordinator's
    region, everything for an admin."""
    return schools_for(user, roles=EXPORT_ROLES)


def export_jobs_for(user: User) -> QuerySet[ReportExportJob]:
    """The user's own exports (a file holds their scope's data, so nobody else gets it)."""
    return ReportExportJob.objects.filter(requested_by=user)
