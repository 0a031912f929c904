"""Navigation items of the portal app: (label, url name, roles that see it; None = everyone)."""

from django.utils.translation import gettext_lazy as _

from core.models import Role

GROUP = _("Администрирование")
ITEMS = [
    (_("Пользователи"), "portal:user-list", (Role.ADMIN, Role.COORDINATOR)),
    (_("Импорт данных"), "portal:import-list", (Role.ADMIN, Role.COORDINATOR)),
    (_("Шаблон Excel"), "portal:import-template", (Role.ADMIN, Role.COORDINATOR, Role.METHODIST)),
]
