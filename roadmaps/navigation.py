"""Navigation items of the roadmaps app."""

from django.utils.translation import gettext_lazy as _

from core.registry import register_navigation

ITEMS = [
    (_("Дорожные карты"), "roadmaps:roadmap-list", None),
    (_("Отчёты ОО"), "roadmaps:report-list", None),
]

register_navigation(ITEMS, order=20, source=__name__)
