"""Admin of the monitoring catalogues and records (the indicator catalogue is edited here)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import KeepHistoryMixin

from .models import AssessmentResult, Campaign, CoverageSnapshot, Indicator, IndicatorValue, MethodicalVisit


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "unit",
        "denominator_default",
        "procedure",
        "entered_by",
        "order",
        "is_active",
    )
    list_editable = ("order", "is_active")
    list_filter = ("kind", "entered_by", "is_active")
    search_fields = ("code", "name")


@admin.register(Campaign)
class CampaignAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    list_display = ("name", "region", "municipality", "period_from", "period_to", "deadline", "created_by")
    list_filter = ("region",)
    search_fields = ("name",)
    filter_horizontal = ("indicators", "schools")
    raw_id_fields = ("created_by",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    list_display = ("school", "indicator", "period_from", "period_to", "value", "denominator", "entered_by")
    list_filter = ("indicator",)
    search_fields = ("school__name", "school__code")
    raw_id_fields = ("school", "campaign", "entered_by")


@admin.register(MethodicalVisit)
class MethodicalVisitAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    list_display = ("school", "date", "visitors", "recorded_by")
    date_hierarchy = "date"
    search_fields = ("school__name", "school__code", "visitors")
    raw_id_fields = ("school", "recorded_by")


@admin.register(AssessmentResult)
class AssessmentResultAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    list_display = ("school", "year", "procedure", "subject", "average")
    list_filter = ("procedure", "year")
    search_fields = ("school__name", "school__code", "subject")
    raw_id_fields = ("school",)


@admin.register(CoverageSnapshot)
class CoverageSnapshotAdmin(admin.ModelAdmin):
    list_display = ("scope_kind", "scope_code", "date_from", "date_to", "computed_at")
    list_filter = ("scope_kind",)
    readonly_fields = ("scope_kind", "scope_code", "date_from", "date_to", "computed_at", "fingerprint", "data")
