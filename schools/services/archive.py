"""Archiving organisations: a region, municipality or school is archived, never deleted (its reports,
references and history refer to it); archived, it leaves lists, selects and new work (see
docs/architecture.md, «Archive, never delete»)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Role, User
from core.scope import has_role

from ..models import Municipality, Region, School

Organisation = Region | Municipality | School


def archive_set(*, obj: Organisation, user: User | None, archived: bool) -> bool:
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


# The form field a refusal lands on when the caller names none, and how the message names each kind.
_FIELDS = {School: "school", Municipality: "municipality", Region: "region"}
_NOUNS = {School: gettext_lazy("ОО"), Municipality: gettext_lazy("Муниципалитет"), Region: gettext_lazy("Регион")}
_ARCHIVED = {
    School: gettext_lazy("ОО «%(name)s» в архиве: новые записи для неё не создаются."),
    Municipality: gettext_lazy("Муниципалитет «%(name)s» в архиве: новые записи для него не создаются."),
    Region: gettext_lazy("Регион «%(name)s» в архиве: новые записи для него не создаются."),
}
_OWNERS = {Municipality: gettext_lazy("муниципалитету"), Region: gettext_lazy("региону")}


def _archived_owner(obj: Organisation) -> Organisation:
    """The organisation whose archiving hides `obj`: itself, or its municipality or region."""
    chain: list[Organisation] = [obj]
    if isinstance(obj, School):
        chain += [obj.municipality, obj.municipality.region]
    elif isinstance(obj, Municipality):
        chain.append(obj.region)
    archived = [o for o in chain if type(o).objects.filter(pk=o.pk, is_archived=True).exists()]
    return archived[0] if archived else obj


def archived_message(obj: Organisation) -> str:
    """Why no new work is accepted for `obj`, in Russian, naming the archived organisation."""
    owner = _archived_owner(obj)
    if owner is obj:
        return _ARCHIVED[type(obj)] % {"name": obj.name}
    return _("%(noun)s «%(name)s» относится к архивному %(owner_noun)s «%(owner)s»: новые записи не создаются.") % {
        "noun": _NOUNS[type(obj)],
        "name": obj.name,
        "owner_noun": _OWNERS[type(owner)],
        "owner": owner.name,
    }


def require_active(*objs: Organisation, field: str | None = None) -> None:
    """Refuse new work for archived organisations (each itself, or its municipality or region): a
    ValidationError on `field` (by default «school», «municipality» or «region») naming the first.
    All `objs` are of one model; one query whatever their number."""
    if not objs:
        return
    model = type(objs[0])
    active = set(model.objects.active().filter(pk__in=[o.pk for o in objs]).values_list("pk", flat=True))
    archived = [o for o in objs if o.pk not in active]
    if archived:
        raise ValidationError({field or _FIELDS[model]: [archived_message(archived[0])]})
