"""Password reset through Django's views, with the message written to the outbox and sent after commit."""

import pytest
from django.contrib.auth import SESSION_KEY

from registry.models import OutboundEmail
from tests.accounts.helpers import link_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reset_email_is_an_outbox_row_sent_after_commit(client, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory(email="sara@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password-reset/", {"email": "SARA@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    email = OutboundEmail.objects.get()
    assert email.key.startswith(f"password-reset:{user.pk}:")
    assert email.to == "sara@example.com"
    assert email.language == "en"
    assert email.state == OutboundEmail.State.SENT
    assert len(mailoutbox) == 1
    assert "/en/accounts/password-reset/" in mailoutbox[0].body


def test_the_reset_link_sets_a_new_password_once(client):
    UserFactory(email="sara@example.com")
    client.post("/accounts/password-reset/", {"email": "sara@example.com"})
    link = link_in(OutboundEmail.objects.get(), "/accounts/password-reset/")

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "pomegranate-1404-x", "new_password2": "pomegranate-1404-x"})
    assert done.status_code == 302

    assert client.get(link, follow=True).context["validlink"] is False
    signed_in = client.post("/accounts/login/", {"username": "sara@example.com", "password": "pomegranate-1404-x"})
    assert signed_in.status_code == 302
    assert SESSION_KEY in client.session


def test_an_unknown_address_gets_the_same_page_and_no_email(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert not OutboundEmail.objects.exists()
