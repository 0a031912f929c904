"""Navigation items of the schools app: (label, url name, roles that see it)."""

from django.utils.translation import gettext_lazy as _

from .permissions import ANY_ROLE, REGISTRY_VIEW_ROLES

ITEMS = [
    (_("Школы"), "schools:school-list", ANY_ROLE),
    (_("Реестр"), "schools:registry-list", REGISTRY_VIEW_ROLES),
]
