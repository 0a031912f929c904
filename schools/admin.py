from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "authority")
    search_fields = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "region", "authority")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "municipality", "kind", "is_leader")
    list_filter = ("municipality__region", "is_leader")
    search_fields = ("code", "name")


@admin.register(RegistryEntry)
class RegistryEntryAdmin(SimpleHistoryAdmin):
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
