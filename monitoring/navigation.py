"""Navigation items of the monitoring app: (label, url name, roles that see it; None = everyone)."""

from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.registry import register_navigation

# With many items the bar folds these into one «Мониторинг» dropdown (portal/context_processors.py).
GROUP = _("Мониторинг")
ITEMS = [
    (_("Мониторинги показателей"), "monitoring:campaign-list", None),
    (_("Посещения"), "monitoring:visit-list", (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.CURATOR, Role.ADMIN)),
    (_("Результаты"), "monitoring:result-list", None),
]

register_navigation(ITEMS, group=GROUP, order=30, source=__name__)
