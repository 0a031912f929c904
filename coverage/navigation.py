"""Navigation items of coverage: (label, url name, roles that see it; None = everyone)."""

from django.utils.translation import gettext_lazy as _

from core.registry import register_navigation

from .permissions import COVERAGE_VIEWERS

# The same group as monitoring's items: the bar folds both into one «Мониторинг» dropdown.
GROUP = _("Мониторинг")
ITEMS = [
    (_("Охват"), "coverage:page", COVERAGE_VIEWERS),
]

register_navigation(ITEMS, group=GROUP, order=35, source=__name__)
