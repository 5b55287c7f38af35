"""Staff admin for the catalogue: every write goes through the services, search goes through the normalised key."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.forms import PersianDecimalField, PersianIntegerField

from . import services
from .models import Document, Opportunity
from .selectors import opportunities_search
from .uploads import inspect_upload


class DocumentInlineForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "file", "kind", "language", "access_level"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            try:
                inspect_upload(uploaded)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from None
        return uploaded


class DocumentInline(admin.TabularInline):
    model = Document
    form = DocumentInlineForm
    extra = 0
    fields = ["title", "file", "kind", "language", "access_level", "content_type", "size_bytes"]
    readonly_fields = ["content_type", "size_bytes"]


class OpportunityAdminForm(forms.ModelForm):
    """Numbers accept Persian digits and scale words («۵۰ میلیارد»)."""

    capex_amount = PersianDecimalField(label=_("capital expenditure"), required=False, max_digits=24, decimal_places=2)
    jobs = PersianIntegerField(label=_("direct jobs"), required=False, min_value=0)

    class Meta:
        model = Opportunity
        fields = sorted(services.EDITABLE_FIELDS)


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    form = OpportunityAdminForm
    list_display = ["reference", "title_fa", "province", "sector", "type", "stage", "status", "capex_usd", "updated_at"]
    list_filter = ["status", "type", "stage", "province", ("sector", admin.RelatedOnlyFieldListFilter), "event"]
    list_select_related = ["province", "sector"]
    search_fields = ["reference"]  # the real search is the normalised key, below
    search_help_text = _("Persian or English, any spelling; or a reference such as WA-MIN-2025-0007.")
    readonly_fields = ["reference", "status", "capex_usd", "published_at", "created_at", "updated_at"]
    autocomplete_fields = ["county", "commodity", "sector", "province", "event", "owner_organisation"]
    date_hierarchy = "created_at"
    inlines = [DocumentInline]
    actions = ["publish_selected"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["reference", "status", "title_fa", "title_en", "summary_fa", "summary_en"]}),
        (_("Place"), {"fields": ["province", "county", "latitude", "longitude"]}),
        (_("What it is"), {"fields": ["sector", "commodity", "type", "stage", "physical_progress_pct", "event"]}),
        (
            _("Money and size"),
            {"fields": ["capex_amount", "capex_currency", "capex_usd", "jobs", "capacity_value", "capacity_unit"]},
        ),
        (
            _("Incentives, land and infrastructure"),
            {
                "fields": [
                    "in_free_zone",
                    "in_special_economic_zone",
                    "in_less_developed_area",
                    "tax_holiday_years",
                    "incentives_note",
                    "land_status",
                    "permit_status",
                    ("has_power", "has_water", "has_gas", "has_road", "has_rail"),
                ]
            },
        ),
        (_("Mining"), {"fields": ["reserves_tonnes", "grade_pct", "licence_status"], "classes": ["collapse"]}),
        (_("Description"), {"fields": ["description_fa", "description_en"], "classes": ["collapse"]}),
        (_("Ownership"), {"fields": ["owner_organisation", "published_at", "created_at", "updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        return opportunities_search(queryset, search_term), False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data if name in services.EDITABLE_FIELDS}
        if change:
            services.opportunity_update(opportunity=obj, actor=request.user, data=data)
        else:
            created = services.opportunity_create(actor=request.user, data=data)
            obj.pk, obj.reference = created.pk, created.reference

    def save_formset(self, request, form, formset, change):
        if formset.model is not Document:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for document in instances:
            if document.pk is None:
                services.document_attach(
                    opportunity=form.instance,
                    uploaded_file=document.file,
                    title=document.title,
                    kind=document.kind,
                    language=document.language,
                    access_level=document.access_level,
                    actor=request.user,
                )
            else:
                document.save()

    @admin.action(description=_("Publish selected drafts"))
    def publish_selected(self, request, queryset):
        published = 0
        for opportunity in queryset:
            try:
                services.opportunity_publish(opportunity=opportunity, actor=request.user)
                published += 1
            except ValidationError:
                continue
        self.message_user(request, _("%(count)d published.") % {"count": published}, messages.SUCCESS)
