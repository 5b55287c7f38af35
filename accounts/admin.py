"""Admin for people and organisations: administrators assign roles and provinces here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import InvestorProfile, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_fa", "name_en", "kind", "province", "country"]
    list_filter = ["kind", "province"]
    search_fields = ["name_fa", "name_en"]
    list_select_related = ["province"]


class InvestorProfileInline(admin.StackedInline):
    """The investor's profile on the user page; an administrator may confirm an address by setting its date."""

    model = InvestorProfile
    can_delete = False
    extra = 0
    max_num = 1
    filter_horizontal = ["sectors"]
    readonly_fields = ["terms_accepted_at", "created_at", "updated_at"]
    fields = [
        "company",
        "country",
        "sectors",
        ("ticket_min", "ticket_max", "ticket_currency"),
        "email_verified_at",
        "terms_accepted_at",
        ("created_at", "updated_at"),
    ]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [InvestorProfileInline]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "organisation", "is_staff", "is_active"]
    list_filter = ["role", "is_staff", "is_active", "provinces"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["organisation"]
    filter_horizontal = ["provinces", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (_("Role and scope"), {"fields": ["role", "organisation", "provinces"]}),
        (
            _("Permissions"),
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "classes": ["collapse"],
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"], "classes": ["collapse"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]
