"""Partners, keys, endpoints and the delivery log (with manual redelivery and secret rotation as actions)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from registry.admin_columns import PersianColumns

from . import services, webhooks
from .models import Partner, PartnerAPIKey, WebhookDelivery, WebhookEndpoint

# The library's own key model holds nothing here (a partner's key carries its partner and scopes): listing it in the
# admin only offered staff keys that no endpoint accepts.
admin.site.unregister(APIKey)


@admin.register(Partner)
class PartnerAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["name", "organisation", "user", "is_active", "created_at"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["user"]


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(PersianColumns, APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "partner", "scopes", "last_used_at"]
    list_select_related = ["partner"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "event_types", "is_active", "disabled_reason"]
    list_select_related = ["partner"]
    readonly_fields = ["secret", "previous_secret", "previous_secret_expires_at"]
    actions = ["rotate_secret"]

    @admin.action(description=_("Rotate the signing secret (the old one stays valid for the overlap)"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_rotate_secret(endpoint=endpoint)
        self.message_user(request, _("Secrets rotated."), messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["message_id", "endpoint", "event_type", "state", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["state", "event_type"]
    list_select_related = ["endpoint"]
    search_fields = ["message_id"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["redeliver"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Redeliver now"))
    def redeliver(self, request, queryset):
        for delivery in queryset:
            webhooks.delivery_redeliver(delivery=delivery)
        self.message_user(request, _("Queued for redelivery."), messages.SUCCESS)
