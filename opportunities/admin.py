"""Staff admin for the catalogue: every write goes through the services, search goes through the normalised key."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import scoping
from registry.admin_columns import PersianColumns, jalali_period
from registry.forms import PersianDecimalField, PersianIntegerField
from registry.templatetags.fa import percent

from . import permissions, services
from .models import Document, ImportJob, Opportunity, OpportunityEvent, QualityJustification
from .quality import consistency_warnings
from .selectors import opportunities_search, opportunities_visible_to
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

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_staff_side(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None or permissions.may_attach_documents(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or permissions.may_attach_documents(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or permissions.may_edit(request.user, obj)


class OpportunityAdminForm(forms.ModelForm):
    """Numbers accept Persian digits and scale words («۵۰ میلیارد»)."""

    capex_amount = PersianDecimalField(label=_("capital expenditure"), required=False, max_digits=24, decimal_places=2)
    jobs = PersianIntegerField(label=_("direct jobs"), required=False, min_value=0)

    class Meta:
        model = Opportunity
        fields = sorted(services.EDITABLE_FIELDS)


class EventInline(admin.TabularInline):
    """The status log, read-only: who moved it, when, from what to what, and why."""

    model = OpportunityEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_staff_side(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(PersianColumns, SimpleHistoryAdmin):
    """Scoped to the user's provinces; status moves only through the workflow buttons; writes through services."""

    form = OpportunityAdminForm
    change_form_template = "admin/opportunities/opportunity/change_form.html"
    list_display = [
        "reference", "title_fa", "province", "sector", "type", "stage", "status", "completeness_pct", "capex_usd",
        "updated_at",
    ]  # fmt: skip
    list_filter = [
        "status",
        "type",
        "stage",
        "province",
        ("sector", admin.RelatedOnlyFieldListFilter),
        "event",
        jalali_period("created_at"),
    ]
    list_select_related = ["province", "sector"]
    search_fields = ["reference"]  # the real search is the normalised key, below
    search_help_text = _("Persian or English, any spelling; or a reference such as WA-MIN-2025-0007.")
    readonly_fields = ["reference", "status", "capex_usd", "published_at", "created_at", "updated_at"]
    autocomplete_fields = ["county", "commodity", "sector", "province", "event", "owner_organisation"]
    inlines = [DocumentInline, EventInline]
    actions: list[str] = []
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

    @admin.display(description=_("completeness"), ordering="completeness")
    def completeness_pct(self, obj):
        return percent(obj.completeness)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset & opportunities_visible_to(request.user) if not scoping.is_national(request.user) else queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404  # another province's draft does not exist for this user, here as on the site and the API

    def has_module_permission(self, request):
        return permissions.may_see_staff_side(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_staff_side(request.user) and (obj is None or self._visible(request, obj))

    def has_add_permission(self, request):
        return scoping.is_national(request.user) or scoping.is_province_staff(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.may_see_staff_side(request.user)
        return permissions.may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def _visible(self, request, obj) -> bool:
        return opportunities_visible_to(request.user).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province" and not scoping.is_national(request.user):
            kwargs["queryset"] = request.user.provinces.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "province"] if obj is not None else fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        extra_context = {
            **(extra_context or {}),
            "transitions": services.transitions_available(opportunity=obj, actor=request.user),
            "warnings": self._warnings(obj),
            "last_move": obj.events.filter(kind=OpportunityEvent.Kind.STATUS_CHANGED).select_related("actor").first(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _warnings(self, obj):
        justified = dict(obj.justifications.values_list("check_code", "note"))
        return [
            {"code": w.code, "message": w.message, "justification": justified.get(w.code)}
            for w in consistency_warnings(obj)
        ]

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path(
                "<path:object_id>/transition/<str:action>/",
                view(self.transition_view),
                name="opportunities_opportunity_transition",
            ),
            path(
                "<path:object_id>/justify/<str:check_code>/",
                view(self.justify_view),
                name="opportunities_opportunity_justify",
            ),
        ]
        return own + super().get_urls()

    def transition_view(self, request, object_id, action):
        """A workflow button: POST only, through the one transition service; errors come back as messages."""
        if request.method != "POST":
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        try:
            services.opportunity_transition(
                opportunity=obj, action=action, actor=request.user, note=request.POST.get("note", "")
            )
            self.message_user(request, _("Done."), messages.SUCCESS)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                self.message_user(request, f"{field}: {' '.join(problems)}", messages.ERROR)
        return redirect(reverse("admin:opportunities_opportunity_change", args=[obj.pk]))

    def justify_view(self, request, object_id, check_code):
        if request.method != "POST":
            raise PermissionDenied
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        try:
            services.warning_justify(
                opportunity=obj, check_code=check_code, note=request.POST.get("note", ""), actor=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return redirect(reverse("admin:opportunities_opportunity_change", args=[obj.pk]))

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


@admin.register(ImportJob)
class ImportJobAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["created_at", "original_name", "province", "dry_run", "state", "total_rows", "created_count"]
    list_filter = ["state", "province"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = scoping.province_q(request.user)
        return queryset if scope is None else queryset.filter(scope)

    def has_add_permission(self, request):
        return False


@admin.register(QualityJustification)
class QualityJustificationAdmin(PersianColumns, admin.ModelAdmin):
    list_display = ["opportunity", "check_code", "author", "created_at"]
    list_select_related = ["opportunity", "author"]
    raw_id_fields = ["opportunity"]
