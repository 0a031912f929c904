from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ImportJob, Membership, User


class KeepHistoryMixin:
    """No delete in the admin: what reports, references or their history refer to is archived
    (organisations) or deactivated (users), never deleted; the foreign keys are PROTECT too."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["school", "municipality", "region"]


@admin.register(User)
class UserAdmin(KeepHistoryMixin, BaseUserAdmin):
    """A user who leaves is made inactive («Активный» off), never deleted: their signatures, approvals
    and edits stay named."""

    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (("Дополнительно", {"fields": ("middle_name", "position", "phone")}),)
    list_display = ("username", "last_name", "first_name", "middle_name", "is_active")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "region", "municipality", "school")
    list_filter = ("role",)
    autocomplete_fields = ["user", "school", "municipality", "region"]


@admin.register(ImportJob)
class ImportJobAdmin(SimpleHistoryAdmin):
    """The audit trail of workbook imports: read-only."""

    list_display = (
        "pk",
        "kind",
        "original_name",
        "requested_by",
        "status",
        "created_count",
        "updated_count",
        "error_count",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("original_name", "user__username", "user__last_name")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
