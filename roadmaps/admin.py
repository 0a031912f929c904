from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import KeepHistoryMixin

from .models import (
    Activity,
    ActivityType,
    Direction,
    QuarterDeadline,
    QuarterlyReport,
    ReportTransition,
    Roadmap,
    RoadmapTransition,
)


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "direction", "order", "is_active")
    list_filter = ("direction", "is_active")
    search_fields = ("code", "name")


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ("direction", "activity_type", "title", "starts_on", "due_on", "responsible")
    raw_id_fields = ("activity_type",)


@admin.register(Roadmap)
class RoadmapAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    list_display = ("school", "academic_year", "status", "approved_at", "certified_at")
    list_filter = ("status", "academic_year", "school__municipality__region")
    search_fields = ("school__name", "school__code")
    raw_id_fields = ("school",)
    readonly_fields = ("approved_by", "certified_by")
    inlines = [ActivityInline]


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ("actor", "from_status", "to_status", "action", "comment", "created_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(KeepHistoryMixin, SimpleHistoryAdmin):
    """Read-mostly: reports change through the workflow pages, which record every transition."""

    list_display = ("roadmap", "year", "quarter", "status", "submitted_at", "approved_at")
    list_filter = ("status", "year", "quarter")
    search_fields = ("roadmap__school__name", "roadmap__school__code")
    readonly_fields = (
        "roadmap",
        "status",
        "version",
        "submitted_at",
        "approved_at",
        "approved_by",
        "certified_at",
        "certified_by",
        "last_edited_by",
        "last_edited_at",
    )
    inlines = [ReportTransitionInline]


@admin.register(RoadmapTransition)
class RoadmapTransitionAdmin(KeepHistoryMixin, admin.ModelAdmin):
    list_display = ("roadmap", "action", "from_status", "to_status", "actor", "created_at")
    readonly_fields = ("roadmap", "action", "from_status", "to_status", "actor", "comment", "created_at")


@admin.register(QuarterDeadline)
class QuarterDeadlineAdmin(admin.ModelAdmin):
    list_display = ("region", "year", "quarter", "deadline")
    list_filter = ("region", "year")
