"""Navigation items of the schools app: (label, url name, roles that see it)."""

from django.utils.translation import gettext_lazy as _

from core.registry import register_navigation

from .permissions import ANY_ROLE, REGISTRY_VIEW_ROLES

ITEMS = [
    (_("Школы"), "schools:school-list", ANY_ROLE),
    (_("Реестр"), "schools:registry-list", REGISTRY_VIEW_ROLES),
]

register_navigation(ITEMS, order=10, source=__name__)
