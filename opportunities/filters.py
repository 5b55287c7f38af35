"""The catalogue's filters, shared by the API, the listing page, its facets and exports; junk values are field errors.

Every filter is a plain GET parameter so every state of the listing has a shareable URL. Numbers accept Persian and
Arabic digits and scale words («۵۰ میلیارد»); capex is typed in a chosen currency and compared in US dollars through
the stored exchange rate; IRR is typed in percent and stored as a fraction. `q` and `ordering` are applied last, so
the search can rank what the other filters left and the facets can re-run the filters with one group left out.
"""

import copy
from decimal import Decimal
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from registry.forms import PersianDecimalFilter
from registry.models import Commodity, County, Currency, Event, Province, Sector
from registry.selectors import sector_descendant_ids, usd_equivalent

from .choices import PUBLIC_STATUSES, OpportunityType, Stage
from .models import Document, Opportunity
from .search import SearchPlan, search_apply, search_plan, search_rank_annotate

INCENTIVES = (
    ("free_zone", _("In a free trade zone")),
    ("special_zone", _("In a special economic zone")),
    ("less_developed", _("In a less-developed area")),
    ("tax_holiday", _("Tax holiday")),
)
INCENTIVE_CONDITIONS = {
    "free_zone": Q(in_free_zone=True),
    "special_zone": Q(in_special_economic_zone=True),
    "less_developed": Q(in_less_developed_area=True),
    "tax_holiday": Q(tax_holiday_years__gt=0),
}
PUBLIC_STATUS_CHOICES = [(status.value, status.label) for status in PUBLIC_STATUSES]
RELEVANCE = "relevance"
# Parameters that are not filters on rows: applied after all others (q, ordering) or only read by others (currency).
NOT_ROW_FILTERS = frozenset({"q", "ordering", "currency"})


def documents_exist() -> Exists:
    return Exists(Document.objects.filter(opportunity=OuterRef("pk")))


class StrictBooleanField(forms.Field):
    """yes/no from a URL: true, false, 1, 0, yes, no, on, off. Anything else is an error, not silently 'unknown'."""

    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE, FALSE = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


@extend_schema_field(OpenApiTypes.STR)
class CodeMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Related rows by their public code (province=WA&province=EA); the schema makes the repeated parameter an
    array of these strings, with the codes that exist (partners.schema)."""


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """One related row by its public code."""


class StableOrderingFilter(django_filters.OrderingFilter):
    """Empty values last on every database, and the id as the final key so pages never repeat or skip a row."""

    def get_ordering_value(self, param):
        name = super().get_ordering_value(param)
        return F(name[1:]).desc(nulls_last=True) if name.startswith("-") else F(name).asc(nulls_last=True)

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-id")
        return qs


class OpportunityFilterForm(forms.Form):
    """Cross-field checks: a capex range is read in the chosen currency and converted to US dollars once, here."""

    def clean(self):
        data = super().clean()
        self.capex_usd_bounds = {}
        currency = data.get("currency")
        code = currency.code if currency else "USD"
        for name in ("capex_min", "capex_max"):
            amount = data.get(name)
            if amount is None:
                continue
            usd = usd_equivalent(amount=amount, currency_code=code, exact=True)
            if usd is None:
                self.add_error("currency", _("There is no exchange rate for this currency yet."))
                break
            self.capex_usd_bounds[name] = usd
        for low, high in (("capex_min", "capex_max"), ("irr_min", "irr_max"), ("payback_min", "payback_max")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("The upper bound is below the lower bound."))
        return data


class _FiltersCopiedShallow(dict):
    """A filter set's declared filters, whose per-request copy copies each filter but not what it holds.

    django-filter deep-copies `base_filters` for every filter set it builds, and a deep copy of a related filter
    copies its queryset's whole Query: about 1,100 deepcopy calls per request. With the form class built once
    (`OpportunityFilterSet.get_form_class`), a search for one reference code at 100k listings went from 14.5 to
    11.7 ms (bench/catalogue_search.py's ORM path). A request only sets `model` and `parent` on its copies (and
    caches a label), which a shallow copy keeps apart; the querysets and choices are only read. A filter with a
    `method` holds a proxy bound to itself, so the copy is given the method again to bind a proxy of its own
    (django-filter's setter).
    """

    def __deepcopy__(self, memo):
        return {name: _filter_copy(filter_) for name, filter_ in self.items()}


def _filter_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    copied = copy.copy(filter_)
    if filter_.method is not None:
        copied.method = filter_.method
    return copied


class OpportunityFilterSet(django_filters.FilterSet):
    """Explicit filters, each by code and by id (the `_id` twins), plus `q` for the Persian-aware search.

    A blank parameter (`province=`, as an untouched form sends it) means "no filter", never an error."""

    blank_is_unset = True  # read by the OpenAPI schema (partners.schema): every parameter allows an empty value

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = [value for value in data.getlist(key) if value.strip()]
                if values:
                    data.setlist(key, values)
                else:
                    del data[key]
        super().__init__(data, *args, **kwargs)

    @classmethod
    def get_filters(cls):
        return _FiltersCopiedShallow(super().get_filters())

    def get_form_class(self):
        """The form class built once per filter set class, not per request (django-filter builds one each time).

        Its fields come from the declared filters, whose querysets and choices do not depend on the request; the
        labels are lazy, so each request still reads them in its own language, and every form instance gets its
        own copies of the fields as any Django form does.
        """
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed at or after (ISO 8601)")
    )
    q = django_filters.CharFilter(method="filter_nothing", label=_("Search"), max_length=1000)
    province = CodeMultipleChoiceFilter(
        distinct=False,
        field_name="province__code",
        to_field_name="code",
        queryset=Province.objects.all(),
        label=_("Province (code)"),
    )
    province_id = django_filters.ModelMultipleChoiceFilter(
        distinct=False, field_name="province", queryset=Province.objects.all(), label=_("Province (id)")
    )
    county = CodeMultipleChoiceFilter(
        distinct=False,
        field_name="county__code",
        to_field_name="code",
        queryset=County.objects.all(),
        label=_("County (code)"),
    )
    county_id = django_filters.ModelMultipleChoiceFilter(
        distinct=False, field_name="county", queryset=County.objects.all(), label=_("County (id)")
    )
    sector = CodeMultipleChoiceFilter(
        distinct=False,
        to_field_name="code",
        queryset=Sector.objects.all(),
        method="filter_sector",
        label=_("Sector (code)"),
    )
    sector_id = django_filters.ModelMultipleChoiceFilter(
        distinct=False, queryset=Sector.objects.all(), method="filter_sector", label=_("Sector (id)")
    )
    commodity = CodeMultipleChoiceFilter(
        distinct=False,
        field_name="commodity__code",
        to_field_name="code",
        queryset=Commodity.objects.all(),
        label=_("Commodity (code)"),
    )
    commodity_id = django_filters.ModelMultipleChoiceFilter(
        distinct=False, field_name="commodity", queryset=Commodity.objects.all(), label=_("Commodity (id)")
    )
    type = django_filters.MultipleChoiceFilter(distinct=False, choices=OpportunityType.choices, label=_("Type"))
    stage = django_filters.MultipleChoiceFilter(distinct=False, choices=Stage.choices, label=_("Stage"))
    status = django_filters.MultipleChoiceFilter(distinct=False, choices=PUBLIC_STATUS_CHOICES, label=_("Status"))
    currency = CodeChoiceFilter(
        to_field_name="code", queryset=Currency.objects.all(), method="filter_nothing", label=_("Capex currency")
    )
    capex_min = PersianDecimalFilter(method="filter_capex", label=_("Capex from"))
    capex_max = PersianDecimalFilter(method="filter_capex", label=_("Capex up to"))
    capex_usd_min = PersianDecimalFilter(field_name="capex_usd", lookup_expr="gte", label=_("Capex from (USD)"))
    capex_usd_max = PersianDecimalFilter(field_name="capex_usd", lookup_expr="lte", label=_("Capex up to (USD)"))
    irr_min = PersianDecimalFilter(method="filter_percent", label=_("Real IRR from (%)"))
    irr_max = PersianDecimalFilter(method="filter_percent", label=_("Real IRR up to (%)"))
    payback_min = PersianDecimalFilter(
        field_name="fin_payback_years", lookup_expr="gte", label=_("Payback from (years)")
    )
    payback_max = PersianDecimalFilter(
        field_name="fin_payback_years", lookup_expr="lte", label=_("Payback up to (years)")
    )
    # Typed like every other amount (decimals, Persian digits), so the schema says number, not the column's integer.
    jobs_min = PersianDecimalFilter(field_name="jobs", lookup_expr="gte", label=_("Jobs from"))
    jobs_max = PersianDecimalFilter(field_name="jobs", lookup_expr="lte", label=_("Jobs up to"))
    incentive = django_filters.MultipleChoiceFilter(
        distinct=False, choices=INCENTIVES, method="filter_incentive", label=_("Incentives (any of)")
    )
    has_financial_model = StrictBooleanFilter(field_name="has_financial_model", label=_("Has a financial model"))
    has_documents = StrictBooleanFilter(method="filter_documents", label=_("Has documents"))
    event = CodeMultipleChoiceFilter(
        distinct=False,
        field_name="event__slug",
        to_field_name="slug",
        queryset=Event.objects.all(),
        label=_("Event (slug)"),
    )
    ordering = StableOrderingFilter(
        fields=(
            ("search_rank", RELEVANCE),
            ("published_at", "published"),
            ("capex_usd", "capex_usd"),
            ("fin_irr", "irr"),
            ("completeness", "completeness"),
            ("reference", "reference"),
            ("jobs", "jobs"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []
        form = OpportunityFilterForm

    def filter_nothing(self, queryset, name, value):
        """`q` is applied by `filter_queryset` after the other filters; `currency` is read by the capex filters."""
        return queryset

    def filter_sector(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(self.row_condition(name, value))

    def _subtree(self, sector_ids: tuple[int, ...]) -> set[int]:
        """Walked once per request: the facets apply the filters again for every group they leave out."""
        cache = self.__dict__.setdefault("_subtrees", {})
        if sector_ids not in cache:
            cache[sector_ids] = sector_descendant_ids(sector_ids=list(sector_ids))
        return cache[sector_ids]

    def filter_capex(self, queryset, name, value):
        usd = self.form.capex_usd_bounds.get(name)
        if usd is None:
            return queryset
        lookup = "capex_usd__gte" if name == "capex_min" else "capex_usd__lte"
        return queryset.filter(**{lookup: usd})

    def filter_percent(self, queryset, name, value):
        if value is None:
            return queryset
        lookup = "fin_irr__gte" if name == "irr_min" else "fin_irr__lte"
        return queryset.filter(**{lookup: value / Decimal(100)})

    def filter_incentive(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(self.row_condition(name, value))

    def filter_documents(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(self.row_condition(name, value))

    def row_condition(self, name: str, value) -> Q:
        """A facet group's parameter as a condition on the row (references by primary key, sectors with everything
        below them), so the facets can evaluate every group's filter within one scan."""
        if name in ("sector", "sector_id"):
            return Q(sector_id__in=self._subtree(tuple(sorted(sector.pk for sector in value))))
        if name == "incentive":
            return reduce(or_, (INCENTIVE_CONDITIONS[key] for key in value))
        if name == "has_documents":
            return Q(documents_exist()) if value else ~Q(documents_exist())
        if name == "has_financial_model":
            return Q(has_financial_model=value)
        # province, county, commodity and event (the rows, by code or by id); type, stage and status (the values)
        return Q(**{f"{name.removesuffix('_id')}__in": value})

    @cached_property
    def search(self) -> SearchPlan:
        """The query's terms and which of them are relaxed, decided once against everything the reader may see."""
        return search_plan(self.queryset, self.form.cleaned_data.get("q"))

    def active(self, *names: str) -> bool:
        """Whether the reader set any of these parameters (blank ones were dropped in `__init__`)."""
        return self.data is not None and any(name in self.data for name in names)

    def queryset_without(self, excluded: frozenset[str] | set[str] = frozenset()) -> QuerySet:
        """Every filter and the search except the `excluded` parameters, unordered: what a facet counts over."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            # A parameter the reader did not set filters nothing; skipping it also spares testing its empty value,
            # which for a related filter is an empty queryset that Django compiles to find it empty (0.2 ms each).
            if name in NOT_ROW_FILTERS or name in excluded or not self.active(name):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return search_apply(queryset, self.search)

    def filter_queryset(self, queryset):
        return self.ordered(self.queryset_without())

    def ordered(self, queryset: QuerySet) -> QuerySet:
        """Relevance first when there is a query (title, summary, the rest), otherwise newest first."""
        value = list(self.form.cleaned_data.get("ordering") or [])
        if not value and self.search.active:
            value = [f"-{RELEVANCE}"]
        if any(item.lstrip("-") == RELEVANCE for item in value):
            if not self.search.active:
                return queryset.order_by(*Opportunity._meta.ordering)
            queryset = search_rank_annotate(queryset, self.search)
            value.append("-published")
        return self.filters["ordering"].filter(queryset, value)
