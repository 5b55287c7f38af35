"""The admin (scoped, read-only, actions through the services) and the form fields people type into."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from inquiries.choices import EventKind, Status
from inquiries.forms import JalaliDateField, phone_clean
from inquiries.models import Inquiry

from .factories import make_inquiry

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/inquiries/inquiry/"


def test_admin_is_read_only_and_offers_no_add(client, reviewer):
    inquiry = make_inquiry()
    client.force_login(reviewer)
    assert client.get(CHANGELIST + "add/").status_code == 403
    html = client.get(f"{CHANGELIST}{inquiry.pk}/change/").content.decode()
    assert inquiry.email in html and 'name="email"' not in html  # shown, not editable
    assert "access_nonce" not in html


def test_admin_spam_action_goes_through_the_service_and_is_scoped(client, staff_wa, staff_ea):
    mine, other = make_inquiry(), make_inquiry()
    Inquiry.objects.filter(pk=other.pk).update(province_id=staff_ea.provinces.get().pk)
    client.force_login(staff_wa)

    client.post(CHANGELIST, {"action": "mark_spam", "_selected_action": [mine.pk, other.pk]})

    assert Inquiry.objects.get(pk=mine.pk).status == Status.SPAM
    assert Inquiry.objects.get(pk=other.pk).status == Status.NEW  # not in this user's queryset
    event = Inquiry.objects.get(pk=mine.pk).events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.to_status) == (staff_wa, Status.SPAM)


def test_admin_assigns_unassigned_inquiries(client, reviewer, staff_wa):
    inquiry = make_inquiry()
    client.force_login(reviewer)
    client.post(CHANGELIST, {"action": "assign_automatically", "_selected_action": [inquiry.pk]})
    assert Inquiry.objects.get(pk=inquiry.pk).assignee == staff_wa


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۱۴۰۴/۰۳/۱۱", dt.date(2025, 6, 1)),
        ("1404/3/11", dt.date(2025, 6, 1)),
        ("١٤٠٤-٠٣-١١", dt.date(2025, 6, 1)),
        ("2025-06-01", dt.date(2025, 6, 1)),
        ("", None),
    ],
)
def test_follow_up_dates_are_typed_the_iranian_way_or_iso(typed, expected):
    assert JalaliDateField(required=False).clean(typed) == expected


@pytest.mark.parametrize("typed", ["فردا", "1404/13/01", "2025-02-30", "1404/03"])
def test_bad_dates_are_refused(typed):
    with pytest.raises(ValidationError):
        JalaliDateField(required=False).clean(typed)


def test_a_date_is_shown_in_jalali_in_persian_and_iso_in_english():
    field = JalaliDateField()
    with translation.override("fa"):
        assert field.prepare_value(dt.date(2025, 6, 1)) == "۱۴۰۴/۰۳/۱۱"
    with translation.override("en"):
        assert field.prepare_value(dt.date(2025, 6, 1)) == "2025-06-01"


@pytest.mark.parametrize(
    ("typed", "expected"), [("۰۹۱۲ ۱۲۳ ۴۵۶۷", "0912 123 4567"), ("+98 (21) 1234-5678", "+98 (21) 1234-5678")]
)
def test_phone_numbers_accept_persian_digits(typed, expected):
    assert phone_clean(typed) == expected


def test_staff_page_takes_a_jalali_follow_up_date(client, staff_wa):
    inquiry = make_inquiry()
    client.force_login(staff_wa)
    client.post(f"/staff/inquiries/{inquiry.pk}/follow_up/", {"follow_up_on": "۱۴۰۴/۰۳/۱۱"})
    assert Inquiry.objects.get(pk=inquiry.pk).follow_up_on == dt.date(2025, 6, 1)
