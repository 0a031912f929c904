"""Navigation items of the core pages (users, imports): (label, url name, roles that see it; None = everyone)."""

from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.registry import register_navigation

GROUP = _("Администрирование")
ITEMS = [
    (_("Пользователи"), "portal:user-list", (Role.ADMIN, Role.COORDINATOR)),
    (_("Импорт данных"), "portal:import-list", (Role.ADMIN, Role.COORDINATOR)),
    (_("Шаблон Excel"), "portal:import-template", (Role.ADMIN, Role.COORDINATOR, Role.METHODIST)),
]

register_navigation(ITEMS, group=GROUP, order=90, source=__name__)
