"""Archiving organisations: a region, municipality or school is archived, never deleted (its reports,
references and history refer to it); archived, it leaves lists, selects and new work."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, User
from core.scope import has_role

from ..models import Municipality, Region, School


def archive_set(*, obj: Region | Municipality | School, user: User | None, archived: bool) -> bool:
    """Archive an organisation (or bring it back); return whether it changed. Archived, it leaves
    lists, selects and new work; its reports, references and history stay as they were."""
    meta = type(obj)._meta
    if user is not None and not (
        has_role(user, Role.ADMIN) or user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
    ):
        raise PermissionDenied
    if obj.is_archived == archived:
        return False
    obj.is_archived = archived
    obj.archived_at = timezone.now() if archived else None
    obj._history_user = user
    obj.save(update_fields=["is_archived", "archived_at"])
    return True


def require_active(school: School) -> None:
    """Refuse new work for a school that is archived (itself, or its municipality or region)."""
    if not School.objects.active().filter(pk=school.pk).exists():
        raise ValidationError(
            {"school": [_("ОО «%(school)s» в архиве: новые записи для неё не создаются.") % {"school": school.name}]}
        )
