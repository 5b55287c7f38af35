"""The inbox filters, shared by the staff page, its CSV export and the API list; junk values are field errors."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Province
from registry.text import normalize

from .choices import OPEN_STATUSES, Status
from .models import Inquiry
from .selectors import overdue_q


class InquiryFilterSet(django_filters.FilterSet):
    """status, assignee (`me`, `none` or an id), province (code; national roles), overdue, open, q."""

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is not None:
            data = data.copy()
            for key in list(data.keys()):
                values = [value for value in data.getlist(key) if value.strip()]
                if values:
                    data.setlist(key, values)
                else:
                    del data[key]
        self.user = user
        super().__init__(data, *args, **kwargs)

    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open only"), widget=forms.CheckboxInput)
    assignee = django_filters.CharFilter(
        method="filter_assignee",
        label=_("Assignee"),
        validators=[RegexValidator(r"^\s*(me|none|\d+)\s*$", _("Use me, none or a person's id."))],
    )
    province = django_filters.ModelChoiceFilter(
        field_name="province", to_field_name="code", queryset=Province.objects.all(), label=_("Province")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"), widget=forms.CheckboxInput)
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)

    class Meta:
        model = Inquiry
        fields = ["status", "province"]

    def filter_open(self, queryset, name, value):
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset

    def filter_assignee(self, queryset, name, value):
        value = value.strip().lower()
        if value == "me":
            return queryset.filter(assignee=self.user) if self.user else queryset.none()
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.now())) if value else queryset

    def filter_q(self, queryset, name, value):
        """A reference (INQ-000123 or 123), or words in the name, e-mail or company, however typed."""
        text = normalize(value).removeprefix("inq-").lstrip("0")
        condition = Q()
        for word in value.split():
            condition &= Q(name__icontains=word) | Q(email__icontains=word) | Q(company__icontains=word)
        if text.isdigit():
            condition |= Q(pk=int(text))
        return queryset.filter(condition)
