"""Admin: read-mostly views of the references for support; the workflow itself goes through services."""

from __future__ import annotations

from django.contrib import admin

from .models import AnalyticalReference, ReferenceTransition, ReferenceVersion, RenderJob


class VersionInline(admin.TabularInline):
    model = ReferenceVersion
    fields = ("number", "code", "pdf_sha256", "signatory_name", "signed_on", "signed_number", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TransitionInline(admin.TabularInline):
    model = ReferenceTransition
    fields = ("created_at", "actor", "action", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnalyticalReference)
class AnalyticalReferenceAdmin(admin.ModelAdmin):
    list_display = ("title", "template", "region", "municipality", "date_from", "date_to", "status")
    list_filter = ("template", "status", "region")
    search_fields = ("title",)
    readonly_fields = ("status", "created_by", "created_at", "updated_at")
    inlines = [VersionInline, TransitionInline]


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "step", "attempts", "queued_at", "finished_at", "message")
    list_filter = ("status",)
    readonly_fields = (
        "version",
        "status",
        "step",
        "steps",
        "attempts",
        "task_id",
        "queued_at",
        "started_at",
        "finished_at",
    )
