"""Staff admin for financial models: an inline yearly table and loans, the latest result read-only.

Numbers accept Persian digits. The forms check what the engine checks (the model fields in the main form, each year
and loan in its inline row), and saving goes through `services.financial_model_save`, so the appraisal task is
dispatched after commit exactly as for the API. Staff see and choose only opportunities they may edit.
"""

from django import forms
from django.contrib import admin
from django.db.models import F, Q
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts import scoping
from opportunities.selectors import opportunities_editable_by
from registry.admin_columns import PersianColumns

from . import services
from .engine import ENGINE_VERSION
from .forms import persian_formfield
from .inputs import validate
from .models import FinancialModel, FinancialResult, Loan, YearLine
from .selectors import financial_result_latest, model_inputs, units_per_usd


class ScopedAdminMixin:
    """Province staff and national roles only, and only models of opportunities they may edit; another
    province's model does not exist here (404), as on the site and in the API."""

    def _may_use(self, request) -> bool:
        return scoping.is_national(request.user) or scoping.is_province_staff(request.user)

    def _editable(self, request, obj) -> bool:
        opportunity_id = obj.opportunity_id if isinstance(obj, FinancialModel) else obj.model.opportunity_id
        return opportunities_editable_by(request.user).filter(pk=opportunity_id).exists()

    def has_module_permission(self, request):
        return self._may_use(request)

    def has_view_permission(self, request, obj=None):
        return self._may_use(request) and (obj is None or self._editable(request, obj))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class PersianNumbersMixin:
    """Number columns become text boxes that read Persian digits and scale words."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return persian_formfield(db_field) or super().formfield_for_dbfield(db_field, request, **kwargs)


def engine_problems(model: FinancialModel, *, years=(), loans=()) -> list[tuple[str, str]]:
    """The engine's (field, message) problems; none while a required field is still missing (the form says so)."""
    try:
        return validate(inputs=model_inputs(model=model, years=years, loans=loans))
    except (TypeError, ValueError, AttributeError):
        return []


class EngineCheckedFormSet(forms.BaseInlineFormSet):
    """Runs the engine's rules for the rows of this inline and pins each problem on its row and field."""

    prefix_name = ""  # "years" or "loans"
    fields_order: tuple[str, ...] = ()

    def live_forms(self) -> list[forms.Form]:
        return [
            form for form in self.forms if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def rows(self) -> list[dict]:
        """The rows as the service takes them; an empty cell of a column with a default keeps the default."""
        return [
            {
                name: value
                for name, value in form.cleaned_data.items()
                if name in self.fields_order and value is not None
            }
            for form in self.live_forms()
        ]

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        rows = [self.model(model=self.instance, **row) for row in self.rows()]
        forms_by_position = self.live_forms()
        for name, message in engine_problems(self.instance, **{self.prefix_name: rows}):
            if not name.startswith(f"{self.prefix_name}["):
                continue
            position, field = name[len(self.prefix_name) + 1 :].split("].", 1)
            form = forms_by_position[int(position)]
            form.add_error(field if field in form.fields else None, _(message))


class YearLineFormSet(EngineCheckedFormSet):
    prefix_name, fields_order = "years", services.LINE_FIELDS


class LoanFormSet(EngineCheckedFormSet):
    prefix_name, fields_order = "loans", services.LOAN_FIELDS


class ScopedInlineMixin(ScopedAdminMixin):
    """Rows of a model follow the model: whoever may edit the model edits its years and loans."""

    def has_add_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)


class YearLineInline(ScopedInlineMixin, PersianNumbersMixin, admin.TabularInline):
    model = YearLine
    formset = YearLineFormSet
    fields = services.LINE_FIELDS
    extra = 0
    classes = ["finance-years"]


class LoanInline(ScopedInlineMixin, PersianNumbersMixin, admin.TabularInline):
    model = Loan
    formset = LoanFormSet
    fields = services.LOAN_FIELDS
    extra = 0


class FinancialModelForm(forms.ModelForm):
    """The model fields, checked by the engine's model-level rules and for an exchange rate of the currency."""

    class Meta:
        model = FinancialModel
        fields = ["opportunity", *services.MODEL_FIELDS]

    def clean(self):
        cleaned = super().clean()
        currency = cleaned.get("currency")
        if currency is not None and currency.pk not in units_per_usd(codes={currency.pk}):
            self.add_error("currency", _("No exchange rate is recorded for this currency; record one first."))
        if not self.errors:
            typed = FinancialModel(**{name: cleaned.get(name) for name in services.MODEL_FIELDS})
            for name, message in engine_problems(typed):
                self.add_error(name if name in self.fields else None, _(message))
        return cleaned


class AppraisalFilter(admin.SimpleListFilter):
    title = _("appraisal")
    parameter_name = "appraisal"

    def lookups(self, request, model_admin):
        return [("current", _("Up to date")), ("pending", _("Waiting for appraisal"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(appraised_hash=F("inputs_hash"))
        if self.value() == "pending":
            return queryset.filter(~Q(appraised_hash=F("inputs_hash")))
        return queryset


@admin.register(FinancialModel)
class FinancialModelAdmin(ScopedAdminMixin, PersianNumbersMixin, PersianColumns, admin.ModelAdmin):
    form = FinancialModelForm
    inlines = [YearLineInline, LoanInline]
    list_display = [
        "opportunity",
        "currency",
        "horizon_years",
        "discount_rate",
        "headline_npv",
        "is_appraised",
        "updated_at",
    ]
    list_filter = [AppraisalFilter, "currency", "opportunity__province", "opportunity__status"]
    list_select_related = ["opportunity", "currency"]
    search_fields = ["opportunity__reference"]
    autocomplete_fields = ["opportunity"]
    readonly_fields = ["latest_result", "inputs_hash", "appraised_hash", "updated_by", "updated_at"]
    fieldsets = [
        (None, {"fields": ["opportunity", "currency", "base_year", "horizon_years"]}),
        (_("Rates"), {"fields": ["discount_rate", "tax_rate", "reinvestment_rate", "inflation_rate"]}),
        (
            _("Assets and production"),
            {
                "fields": [
                    "useful_life_years",
                    "amortisation_years",
                    "capacity_volume",
                    "volume_unit",
                    "recover_working_capital",
                ]
            },
        ),
        (_("Scenarios"), {"fields": ["scenarios"], "classes": ["collapse"]}),
        (
            _("Latest appraisal"),
            {"fields": ["latest_result", "inputs_hash", "appraised_hash", "updated_by", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        editable = opportunities_editable_by(request.user).values("pk")
        return super().get_queryset(request).filter(opportunity__in=editable)

    def has_add_permission(self, request):
        return self._may_use(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "opportunity"] if obj else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "opportunity":
            kwargs["queryset"] = opportunities_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("NPV"))
    def headline_npv(self, obj):
        return obj.opportunity.fin_npv_usd

    @admin.display(description=_("appraised"), boolean=True)
    def is_appraised(self, obj):
        return not obj.needs_appraisal

    @admin.display(description=_("latest result"))
    def latest_result(self, obj):
        result = financial_result_latest(model=obj) if obj and obj.pk else None
        if result is None:
            return _("Not appraised yet.")
        current = result.inputs_hash == obj.inputs_hash and result.engine_version == ENGINE_VERSION
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td></tr>",
            (
                (name, value["value"] if value["value"] is not None else f"— ({value['reason']})")
                for name, value in result.indicators.items()
            ),
        )
        status = _("current") if current else _("for earlier inputs; an appraisal is pending")
        return format_html(
            "<p>{} · {} · {} {}</p><table>{}</table>",
            result.computed_at,
            status,
            _("engine"),
            result.engine_version,
            rows,
        )

    def save_model(self, request, obj, form, change):
        """Nothing yet: the model, its years and loans are written together by the service in save_related."""

    def save_related(self, request, form, formsets, change):
        years = next(formset for formset in formsets if isinstance(formset, YearLineFormSet))
        loans = next(formset for formset in formsets if isinstance(formset, LoanFormSet))
        data = {name: form.cleaned_data[name] for name in services.MODEL_FIELDS if name in form.cleaned_data}
        opportunity = form.instance.opportunity if change else form.cleaned_data["opportunity"]
        model = services.financial_model_save(
            opportunity=opportunity,
            actor=request.user,
            data=data,
            years=years.rows(),
            loans=loans.rows(),
        )
        form.instance.pk, form.instance._state.adding = model.pk, False

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"added": {}}] if add else [{"changed": {"fields": form.changed_data}}]

    def delete_model(self, request, obj):
        services.financial_model_delete(model=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for model in queryset:
            services.financial_model_delete(model=model, actor=request.user)


@admin.register(FinancialResult)
class FinancialResultAdmin(ScopedAdminMixin, PersianColumns, admin.ModelAdmin):
    """Read-only: results are written by the appraisal task only."""

    list_display = ["model", "engine_version", "npv", "project_irr", "payback_years", "computed_at"]
    list_filter = ["engine_version", "currency"]
    list_select_related = ["model__opportunity"]
    search_fields = ["model__opportunity__reference", "inputs_hash"]

    def get_queryset(self, request):
        editable = opportunities_editable_by(request.user).values("pk")
        return super().get_queryset(request).filter(model__opportunity__in=editable)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
