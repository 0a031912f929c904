"""Navigation items of the roadmaps app."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (_("Дорожные карты"), "roadmaps:roadmap-list", None),
    (_("Отчёты ОО"), "roadmaps:report-list", None),
]
