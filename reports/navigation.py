"""Navigation items of the references app: (label, url name, roles that see it)."""

from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.registry import register_navigation

ITEMS = [
    (_("Аналитические справки"), "reports:list", (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)),
]

register_navigation(ITEMS, order=40, source=__name__)
