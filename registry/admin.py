"""Admin for reference data: staff keep provinces, sectors, currencies, rates and events here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_columns import PersianColumns, jalali_period
from .models import Commodity, County, Currency, Event, ExchangeRate, OutboundEmail, Province, Sector
from .services import exchange_rate_record

# The admin is the staff's side of the product, named as the product rather than "Django administration".
admin.site.site_header = admin.site.site_title = _("Investment Opportunity Bank")


class CountyInline(admin.TabularInline):
    model = County
    extra = 0
    fields = ["code", "name_fa", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fa", "name_en"]
    search_fields = ["code", "name_fa", "name_en"]
    inlines = [CountyInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fa", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_fa", "name_en"]
    list_select_related = ["province"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fa", "name_en", "parent", "isic_section", "sort_order"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter), "isic_section"]
    search_fields = ["code", "name_fa", "name_en"]
    list_select_related = ["parent"]


@admin.register(Commodity)
class CommodityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fa", "name_en", "sector"]
    list_filter = [("sector", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_fa", "name_en"]
    list_select_related = ["sector"]


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fa", "name_en", "symbol", "decimal_places"]
    search_fields = ["code", "name_fa", "name_en"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["currency", "valid_from", "units_per_usd", "source", "entered_by"]
    list_filter = ["currency", jalali_period("valid_from")]
    fields = ["currency", "valid_from", "units_per_usd", "source"]
    list_select_related = ["currency", "entered_by"]

    def save_model(self, request, obj, form, change):
        """Through the service, so the catalogue's USD equivalents follow the new rate."""
        saved = exchange_rate_record(
            currency=obj.currency,
            valid_from=obj.valid_from,
            units_per_usd=obj.units_per_usd,
            source=obj.source,
            actor=request.user,
        )
        obj.pk = saved.pk


@admin.register(Event)
class EventAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["slug", "name_fa", "province", "starts_on", "ends_on"]
    list_filter = ["province"]
    search_fields = ["slug", "name_fa", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["slug", "name_fa", "name_en", "province"]}),
        (_("Place and time"), {"fields": ["city_fa", "city_en", "starts_on", "ends_on"]}),
        (_("Description"), {"fields": ["description_fa", "description_en"]}),
    ]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(PersianColumns, admin.ModelAdmin):
    """The outbox, read-only: what was sent, what waits, and why something failed."""

    list_display = ["created_at", "to", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "language", jalali_period("created_at")]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
