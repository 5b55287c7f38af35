"""The delivery log in the admin: listed with its endpoint, and a failed delivery can be sent again."""

import pytest
from django.utils import timezone

from accounts.choices import Role
from partners import services, webhooks
from partners.choices import DeliveryState, EventType
from partners.models import WebhookDelivery, WebhookEndpoint
from tests.factories import UserFactory

from .receiver import Receiver, start


@pytest.fixture
def superuser_client(db, client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    return client


def test_delivery_log_and_manual_redelivery(superuser_client, partner, catalogue, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    receiver = start(Receiver(script=[(500, {}, 0)] * 10))
    try:
        endpoint = services.endpoint_register(partner=partner, url=receiver.url, event_types=list(EventType.values))
        # The catalogue predates the endpoint: replay its events (an endpoint otherwise hears only newer ones).
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(last_opportunity_event_id=0)
        webhooks.fanout_all()
        delivery = WebhookDelivery.objects.order_by("pk").first()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED, next_attempt_at=None)
        page = superuser_client.get("/admin/partners/webhookdelivery/")
        assert page.status_code == 200 and delivery.message_id in page.content.decode()
        response = superuser_client.post(
            "/admin/partners/webhookdelivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}
        )
        assert response.status_code == 302
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.PENDING and delivery.next_attempt_at <= timezone.now()
        assert superuser_client.get(f"/admin/partners/webhookendpoint/{endpoint.pk}/change/").status_code == 200
        assert superuser_client.get("/admin/partners/partnerapikey/").status_code == 200
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
