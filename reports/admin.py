"""Admin: read-mostly views of the references for support; the workflow itself goes through services."""

from __future__ import annotations

from django.contrib import admin

from .models import AnalyticalReference, ReferenceTransition, ReferenceVersion, RenderJob


class VersionInline(admin.TabularInline):
    model = ReferenceVersion
    fields = (
        "number",
        "code",
        "title",
        "date_from",
        "date_to",
        "pdf_sha256",
        "signed_by",
        "signatory_name",
        "signed_on",
        "signed_number",
        "created_at",
    )
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
    # What a signed version was made for: never edited or deleted from here once a version is signed.
    SIGNED_READONLY = ("template", "title", "scope_kind", "region", "municipality", "date_from", "date_to")

    @staticmethod
    def _has_signed_version(obj: AnalyticalReference | None) -> bool:
        return obj is not None and obj.versions.filter(signed_at__isnull=False).exists()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self._has_signed_version(obj):
            return (*fields, *self.SIGNED_READONLY)
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        if self._has_signed_version(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "progress_done", "attempts", "queued_at", "finished_at", "message")
    list_filter = ("status",)
    readonly_fields = (
        "version",
        "status",
        "progress_done",
        "progress_total",
        "attempts",
        "task_id",
        "queued_at",
        "started_at",
        "finished_at",
    )
