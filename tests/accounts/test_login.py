"""Sign-in by e-mail with django-axes: five failures for one address from one IP lock it out, pleasantly (429)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-strong-password-1404"  # tests.factories.UserFactory's


def attempt(client, email, password, prefix="", ip="10.0.0.1"):
    return client.post(f"{prefix}/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_by_email_ignores_case_and_spaces(client):
    user = UserFactory(email="sara@example.com")

    response = attempt(client, "  Sara@Example.COM ", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_an_address_stored_with_capitals_signs_in_typed_in_lower_case(client):
    user = UserFactory()
    type(user).objects.filter(pk=user.pk).update(email="Omid.Rezaei@Example.com")  # as the admin may store it

    response = attempt(client, "omid.rezaei@example.com", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_sign_in_returns_to_next(client):
    UserFactory(email="sara@example.com")

    response = client.post(
        "/accounts/login/", {"username": "sara@example.com", "password": PASSWORD, "next": "/opportunities/?q=x"}
    )

    assert response["Location"] == "/opportunities/?q=x"


@pytest.mark.usefixtures("english")
def test_a_wrong_password_is_a_clear_form_error(client):
    UserFactory(email="sara@example.com")

    response = attempt(client, "sara@example.com", "wrong")

    assert response.status_code == 200
    assert "not right" in response.context["form"].non_field_errors()[0]
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("prefix, text", [("", 'dir="rtl"'), ("/en", "Too many sign-in attempts")])
def test_five_failures_lock_the_address_out_even_with_the_right_password(client, prefix, text):
    UserFactory(email="sara@example.com")

    statuses = [attempt(client, "sara@example.com", f"wrong-{n}", prefix).status_code for n in range(5)]
    locked = attempt(client, "SARA@example.com", PASSWORD, prefix)

    assert statuses == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert text in html
    assert 'data-testid="locked-out"' in html
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.get().username == "sara@example.com"  # one counter whatever the case typed


def test_the_lockout_page_names_the_wait_in_the_readers_digits(client):
    UserFactory(email="sara@example.com")
    for n in range(5):
        attempt(client, "sara@example.com", f"wrong-{n}", "/en")
    fa = attempt(client, "sara@example.com", "wrong", "")
    en = attempt(client, "sara@example.com", "wrong", "/en")

    assert "۱۵" in fa.content.decode()
    assert "try again in 15 minutes" in en.content.decode()


def test_the_lockout_is_per_address_and_ip(client):
    UserFactory(email="sara@example.com")
    other = UserFactory(email="omid@example.com")
    for n in range(5):
        attempt(client, "sara@example.com", f"wrong-{n}")

    same_ip_other_address = attempt(client, "omid@example.com", PASSWORD)
    assert same_ip_other_address.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)
    client.post("/accounts/logout/")
    other_ip_same_address = attempt(client, "sara@example.com", PASSWORD, ip="10.0.0.2")
    assert other_ip_same_address.status_code == 302


def test_a_successful_sign_in_clears_the_failures(client):
    UserFactory(email="sara@example.com")
    for n in range(4):
        attempt(client, "sara@example.com", f"wrong-{n}")
    assert attempt(client, "sara@example.com", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    statuses = [attempt(client, "sara@example.com", f"again-{n}").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 200]


def test_sign_out_is_post_only(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.session[SESSION_KEY] == str(user.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_the_navbar_offers_sign_in_to_visitors_and_the_account_menu_to_investors(client):
    visitor = client.get("/en/").content.decode()
    assert "/en/accounts/login/?next=/en/" in visitor
    assert "/en/accounts/sign-up/" in visitor

    client.force_login(UserFactory(first_name="Sara"))
    member = client.get("/en/").content.decode()
    assert "/en/me/watchlist/" in member
    assert "/en/me/saved-searches/" in member
    assert "/en/accounts/profile/" in member
    assert 'action="/en/accounts/logout/"' in member
    assert "Sara" in member
