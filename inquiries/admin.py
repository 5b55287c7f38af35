"""Admin for inquiries: read-only and scoped (province staff see their provinces', another's is a 404). Changes go
through the services (the staff pages or the actions here), so every one of them leaves an event row."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registry.admin_columns import PersianColumns, jalali_period

from . import services
from .choices import TRANSITIONS, Status
from .models import Inquiry, InquiryEvent
from .permissions import can_handle, is_inquiry_staff
from .selectors import inquiries_visible_to


class InquiryEventInline(admin.TabularInline):
    model = InquiryEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_inquiry_staff(request.user)


@admin.register(Inquiry)
class InquiryAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["reference", "name", "email", "province", "opportunity", "status", "assignee", "created_at",
                    "first_response_due_at", "first_response_at"]  # fmt: skip
    list_filter = ["status", "language", "province", "investment_mode", jalali_period("created_at")]
    list_select_related = ["province", "opportunity", "assignee"]
    search_fields = ["email", "name", "company"]
    inlines = [InquiryEventInline]
    actions = ["mark_spam", "assign_automatically"]
    list_per_page = 50
    readonly_fields = ["staff_page", *[field.name for field in Inquiry._meta.fields if field.name != "access_nonce"]]
    exclude = ["access_nonce"]

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("inquiries:staff-detail", args=[obj.pk]), obj.reference)

    def get_queryset(self, request):
        return inquiries_visible_to(request.user).select_related("province", "opportunity", "assignee")

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # another province's inquiry does not exist for this user, here as on the site and the API

    def has_module_permission(self, request):
        return is_inquiry_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_inquiry_staff(request.user) and (obj is None or can_handle(request.user, obj))

    def has_add_permission(self, request):
        return False  # inquiries come from investors

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Mark selected inquiries as spam"))
    def mark_spam(self, request, queryset):
        done = 0
        for inquiry in queryset:
            if Status.SPAM not in TRANSITIONS.get(inquiry.status, ()):
                continue
            try:
                services.inquiry_transition(inquiry=inquiry, actor=request.user, to_status=Status.SPAM)
                done += 1
            except (ValidationError, PermissionDenied):
                continue
        self.message_user(request, _("%(count)d marked as spam.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Assign unassigned inquiries automatically"))
    def assign_automatically(self, request, queryset):
        done = sum(services.inquiry_auto_assign(inquiry_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d assigned.") % {"count": done}, messages.SUCCESS)
