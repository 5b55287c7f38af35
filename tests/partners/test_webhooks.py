"""Webhooks: fan-out rows, signatures checked with the standardwebhooks reference library, retries until a 2xx,
410, Retry-After, timeouts, rotation, redelivery and the SSRF guard."""

import datetime
import socket

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from opportunities import services as catalogue_services
from partners import services, tasks, webhooks
from partners.choices import DeliveryState, EventType
from partners.models import WebhookDelivery, WebhookEndpoint
from tests.factories import OpportunityFactory

from .conftest import key_client
from .receiver import Receiver, start

ALL_TYPES = list(EventType.values)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 2
    server = start(Receiver())
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def endpoint(partner, receiver):
    return services.endpoint_register(partner=partner, url=receiver.url, event_types=ALL_TYPES)


def _make_everything_due():
    WebhookDelivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=timezone.now())


def test_fanout_makes_one_row_per_event_and_type_and_is_idempotent(endpoint, catalogue):
    """Published WA and Qom: status_changed + published each; the WA draft's creation is no webhook; the Qom
    draft is invisible to a WA partner."""
    first = webhooks.fanout_all()
    again = webhooks.fanout_all()
    assert (first, again) == (4, 0)
    rows = set(WebhookDelivery.objects.values_list("payload__data__reference", "event_type"))
    assert rows == {
        (catalogue[name].reference, event_type)
        for name in ("wa_published", "qm_published")
        for event_type in (EventType.OPPORTUNITY_STATUS_CHANGED, EventType.OPPORTUNITY_PUBLISHED)
    }


def test_endpoint_hears_only_events_after_registration_and_its_types(partner, receiver, catalogue):
    endpoint = services.endpoint_register(
        partner=partner, url=receiver.url, event_types=[EventType.OPPORTUNITY_UPDATED]
    )
    catalogue_services.opportunity_update(opportunity=catalogue["wa_draft"], actor=None, data={"jobs": 9})
    OpportunityFactory()  # published: status_changed/published, not subscribed
    assert webhooks.endpoint_fanout(endpoint_id=endpoint.pk) == 1
    assert WebhookDelivery.objects.get().event_type == EventType.OPPORTUNITY_UPDATED


def test_signatures_verify_with_the_reference_library(endpoint, receiver, catalogue):
    tasks.webhooks_fanout()  # eager: fans out, then sweeps and delivers
    assert len(receiver.requests) == 4
    verifier = Webhook(endpoint.secret)
    for request in receiver.requests:
        payload = verifier.verify(request.body, request.headers)
        assert payload["type"].startswith("opportunity.")
    assert WebhookDelivery.objects.filter(state=DeliveryState.SUCCEEDED).count() == 4


def test_rotated_secret_signs_twice_while_both_are_valid(endpoint, receiver, catalogue):
    old = endpoint.secret
    new = services.endpoint_rotate_secret(endpoint=endpoint)
    tasks.webhooks_fanout()
    request = receiver.requests[0]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(request.body, request.headers)
    Webhook(new).verify(request.body, request.headers)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    endpoint.refresh_from_db()
    assert services.endpoint_signing_secrets(endpoint=endpoint) == [new]


def test_failing_receiver_that_recovers_gets_each_event_once(endpoint, receiver, catalogue):
    receiver.script = [(500, {}, 0), (502, {}, 0), (200, {}, 0), (503, {}, 0)]
    before = timezone.now()
    tasks.webhooks_fanout()
    after = timezone.now()
    failed = WebhookDelivery.objects.filter(state=DeliveryState.PENDING)
    assert failed.count() == 3
    # The schedule's 5 s with 10% jitter, counted from when the attempt ended (the POST's own time comes on top).
    low, high = before + datetime.timedelta(seconds=4.5), after + datetime.timedelta(seconds=5.5)
    assert all(low <= d.next_attempt_at <= high for d in failed)
    assert all(d.next_attempt_at - d.last_attempt_at >= datetime.timedelta(seconds=4.5) for d in failed)
    assert tasks.webhooks_sweep() == 0  # nothing due yet
    _make_everything_due()
    tasks.webhooks_sweep()
    assert WebhookDelivery.objects.filter(state=DeliveryState.SUCCEEDED).count() == 4
    delivered = receiver.delivered_ids()
    assert sorted(delivered) == sorted(set(WebhookDelivery.objects.values_list("message_id", flat=True)))
    assert len(receiver.requests) == 7


def test_delivery_attempt_is_idempotent(endpoint, receiver, catalogue):
    webhooks.fanout_all()
    delivery = WebhookDelivery.objects.first()
    assert tasks.webhook_deliver(delivery.pk) == DeliveryState.SUCCEEDED
    assert tasks.webhook_deliver(delivery.pk) is None
    assert len(receiver.requests) == 1


def test_gone_disables_the_endpoint(endpoint, receiver, catalogue):
    receiver.script = [(410, {}, 0)]
    webhooks.fanout_all()
    first, *rest = WebhookDelivery.objects.order_by("pk")
    webhooks.delivery_attempt(delivery_id=first.pk)
    endpoint.refresh_from_db()
    assert endpoint.is_active is False and "410" in endpoint.disabled_reason
    assert tasks.webhooks_sweep() == 0
    assert len(receiver.requests) == 1
    assert webhooks.fanout_all() == 0


def test_retry_after_is_honoured(endpoint, receiver, catalogue):
    receiver.script = [(429, {"Retry-After": "120"}, 0)]
    webhooks.fanout_all()
    delivery = WebhookDelivery.objects.order_by("pk").first()
    webhooks.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.last_status_code == 429
    assert (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds() >= 120


def test_timeout_is_a_failed_attempt(endpoint, receiver, catalogue, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.3
    receiver.script = [(200, {}, 1.0)]
    webhooks.fanout_all()
    delivery = WebhookDelivery.objects.order_by("pk").first()
    webhooks.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert "Timeout" in delivery.last_error


def test_schedule_exhausted_fails_for_good_and_redelivery_restarts(endpoint, receiver, catalogue):
    webhooks.fanout_all()
    delivery = WebhookDelivery.objects.order_by("pk").first()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=len(webhooks.SCHEDULE) - 1)
    receiver.script = [(500, {}, 0)]
    webhooks.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.next_attempt_at is None
    webhooks.delivery_redeliver(delivery=delivery)
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) == DeliveryState.SUCCEEDED
    assert receiver.requests[-1].headers["webhook-id"] == delivery.message_id


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/hook",
        "http://127.0.0.1:8000/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
        "http://192.168.1.10/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.org/hook",
    ],
)
def test_ssrf_addresses_refused_at_registration(partner, settings, url):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(ValidationError) as error:
        services.endpoint_register(partner=partner, url=url, event_types=ALL_TYPES)
    assert "url" in error.value.message_dict
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.usefixtures("english")
def test_ssrf_checked_again_at_send_time(endpoint, receiver, catalogue, settings):
    """The host name may resolve elsewhere later (DNS rebinding): the send re-resolves and refuses."""
    webhooks.fanout_all()
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    delivery = WebhookDelivery.objects.order_by("pk").first()
    webhooks.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert delivery.state == DeliveryState.PENDING and "not reachable" in delivery.last_error


def test_public_hostname_accepted(partner, monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *args, **kwargs: [(socket.AF_INET, 1, 6, "", ("93.184.215.14", 443))]
    )
    endpoint = services.endpoint_register(
        partner=partner, url="https://hooks.example.org/in", event_types=[EventType.OPPORTUNITY_PUBLISHED]
    )
    assert endpoint.secret.startswith("whsec_")


def test_unknown_event_types_refused(partner, receiver):
    with pytest.raises(ValidationError):
        services.endpoint_register(partner=partner, url=receiver.url, event_types=["opportunity.deleted"])


def test_deliveries_sweep_ignores_rows_not_due(endpoint, catalogue):
    webhooks.fanout_all()
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))
    assert webhooks.deliveries_due() == []


def test_inquiry_events_only_for_the_partners_own_inquiries(partner, receiver, issue_key, db):
    endpoint = services.endpoint_register(partner=partner, url=receiver.url, event_types=[EventType.INQUIRY_CREATED])
    _key, raw = issue_key(["inquiries:submit"])
    inquiry = {"province": "WA", "name": "Desk", "email": "desk@partners.example", "message": "Terms please."}
    assert key_client(raw).post("/api/v1/inquiries/", inquiry, format="json").status_code == 201
    APIClient().post("/api/v1/inquiries/", {**inquiry, "email": "guest@example.com"}, format="json")
    tasks.webhooks_fanout()
    assert [Webhook(endpoint.secret).verify(r.body, r.headers)["type"] for r in receiver.requests] == [
        "inquiry.created"
    ]
