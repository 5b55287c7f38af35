"""The investor profile: Persian digits and scale words in the ticket size, sectors, and the interface language."""

from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import InvestorProfile
from registry.models import Sector
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "سارا",
    "last_name": "احمدی",
    "company": "معدن‌کاوان تبریز",
    "country": "ایران",
    "ticket_min": "۵۰ میلیارد",
    "ticket_max": "۱۲۰٬۰۰۰٬۰۰۰٬۰۰۰",
    "ticket_currency": "IRR",
    "preferred_language": "fa",
}


@pytest.fixture
def investor(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_the_profile_needs_a_signed_in_person(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_ticket_size_accepts_persian_digits_and_scale_words(client, investor):
    sectors = list(Sector.objects.filter(code__in=["MIN", "ENE"]).values_list("pk", flat=True))

    response = client.post("/accounts/profile/", {**VALID, "sectors": sectors})

    assert response.status_code == 302
    profile = InvestorProfile.objects.get(user=investor)
    assert profile.ticket_min == Decimal("50000000000")
    assert profile.ticket_max == Decimal("120000000000")
    assert profile.ticket_currency_id == "IRR"
    assert sorted(profile.sectors.values_list("code", flat=True)) == ["ENE", "MIN"]
    assert profile.company == "معدن‌کاوان تبریز"
    investor.refresh_from_db()
    assert investor.first_name == "سارا"


def test_the_saved_ticket_size_reads_back_in_persian(client, investor):
    client.post("/accounts/profile/", VALID)

    html = client.get("/accounts/profile/").content.decode()

    assert 'value="۵۰٬۰۰۰٬۰۰۰٬۰۰۰"' in html  # as a person would type it again
    assert "۵۰ میلیارد ریال" in html
    assert "۱۲۰ میلیارد ریال" in html


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ticket_min": "۲۰۰ میلیارد"}, "ticket_max"),  # above the upper end
        ({"ticket_currency": ""}, "ticket_currency"),
        ({"ticket_min": "lots"}, "ticket_min"),
        ({"ticket_min": "-5"}, "ticket_min"),
        ({"preferred_language": "de"}, "preferred_language"),
    ],
)
def test_bad_profile_input_is_a_field_error_and_changes_nothing(client, investor, changes, field):
    client.post("/accounts/profile/", VALID)
    before = InvestorProfile.objects.values().get(user=investor)

    response = client.post("/accounts/profile/", {**VALID, **changes})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert InvestorProfile.objects.values().get(user=investor) == before


def test_choosing_english_switches_the_interface(client, investor):
    response = client.post("/accounts/profile/", {**VALID, "preferred_language": "en"})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    investor.refresh_from_db()
    assert investor.preferred_language == "en"
    page = client.get(response["Location"]).content.decode()
    assert "Your profile is saved." in page
    assert 'dir="ltr"' in page
