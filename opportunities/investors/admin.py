"""Admin views of what investors keep, for support: read mostly; digests are a record and never edited."""

from django.contrib import admin

from registry.admin_columns import PersianColumns, jalali_period

from .models import AlertDigest, SavedSearch, WatchlistEntry


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["user", "opportunity", "created_at"]
    list_filter = [jalali_period("created_at")]
    list_select_related = ["user", "opportunity"]
    search_fields = ["user__email", "opportunity__reference"]
    raw_id_fields = ["user", "opportunity"]


class AlertDigestInline(admin.TabularInline):
    model = AlertDigest
    extra = 0
    can_delete = False
    fields = ["date", "new_ids", "changed_ids", "window_start", "window_end", "email"]
    readonly_fields = fields
    ordering = ["-date"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SavedSearch)
class SavedSearchAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["name", "user", "alerts_enabled", "created_at", "last_alerted_at"]
    list_filter = ["alerts_enabled"]
    list_select_related = ["user"]
    search_fields = ["name", "user__email", "query"]
    raw_id_fields = ["user"]
    readonly_fields = ["query", "created_at", "updated_at", "last_alerted_at"]
    inlines = [AlertDigestInline]


@admin.register(AlertDigest)
class AlertDigestAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["saved_search", "date", "window_start", "window_end", "email"]
    list_filter = [jalali_period("date")]
    list_select_related = ["saved_search", "email"]
    search_fields = ["saved_search__name", "saved_search__user__email"]
    readonly_fields = ["saved_search", "date", "new_ids", "changed_ids", "window_start", "window_end", "email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
