"""Webhooks, rows first: fan-out turns new domain event rows into delivery rows (unique per endpoint and event);
a delivery attempt claims a due row, signs and POSTs it, and records the outcome with the next due time on the
Standard Webhooks retry schedule. Beat sweeps due rows, so a lost task only delays a delivery."""

import datetime
import email.utils
import json
import random
import time

import requests
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opportunities.choices import Status
from opportunities.models import OpportunityEvent
from opportunities.selectors import opportunities_visible_to

from . import signing, ssrf
from .choices import DeliveryState, EventSource, EventType
from .models import WebhookDelivery, WebhookEndpoint
from .services import endpoint_disable, endpoint_signing_secrets

# Seconds before attempt n+1 (the first is immediate), from the Standard Webhooks specification.
SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
JITTER = 0.1
LEASE = datetime.timedelta(seconds=120)  # a claimed row is not claimed again while its attempt may still run
FANOUT_BATCH = 2000
INQUIRY_TYPES = {
    "inquiry.created": EventType.INQUIRY_CREATED,
    "inquiry.status_changed": EventType.INQUIRY_STATUS_CHANGED,
}


def inquiry_event_model():
    """Inquiry events when the inquiries app (issue 6) is installed; webhooks work without it."""
    try:
        return apps.get_model("inquiries", "InquiryEvent")
    except LookupError:
        return None


def latest_event_ids() -> tuple[int, int]:
    model = inquiry_event_model()
    last_opportunity = OpportunityEvent.objects.aggregate(m=Max("id"))["m"] or 0
    last_inquiry = (model.objects.aggregate(m=Max("id"))["m"] or 0) if model else 0
    return last_opportunity, last_inquiry


def opportunity_event_types(event: OpportunityEvent) -> list[str]:
    if event.kind == OpportunityEvent.Kind.UPDATED:
        return [EventType.OPPORTUNITY_UPDATED]
    if event.kind != OpportunityEvent.Kind.STATUS_CHANGED:
        return []
    types = [EventType.OPPORTUNITY_STATUS_CHANGED]
    if event.to_status == Status.PUBLISHED:
        types.append(EventType.OPPORTUNITY_PUBLISHED)
    return types


def opportunity_payload(event: OpportunityEvent, event_type: str) -> dict:
    reference = event.opportunity.reference
    data = {
        "event_id": event.pk,
        "reference": reference,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "url": f"{settings.SITE_URL}/api/v1/opportunities/{reference}/",
    }
    return {"type": event_type, "timestamp": event.created_at.isoformat(), "data": data}


def inquiry_payload(event, event_type: str) -> dict:
    data = {
        "event_id": event.pk,
        "inquiry_id": event.inquiry_id,
        "from_status": event.from_status,
        "to_status": event.to_status,
    }
    return {"type": event_type, "timestamp": event.created_at.isoformat(), "data": data}


def _delivery(endpoint, source: str, event_id: int, event_type: str, payload: dict, now) -> WebhookDelivery:
    return WebhookDelivery(
        endpoint=endpoint,
        source=source,
        source_event_id=event_id,
        event_type=event_type,
        message_id=f"msg_{endpoint.pk}-{source[0]}{event_id}-{event_type}",
        payload=payload,
        next_attempt_at=now,
    )


def _opportunity_rows(endpoint, now) -> list[WebhookDelivery]:
    events = list(
        OpportunityEvent.objects.filter(id__gt=endpoint.last_opportunity_event_id)
        .select_related("opportunity")
        .order_by("id")[:FANOUT_BATCH]
    )
    if not events:
        return []
    endpoint.last_opportunity_event_id = events[-1].pk
    visible = set(
        opportunities_visible_to(endpoint.partner.user)
        .filter(pk__in={e.opportunity_id for e in events})
        .values_list("pk", flat=True)
    )
    return [
        _delivery(endpoint, EventSource.OPPORTUNITY, e.pk, t, opportunity_payload(e, t), now)
        for e in events
        if e.opportunity_id in visible
        for t in opportunity_event_types(e)
        if t in endpoint.event_types
    ]


def _inquiry_rows(endpoint, now) -> list[WebhookDelivery]:
    """Only events of inquiries the partner submitted itself (its own inquiries)."""
    model = inquiry_event_model()
    if model is None:
        return []
    events = list(model.objects.filter(id__gt=endpoint.last_inquiry_event_id).order_by("id")[:FANOUT_BATCH])
    if not events:
        return []
    endpoint.last_inquiry_event_id = events[-1].pk
    own = set(
        model.objects.filter(pk__in=[e.pk for e in events], inquiry__user=endpoint.partner.user).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for e in events:
        event_type = INQUIRY_TYPES.get(e.kind)
        if e.pk in own and event_type in endpoint.event_types:
            rows.append(_delivery(endpoint, EventSource.INQUIRY, e.pk, event_type, inquiry_payload(e, event_type), now))
    return rows


def endpoint_fanout(*, endpoint_id: int) -> int:
    """New event rows → delivery rows for one endpoint, and the high-water marks moved, in one transaction.
    Idempotent: the unique constraint and the marks make a second run create nothing."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().select_related("partner__user").get(pk=endpoint_id)
        if not endpoint.is_active:
            return 0
        now = timezone.now()
        rows = _opportunity_rows(endpoint, now) + _inquiry_rows(endpoint, now)
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        endpoint.save(update_fields=["last_opportunity_event_id", "last_inquiry_event_id"])
    return len(rows)


def fanout_all() -> int:
    ids = WebhookEndpoint.objects.filter(is_active=True, partner__is_active=True).values_list("pk", flat=True)
    return sum(endpoint_fanout(endpoint_id=pk) for pk in ids)


def deliveries_due(*, limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now(), endpoint__is_active=True
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def _claim(delivery_id: int, now) -> bool:
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
        ).update(next_attempt_at=now + LEASE, last_attempt_at=now)
    )


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def _send(delivery: WebhookDelivery) -> tuple[int | None, str, float | None]:
    """POST once. Returns (status code or None, error text, Retry-After seconds)."""
    endpoint = delivery.endpoint
    try:
        ssrf.url_check(endpoint.url)
    except ValidationError as error:
        return None, "; ".join(error.messages)[:300], None
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    secrets_ = endpoint_signing_secrets(endpoint=endpoint)
    headers = {
        "content-type": "application/json",
        "user-agent": "iob-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(
            secrets_=secrets_, message_id=delivery.message_id, timestamp=timestamp, body=body
        ),
    }
    try:
        response = requests.post(
            endpoint.url, data=body, headers=headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:300], None
    return response.status_code, "", retry_after_seconds(response.headers.get("Retry-After"))


def _record(delivery: WebhookDelivery, status_code: int | None, error: str, retry_after: float | None) -> str:
    now = timezone.now()
    fields = {"last_status_code": status_code, "last_error": error, "attempts": delivery.attempts + 1}
    if status_code is not None and 200 <= status_code < 300:
        fields |= {"state": DeliveryState.SUCCEEDED, "delivered_at": now, "next_attempt_at": None}
    elif status_code == 410:
        endpoint_disable(endpoint=delivery.endpoint, reason="HTTP 410 Gone")
        fields |= {"state": DeliveryState.FAILED, "next_attempt_at": None}
    elif fields["attempts"] >= len(SCHEDULE):
        fields |= {"state": DeliveryState.FAILED, "next_attempt_at": None}
    else:
        delay = SCHEDULE[fields["attempts"]] * random.uniform(1 - JITTER, 1 + JITTER)
        delay = max(delay, retry_after or 0)
        fields["next_attempt_at"] = now + datetime.timedelta(seconds=delay)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    return fields.get("state", DeliveryState.PENDING)


def delivery_attempt(*, delivery_id: int) -> str | None:
    """One attempt if the row is due and unclaimed; None when someone else has it or it is not due (idempotent)."""
    if not _claim(delivery_id, timezone.now()):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    return _record(delivery, *_send(delivery))


def delivery_redeliver(*, delivery: WebhookDelivery) -> None:
    """Manual redelivery from the log: due now, same webhook-id (receivers deduplicate on it)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, next_attempt_at=timezone.now(), last_error=""
    )
