"""`POST /api/v1/inquiries/`: rows first, idempotency keys, the spam guard (honeypot, rate limits, length caps)
and visibility (an opportunity the visitor cannot see is a 404 with nothing stored)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime

from inquiries.choices import EventKind, Status
from inquiries.models import Inquiry, InquiryEvent, InquiryIdempotencyKey
from registry.models import OutboundEmail
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/inquiries/"


def body(target, **overrides) -> dict:
    return {
        "opportunity": target.reference,
        "name": "مریم احمدی",
        "email": "maryam@example.com",
        "company": "شرکت نمونه",
        "country": "ایران",
        "phone": "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "ticket_size": "۵۰ میلیون",
        "ticket_currency": "USD",
        "investment_mode": "joint_venture",
        "language": "fa",
        "message": "لطفاً مطالعات امکان‌سنجی این طرح را بفرستید.",
        **overrides,
    }


@pytest.fixture
def post(api_client, django_capture_on_commit_callbacks):
    """POST as a client does, with the after-commit work (e-mail sending, assignment) run as it would be."""

    def send(data, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return api_client.post(URL, data, format="json", **headers)

    return send


def counts() -> tuple[int, int, int, int]:
    return (
        Inquiry.objects.count(),
        InquiryEvent.objects.count(),
        OutboundEmail.objects.count(),
        InquiryIdempotencyKey.objects.count(),
    )


def test_submission_saves_inquiry_event_and_emails_in_one_go(post, opportunity, staff_wa, staff_ea):
    response = post(body(opportunity))

    assert response.status_code == 201
    inquiry = Inquiry.objects.get(pk=response.json()["id"])
    assert inquiry.status == Status.NEW
    assert inquiry.province.code == "WA" and inquiry.opportunity == opportunity
    assert inquiry.ticket_size == Decimal("50000000.00") and inquiry.ticket_currency_id == "USD"
    assert inquiry.phone == "0912 123 4567"
    assert inquiry.first_response_due_at > inquiry.created_at
    assert list(inquiry.events.values_list("kind", flat=True)) == [EventKind.CREATED, EventKind.ASSIGNED]
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert keys == {
        f"inquiry:{inquiry.pk}:ack:maryam@example.com",
        f"inquiry:{inquiry.pk}:staff-new:{staff_wa.email}",
    }  # the other province's staff hear nothing
    assert inquiry.assignee == staff_wa  # the assignment task ran after commit (inline in tests)
    assert response.json() == {
        "id": inquiry.pk,
        "reference": inquiry.reference,
        "status": "received",
        "language": "fa",
        "created_at": localtime(inquiry.created_at).isoformat(),
        "first_response_due_at": localtime(inquiry.first_response_due_at).isoformat(),
    }


def test_acknowledgement_is_in_the_investors_language(post, opportunity, staff_wa):
    post(body(opportunity, language="en", email="john@example.com"))

    ack = OutboundEmail.objects.get(key__contains=":ack:")
    assert ack.language == "en" and ack.to == "john@example.com"
    assert "Thank you for your inquiry" in ack.body_text
    assert "/en/inquiries/t/" in ack.body_text


def test_a_general_inquiry_names_a_province_and_sector(post, staff_wa):
    response = post({**body(OpportunityFactory()), "opportunity": "", "province": "WA", "sector": "MIN"})

    assert response.status_code == 201
    inquiry = Inquiry.objects.get(pk=response.json()["id"])
    assert inquiry.opportunity is None and inquiry.province.code == "WA" and inquiry.sector.code == "MIN"


def test_same_idempotency_key_and_body_creates_one_inquiry_and_the_same_body(post, opportunity, staff_wa):
    first = post(body(opportunity), HTTP_IDEMPOTENCY_KEY="retry-1")
    before = counts()

    second = post(body(opportunity), HTTP_IDEMPOTENCY_KEY="retry-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert counts() == before == (1, 2, 2, 1)  # created + assigned events; ack + staff e-mails; one key


def test_same_idempotency_key_with_another_body_is_refused_and_changes_nothing(post, opportunity, staff_wa):
    post(body(opportunity), HTTP_IDEMPOTENCY_KEY="retry-2")
    before = counts()

    response = post(body(opportunity, message="یک پرسش دیگر درباره همین طرح"), HTTP_IDEMPOTENCY_KEY="retry-2")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert counts() == before


def test_different_keys_make_different_inquiries(post, opportunity, staff_wa):
    for key in ("a", "b"):
        assert post(body(opportunity), HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    assert Inquiry.objects.count() == 2


def test_honeypot_is_accepted_silently_stored_as_spam_with_no_email(post, opportunity, staff_wa):
    response = post(body(opportunity, website="http://spam.example"))

    assert response.status_code == 201
    assert set(response.json()) == {"id", "reference", "status", "language", "created_at", "first_response_due_at"}
    assert response.json()["status"] == "received"
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.SPAM and inquiry.assignee is None
    assert OutboundEmail.objects.count() == 0
    assert len(mail.outbox) == 0


def test_rate_limit_per_ip_answers_429_with_retry_after(post, opportunity, staff_wa, settings):
    settings.INQUIRY_RATE_LIMIT_PER_IP = "3/hour"
    for n in range(3):
        response = post(body(opportunity, email=f"p{n}@example.com"))
        assert response.status_code == 201

    response = post(body(opportunity, email="p9@example.com"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Inquiry.objects.count() == 3


def test_rate_limit_per_email_answers_429(post, opportunity, staff_wa, settings):
    settings.INQUIRY_RATE_LIMIT_PER_EMAIL = "2/day"
    statuses = [
        post(body(opportunity, email="Same@Example.com ")).status_code,
        post(body(opportunity, email="same@example.com")).status_code,
        post(body(opportunity, email="same@example.com")).status_code,
        post(body(opportunity, email="other@example.com")).status_code,
    ]
    assert statuses == [201, 201, 429, 201]


def test_an_idempotent_retry_is_not_rate_limited(post, opportunity, staff_wa, settings):
    settings.INQUIRY_RATE_LIMIT_PER_IP = "1/hour"
    first = post(body(opportunity), HTTP_IDEMPOTENCY_KEY="k")
    retry = post(body(opportunity), HTTP_IDEMPOTENCY_KEY="k")
    assert (first.status_code, retry.status_code) == (201, 201)


@pytest.mark.parametrize(
    ("field", "length"),
    [("name", 201), ("email", 255), ("company", 201), ("country", 101), ("phone", 41), ("message", 5001)],
)
def test_length_caps_are_a_400_naming_the_field(post, opportunity, field, length):
    value = ("a" * (length - len("@example.com")) + "@example.com") if field == "email" else "۱" * length

    response = post(body(opportunity, **{field: value}))

    assert response.status_code == 400
    assert field in response.json()
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ticket_size": "lots"}, "ticket_size"),
        ({"ticket_currency": None}, "ticket_currency"),
        ({"investment_mode": "barter"}, "investment_mode"),
        ({"language": "de"}, "language"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"message": "hi"}, "message"),
        ({"opportunity": ""}, "province"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(post, opportunity, overrides, field):
    response = post(body(opportunity, **overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert counts() == (0, 0, 0, 0)


def test_an_opportunity_the_visitor_cannot_see_is_404_and_nothing_is_stored(post):
    draft = OpportunityFactory(published=False)

    response = post(body(draft), HTTP_IDEMPOTENCY_KEY="draft")

    assert response.status_code == 404
    assert counts() == (0, 0, 0, 0)


def test_staff_of_the_province_may_ask_about_its_draft(post, api_client, staff_wa):
    draft = OpportunityFactory(published=False)
    api_client.force_authenticate(staff_wa)
    assert post(body(draft)).status_code == 201


def test_submission_does_a_bounded_number_of_queries(api_client, opportunity, staff_wa):
    with CaptureQueriesContext(connection) as queries:  # after-commit work is not run here: it is the worker's
        response = api_client.post(URL, body(opportunity), format="json", HTTP_IDEMPOTENCY_KEY="q")
    assert response.status_code == 201
    assert len(queries) <= 20, [q["sql"] for q in queries.captured_queries]


def test_a_concurrent_retry_that_missed_the_replay_check_rolls_back_and_replays(opportunity, staff_wa):
    from inquiries import services

    from .factories import CONTACT

    key = services.IdempotencyRequest(key="race", fingerprint="f" * 64)
    first, created_first = services.inquiry_submit(
        data=CONTACT, province=opportunity.province, opportunity=opportunity, idempotency=key
    )
    before = counts()

    second, created_second = services.inquiry_submit(
        data=CONTACT, province=opportunity.province, opportunity=opportunity, idempotency=key
    )

    assert (created_first, created_second) == (True, False)
    assert second == first
    assert counts() == before
