"""The lifecycle: the one transition table, role × move matrices (allowed → the new status and exactly one event;
denied → 403/404 and the database unchanged), first responses, notes, messages, assignment and follow-up."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict

from inquiries import services
from inquiries.choices import TRANSITIONS, EventKind, Status
from inquiries.models import Inquiry, InquiryEvent
from registry.models import OutboundEmail
from registry.services import message_id

from .factories import make_inquiry

pytestmark = pytest.mark.django_db

ALL_MOVES = [(source, target) for source in Status.values for target in Status.values if source != target]


def snapshot():
    """Everything a denied action must leave as it was."""
    return (
        [model_to_dict(inquiry) for inquiry in Inquiry.objects.order_by("pk")],
        InquiryEvent.objects.count(),
        OutboundEmail.objects.count(),
    )


def inquiry_in(status: str) -> Inquiry:
    inquiry = make_inquiry()
    Inquiry.objects.filter(pk=inquiry.pk).update(status=status)
    inquiry.refresh_from_db()
    return inquiry


def test_the_table_reaches_every_status_and_closed_ones_are_final():
    reachable = {target for targets in TRANSITIONS.values() for target in targets}
    assert reachable == set(Status.values) - {Status.NEW}
    assert TRANSITIONS[Status.WON] == TRANSITIONS[Status.LOST] == TRANSITIONS[Status.SPAM] == ()
    for status in (Status.NEW, Status.ACKNOWLEDGED, Status.IN_DISCUSSION, Status.SITE_VISIT, Status.TERM_SHEET):
        assert Status.SPAM in TRANSITIONS[status] and Status.LOST in TRANSITIONS[status]


@pytest.mark.parametrize(("source", "target"), ALL_MOVES)
def test_every_move_is_allowed_exactly_when_the_table_says(staff_wa, source, target):
    inquiry = inquiry_in(source)
    events_before = inquiry.events.count()
    allowed = target in TRANSITIONS[source]

    if allowed:
        services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=target, reason="بودجه کافی نبود")
        inquiry.refresh_from_db()
        assert inquiry.status == target
        assert inquiry.events.count() == events_before + 1
        event = inquiry.events.latest("id")
        assert (event.kind, event.from_status, event.to_status, event.actor) == (
            EventKind.STATUS_CHANGED, source, target, staff_wa,
        )  # fmt: skip
    else:
        before = snapshot()
        with pytest.raises(ValidationError) as error:
            services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=target, reason="x")
        assert "status" in error.value.message_dict
        assert snapshot() == before


def test_lost_needs_a_reason(staff_wa):
    inquiry = make_inquiry()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=Status.LOST, reason="  ")
    assert "reason" in error.value.message_dict
    assert snapshot() == before

    services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=Status.LOST, reason="سرمایه‌گذار منصرف شد")
    inquiry.refresh_from_db()
    assert inquiry.lost_reason == "سرمایه‌گذار منصرف شد" and inquiry.closed_at is not None


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("staff_wa", True), ("reviewer", True), ("administrator", True), ("staff_ea", False), ("investor", False)],
)
def test_who_may_move_an_inquiry_in_the_service(people, who, allowed):
    inquiry = make_inquiry()
    before = snapshot()
    if allowed:
        services.inquiry_transition(inquiry=inquiry, actor=people[who], to_status=Status.ACKNOWLEDGED)
        assert Inquiry.objects.get(pk=inquiry.pk).status == Status.ACKNOWLEDGED
    else:
        with pytest.raises(PermissionDenied):
            services.inquiry_transition(inquiry=inquiry, actor=people[who], to_status=Status.ACKNOWLEDGED)
        assert snapshot() == before


# The API: anonymous and non-staff are refused outright (403); staff of another province do not see it (404).
API_EXPECTED = {
    "anonymous": 403,
    "investor": 403,
    "staff_ea": 404,
    "staff_wa": 200,
    "reviewer": 200,
    "administrator": 200,
}
API_ACTIONS = {
    "transition": {"status": "acknowledged", "note": "با سرمایه‌گذار تماس گرفتیم"},
    "assign": {"assignee": None},
    "notes": {"note": "یادداشت داخلی"},
    "messages": {"message": "سلام، مطالعات امکان‌سنجی پیوست است."},
    "follow-up": {"follow_up_on": "2025-06-01"},
}


@pytest.mark.parametrize("who", list(API_EXPECTED))
@pytest.mark.parametrize("action", list(API_ACTIONS))
def test_api_role_by_action_matrix(api_client, people, django_capture_on_commit_callbacks, who, action):
    inquiry = make_inquiry()
    services.inquiry_auto_assign(inquiry_id=inquiry.pk)
    before = snapshot()
    if people[who] is not None:
        api_client.force_authenticate(people[who])

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/v1/inquiries/{inquiry.pk}/{action}/", API_ACTIONS[action], format="json")

    assert response.status_code == API_EXPECTED[who], response.content
    if response.status_code == 200:
        assert InquiryEvent.objects.count() == before[1] + 1  # exactly one event for the change
        assert response.json()["id"] == inquiry.pk
    else:
        assert snapshot() == before


def test_api_move_not_in_the_table_is_a_400_naming_status(api_client, staff_wa):
    inquiry = make_inquiry()
    api_client.force_authenticate(staff_wa)
    before = snapshot()

    response = api_client.post(f"/api/v1/inquiries/{inquiry.pk}/transition/", {"status": "won"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()
    assert snapshot() == before


def test_first_status_move_records_the_first_response_once(staff_wa):
    inquiry = make_inquiry()
    first = dt.datetime(2025, 5, 6, 10, 0, tzinfo=dt.UTC)
    services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=Status.ACKNOWLEDGED, now=first)
    services.inquiry_transition(
        inquiry=inquiry, actor=staff_wa, to_status=Status.IN_DISCUSSION, now=first + dt.timedelta(hours=2)
    )
    inquiry.refresh_from_db()
    assert inquiry.first_response_at == first


def test_marking_spam_is_not_a_response(staff_wa):
    inquiry = make_inquiry()
    services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=Status.SPAM)
    inquiry.refresh_from_db()
    assert inquiry.first_response_at is None and inquiry.status == Status.SPAM


def test_an_internal_note_is_not_a_response_and_not_shown_to_the_investor(staff_wa):
    inquiry = make_inquiry()
    event = services.inquiry_note_add(inquiry=inquiry, actor=staff_wa, text="  تماس تلفنی فردا  ")
    inquiry.refresh_from_db()
    assert inquiry.first_response_at is None
    assert (event.kind, event.note, event.actor) == (EventKind.NOTE_ADDED, "تماس تلفنی فردا", staff_wa)


def test_a_message_is_emailed_threaded_and_counts_as_the_first_response(staff_wa, django_capture_on_commit_callbacks):
    inquiry = make_inquiry()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.inquiry_message_send(inquiry=inquiry, actor=staff_wa, text="سلام، فایل طرح پیوست است.")

    inquiry.refresh_from_db()
    assert inquiry.first_response_at == event.created_at
    email = OutboundEmail.objects.get(key=f"inquiry:{inquiry.pk}:msg:{event.pk}:{inquiry.email}")
    assert email.to == inquiry.email and email.reply_to == staff_wa.email and email.language == "fa"
    assert "سلام، فایل طرح پیوست است." in email.body_text
    assert email.subject.startswith(f"[{inquiry.reference}]")
    ack_id = message_id(f"inquiry:{inquiry.pk}:ack:{inquiry.email}")
    assert event.data == {"In-Reply-To": ack_id, "References": ack_id}
    assert email.headers == {"In-Reply-To": ack_id, "References": ack_id}  # sent with the message, so it threads


def test_spam_gets_no_reply(staff_wa):
    inquiry = make_inquiry(spam=True)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.inquiry_message_send(inquiry=inquiry, actor=staff_wa, text="hello there")
    assert snapshot() == before


def test_assigning_someone_outside_the_province_is_refused(staff_wa, staff_ea):
    inquiry = make_inquiry()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.inquiry_assign(inquiry=inquiry, actor=staff_wa, assignee=staff_ea)
    assert "assignee" in error.value.message_dict
    assert snapshot() == before


def test_reassignment_is_an_event_and_tells_the_new_assignee(staff_wa, reviewer):
    inquiry = make_inquiry()
    services.inquiry_assign(inquiry=inquiry, actor=staff_wa, assignee=reviewer)
    services.inquiry_assign(inquiry=inquiry, actor=staff_wa, assignee=reviewer)  # no change, no event

    events = inquiry.events.filter(kind=EventKind.ASSIGNED)
    assert events.count() == 1 and events.get().data == {"assignee": reviewer.pk, "previous": None}
    assert OutboundEmail.objects.filter(key__startswith=f"inquiry:{inquiry.pk}:assigned:").count() == 1


def test_follow_up_date_is_an_event(staff_wa):
    inquiry = make_inquiry()
    services.inquiry_follow_up_set(inquiry=inquiry, actor=staff_wa, on=dt.date(2025, 6, 1))
    services.inquiry_follow_up_set(inquiry=inquiry, actor=staff_wa, on=dt.date(2025, 6, 1))
    services.inquiry_follow_up_set(inquiry=inquiry, actor=staff_wa, on=None)

    data = list(inquiry.events.filter(kind=EventKind.FOLLOW_UP_SET).values_list("data", flat=True))
    assert data == [{"on": "2025-06-01", "previous": None}, {"on": None, "previous": "2025-06-01"}]


def test_events_are_immutable(staff_wa):
    event = make_inquiry().events.get()
    event.note = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert InquiryEvent.objects.get(pk=event.pk).note != "rewritten"


def test_created_and_status_changed_events_carry_the_domain_event_names(staff_wa):
    inquiry = make_inquiry()
    services.inquiry_transition(inquiry=inquiry, actor=staff_wa, to_status=Status.ACKNOWLEDGED)
    kinds = list(InquiryEvent.objects.filter(inquiry=inquiry).order_by("id").values_list("kind", flat=True))
    assert kinds == ["inquiry.created", "inquiry.status_changed"]
