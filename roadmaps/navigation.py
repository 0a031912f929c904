"""Navigation items of the roadmaps app."""

from django.utils.translation import gettext_lazy as _

from core.models import Role

ITEMS = [
    (_("Дорожные карты"), "roadmaps:roadmap-list", None),
    (_("Отчёты ОО"), "roadmaps:report-list", None),
]
# The status board (сдача отчётов по кварталам) is reached from the dashboard panels and the report list.
STATUS_BOARD_ROLES = (Role.METHODIST, Role.HEAD, Role.COORDINATOR, Role.ADMIN)
