"""The catalogue's filters, shared by the API and the listing page; junk values become field errors (400)."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from registry.forms import PersianDecimalFilter
from registry.models import County, Event, Province, Sector
from registry.selectors import sector_descendant_ids

from .choices import OpportunityType, Stage
from .models import Opportunity
from .selectors import opportunities_search


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


class OpportunityFilterSet(django_filters.FilterSet):
    """Explicit filters, each by code and by id (the `_id` twins), plus `q` for the Persian-aware search.

    A blank parameter (`province=`, as an untouched form sends it) means "no filter", never an error."""

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

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=1000)
    province = django_filters.ModelMultipleChoiceFilter(
        field_name="province__code", to_field_name="code", queryset=Province.objects.all(), label=_("Province (code)")
    )
    province_id = django_filters.ModelMultipleChoiceFilter(
        field_name="province", queryset=Province.objects.all(), label=_("Province (id)")
    )
    county = django_filters.ModelMultipleChoiceFilter(
        field_name="county__code", to_field_name="code", queryset=County.objects.all(), label=_("County (code)")
    )
    county_id = django_filters.ModelMultipleChoiceFilter(
        field_name="county", queryset=County.objects.all(), label=_("County (id)")
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        to_field_name="code", queryset=Sector.objects.all(), method="filter_sector", label=_("Sector (code)")
    )
    sector_id = django_filters.ModelMultipleChoiceFilter(
        queryset=Sector.objects.all(), method="filter_sector", label=_("Sector (id)")
    )
    type = django_filters.MultipleChoiceFilter(choices=OpportunityType.choices, label=_("Type"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    capex_usd_min = PersianDecimalFilter(field_name="capex_usd", lookup_expr="gte", label=_("Capex from (USD)"))
    capex_usd_max = PersianDecimalFilter(field_name="capex_usd", lookup_expr="lte", label=_("Capex up to (USD)"))
    event = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Event.objects.all(), label=_("Event (slug)")
    )
    ordering = StableOrderingFilter(
        fields=(
            ("published_at", "published"),
            ("capex_usd", "capex_usd"),
            ("reference", "reference"),
            ("jobs", "jobs"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return opportunities_search(queryset, value)

    def filter_sector(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(sector_id__in=sector_descendant_ids(sector_ids=[sector.pk for sector in value]))
