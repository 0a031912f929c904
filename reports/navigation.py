"""Navigation items of the references app: (label, url name, roles that see it)."""

from django.utils.translation import gettext_lazy as _

from core.models import Role

ITEMS = [
    (_("Аналитические справки"), "reports:list", (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)),
]
