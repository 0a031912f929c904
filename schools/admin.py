from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import KeepHistoryMixin

from .models import (
    CuratorAssignment,
    LowResultCause,
    Municipality,
    PartnerAssignment,
    Region,
    RegistryEntry,
    RiskFactor,
    RiskProfileEntry,
    School,
)
from .services import archive_set

READONLY = ("is_archived", "archived_at")


class ArchiveAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    """An organisation is archived («В архив»), never deleted: its reports and references stay whole."""

    actions = ["archive", "unarchive"]
    readonly_fields = READONLY

    @admin.action(description=_("В архив"))
    def archive(self, request, queryset) -> None:
        self._set(request, queryset, archived=True)

    @admin.action(description=_("Вернуть из архива"))
    def unarchive(self, request, queryset) -> None:
        self._set(request, queryset, archived=False)

    def _set(self, request, queryset, *, archived: bool) -> None:
        changed = sum(archive_set(obj=obj, user=request.user, archived=archived) for obj in queryset)
        text = _("В архив перенесено: %(n)s.") if archived else _("Возвращено из архива: %(n)s.")
        self.message_user(request, text % {"n": changed}, messages.SUCCESS)


@admin.register(Region)
class RegionAdmin(ArchiveAdmin):
    list_display = ("code", "name", "authority", "is_archived")
    list_filter = ("is_archived",)
    search_fields = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(ArchiveAdmin):
    list_display = ("code", "name", "region", "authority", "is_archived")
    list_filter = ("is_archived", "region")
    search_fields = ("code", "name")
    # The region first, as before the territory's fields moved to the abstract `Territory`.
    fields = ("region", "code", "name", "authority", "head_name", "head_position", "requisites", *READONLY)


@admin.register(School)
class SchoolAdmin(ArchiveAdmin):
    list_display = ("code", "name", "municipality", "kind", "is_leader", "is_archived")
    list_filter = ("is_archived", "municipality__region", "is_leader")
    search_fields = ("code", "name")


@admin.register(RegistryEntry)
class RegistryEntryAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    list_display = ("school", "academic_year", "category", "included_on", "excluded_on")
    list_filter = ("academic_year", "category")
    autocomplete_fields = ["school"]


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ("version", "order", "code", "name")
    list_filter = ("version",)


admin.site.register(CuratorAssignment, SimpleHistoryAdmin)
admin.site.register(PartnerAssignment, SimpleHistoryAdmin)
admin.site.register(RiskProfileEntry, SimpleHistoryAdmin)
admin.site.register(LowResultCause, SimpleHistoryAdmin)
