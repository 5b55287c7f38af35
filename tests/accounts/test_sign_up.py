"""Sign-up and e-mail verification: a row in the outbox, a signed link that works once, clear failures."""

import json
import time
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import signing

from accounts import tokens
from accounts.choices import Role
from accounts.models import InvestorProfile, User
from registry.models import OutboundEmail
from tests.accounts.helpers import link_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "Investor@Example.com",
    "password": "copper-and-zinc-1404",
    "password_confirm": "copper-and-zinc-1404",
    "first_name": "Sara",
    "last_name": "Ahmadi",
    "company": "Tabriz Mining Co",
    "country": "Türkiye",
    "accept_terms": "on",
}


def sign_up(client, prefix="", **changes):
    return client.post(f"{prefix}/accounts/sign-up/", {**SIGN_UP, **changes})


def test_sign_up_creates_an_unverified_investor_and_queues_the_verification_email(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify/"
    user = User.objects.get()
    assert user.email == "investor@example.com"
    assert user.role == Role.INVESTOR
    assert user.is_active  # active but unverified: may browse and watch at once
    assert user.preferred_language == "fa"
    profile = user.investor_profile
    assert (profile.company, profile.country) == ("Tabriz Mining Co", "Türkiye")
    assert profile.email_verified_at is None
    assert profile.terms_accepted_at is not None
    email = OutboundEmail.objects.get()
    assert email.key.startswith(f"verify:{user.pk}:")
    assert email.to == "investor@example.com"
    assert email.language == "fa"
    assert "/accounts/verify/" in email.body_text
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_verification_email_follows_the_language_of_the_sign_up_page(client):
    sign_up(client, prefix="/en")

    email = OutboundEmail.objects.get()
    assert email.language == "en"
    assert "/en/accounts/verify/" in email.body_text
    assert "Confirm your e-mail address" in email.subject


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"password_confirm": "something-else-1404"}, "password_confirm"),
        ({"accept_terms": ""}, "accept_terms"),
        ({"password": "12345678", "password_confirm": "12345678"}, "password"),
        ({"password": "investor", "password_confirm": "investor"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "TAKEN@example.com"}, "email"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_bad_sign_up_is_a_field_error_and_writes_nothing(client, changes, field):
    UserFactory(email="taken@example.com")
    users_before = User.objects.count()

    response = sign_up(client, **changes)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert User.objects.count() == users_before
    assert not InvestorProfile.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert SESSION_KEY not in client.session


@pytest.mark.usefixtures("english")
def test_the_verification_link_works_once(client):
    sign_up(client)
    link = link_in(OutboundEmail.objects.get(), "/accounts/verify/")
    client.post("/accounts/logout/")

    shown = client.get(link)
    assert shown.status_code == 200
    assert "verify-problem" not in shown.content.decode()  # a mail scanner's GET spends nothing
    assert InvestorProfile.objects.get().email_verified_at is None

    first = client.post(link)
    assert first.status_code == 302
    assert first["Location"] == "/accounts/profile/"
    profile = InvestorProfile.objects.get()
    verified_at = profile.email_verified_at
    assert verified_at is not None
    assert client.session[SESSION_KEY] == str(profile.user_id)  # verifying signs the person in

    second = client.post(link)
    assert second.status_code == 400
    assert second.context["problem"] == "used"
    assert "already been used" in second.context["message"]
    profile.refresh_from_db()
    assert profile.email_verified_at == verified_at


@pytest.mark.usefixtures("english")
def test_a_tampered_link_fails_clearly_and_verifies_nothing(client):
    sign_up(client)
    link = link_in(OutboundEmail.objects.get(), "/accounts/verify/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = client.post(link.replace(token, forged))

    assert response.status_code == 400
    assert response.context["problem"] == "invalid"
    assert "not valid" in response.context["message"]
    assert InvestorProfile.objects.get().email_verified_at is None


def test_a_token_for_another_user_id_cannot_be_forged():
    user = UserFactory()
    InvestorProfile.objects.create(user=user)
    token = tokens.verification_token_make(user)
    payload, timestamp, signature = token.split(":")
    claims = json.loads(signing.b64_decode(payload.encode()))
    forged = signing.b64_encode(json.dumps({**claims, "u": user.pk + 1}, separators=(",", ":")).encode()).decode()

    uid, _hash, problem = tokens.verification_token_read(f"{forged}:{timestamp}:{signature}")

    assert claims["u"] == user.pk
    assert (uid, problem) == (None, tokens.TokenProblem.INVALID)
    assert tokens.verification_token_read(token)[0] == user.pk


def test_an_expired_link_fails_clearly(client):
    user = UserFactory()
    InvestorProfile.objects.create(user=user)
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        token = tokens.verification_token_make(user)

    response = client.post(f"/en/accounts/verify/{token}/")

    assert response.status_code == 400
    assert response.context["problem"] == "expired"
    assert "expired" in response.content.decode()
    assert InvestorProfile.objects.get().email_verified_at is None


def test_asking_again_sends_a_new_link_at_most_once_a_minute(client):
    sign_up(client)

    client.post("/accounts/verify/")
    client.post("/accounts/verify/")

    assert OutboundEmail.objects.filter(key__startswith="verify:").count() == 1
    OutboundEmail.objects.update(created_at=OutboundEmail.objects.get().created_at.replace(year=2000))
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 120):  # a new token
        client.post("/accounts/verify/")
    assert OutboundEmail.objects.filter(key__startswith="verify:").count() == 2


def test_verification_emails_leave_after_commit(client, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["investor@example.com"]
    assert OutboundEmail.objects.get().state == OutboundEmail.State.SENT
