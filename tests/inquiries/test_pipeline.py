"""The pipeline: assignment (owner, round robin, idempotent), every task run twice has one effect, and the sweeper
reminds before and escalates after the deadline exactly once (the clock is moved by passing `now`)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from inquiries import services, sweeps
from inquiries.choices import EventKind, Status
from inquiries.models import Inquiry
from inquiries.tasks import inquiries_digest_task, inquiries_sla_sweep_task, inquiry_assign_task
from registry.models import OutboundEmail, Province
from registry.tasks import email_deliver_task
from tests.factories import OpportunityFactory

from .factories import make_inquiry, staff_of

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
# A Tuesday morning in a week with no holiday: due Thursday 09:00, reminder Thursday 05:00.
RECEIVED = dt.datetime(2025, 5, 6, 9, 0, tzinfo=TEHRAN)


def keys(prefix: str) -> list[str]:
    return sorted(OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def test_assignment_prefers_the_opportunitys_creator(staff_wa):
    other = staff_of("WA")
    opportunity = OpportunityFactory(actor=other)
    inquiry = make_inquiry(opportunity=opportunity)

    assert services.inquiry_auto_assign(inquiry_id=inquiry.pk) is True

    inquiry.refresh_from_db()
    assert inquiry.assignee == other
    event = inquiry.events.get(kind=EventKind.ASSIGNED)
    assert event.data == {"assignee": other.pk, "automatic": True} and event.actor is None


def test_a_creator_who_no_longer_serves_the_province_is_passed_over(staff_wa):
    creator = staff_of("WA")
    opportunity = OpportunityFactory(actor=creator)
    creator.provinces.set(Province.objects.filter(code="EA"))  # moved to another province since
    inquiry = make_inquiry(opportunity=opportunity)
    services.inquiry_auto_assign(inquiry_id=inquiry.pk)
    inquiry.refresh_from_db()
    assert inquiry.assignee == staff_wa


def test_round_robin_walks_the_provinces_active_staff_in_order():
    first, second, third = staff_of("WA"), staff_of("WA"), staff_of("WA")
    staff_of("WA", is_active=False)
    inquiries = [make_inquiry() for _ in range(4)]

    for inquiry in inquiries:
        services.inquiry_auto_assign(inquiry_id=inquiry.pk)

    assignees = [Inquiry.objects.get(pk=inquiry.pk).assignee for inquiry in inquiries]
    assert assignees == [first, second, third, first]


def test_assignment_task_twice_assigns_once(staff_wa):
    inquiry = make_inquiry()

    assert inquiry_assign_task(inquiry_id=inquiry.pk) is True
    assert inquiry_assign_task(inquiry_id=inquiry.pk) is False

    assert inquiry.events.filter(kind=EventKind.ASSIGNED).count() == 1


def test_no_staff_in_the_province_means_reviewers_hear_of_it_and_nobody_is_assigned(reviewer):
    inquiry = make_inquiry(province=Province.objects.get(code="KZ"))

    assert services.inquiry_auto_assign(inquiry_id=inquiry.pk) is False
    assert keys(f"inquiry:{inquiry.pk}:staff-new:") == [f"inquiry:{inquiry.pk}:staff-new:{reviewer.email}"]


def test_spam_is_never_assigned(staff_wa):
    inquiry = make_inquiry(spam=True)
    assert services.inquiry_auto_assign(inquiry_id=inquiry.pk) is False


def test_every_email_task_run_twice_sends_once(staff_wa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        inquiry = make_inquiry()
    ids = list(OutboundEmail.objects.values_list("pk", flat=True))
    assert len(ids) == 2

    for email_id in ids + ids:
        email_deliver_task(email_id=email_id)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([inquiry.email, staff_wa.email])


def test_the_sweeper_assigns_what_a_lost_dispatch_left_unassigned(staff_wa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down: the task never ran
        inquiry = make_inquiry(now=RECEIVED)

    assert sweeps.sla_sweep(now=RECEIVED)["assigned"] == 0  # still within the grace minute
    assert sweeps.sla_sweep(now=RECEIVED + dt.timedelta(minutes=2))["assigned"] == 1
    assert sweeps.sla_sweep(now=RECEIVED + dt.timedelta(minutes=7))["assigned"] == 0
    inquiry.refresh_from_db()
    assert inquiry.assignee == staff_wa


@pytest.fixture
def due_inquiry(staff_wa, reviewer):
    inquiry = make_inquiry(now=RECEIVED)
    services.inquiry_auto_assign(inquiry_id=inquiry.pk)
    inquiry.refresh_from_db()
    assert inquiry.first_response_due_at == dt.datetime(2025, 5, 8, 9, 0, tzinfo=TEHRAN)
    assert inquiry.reminder_due_at == dt.datetime(2025, 5, 8, 5, 0, tzinfo=TEHRAN)
    return inquiry


@pytest.mark.parametrize(
    ("moment", "reminded", "escalated"),
    [
        (dt.datetime(2025, 5, 8, 4, 59, tzinfo=TEHRAN), False, False),  # more than 4 working hours left
        (dt.datetime(2025, 5, 8, 5, 0, tzinfo=TEHRAN), True, False),  # 4 working hours left
        (dt.datetime(2025, 5, 8, 8, 59, tzinfo=TEHRAN), True, False),
        (dt.datetime(2025, 5, 8, 9, 0, tzinfo=TEHRAN), False, True),  # due now: escalate (too late to remind)
        (dt.datetime(2025, 5, 12, 9, 0, tzinfo=TEHRAN), False, True),
    ],
)
def test_reminder_and_escalation_happen_at_the_right_moments(due_inquiry, moment, reminded, escalated):
    result = sweeps.sla_sweep(now=moment)

    assert (result["reminded"], result["escalated"]) == (int(reminded), int(escalated))
    assert bool(keys(f"inquiry:{due_inquiry.pk}:remind:")) is reminded
    assert bool(keys(f"inquiry:{due_inquiry.pk}:escalate:")) is escalated


def test_reminder_goes_to_the_assignee_and_escalation_to_reviewers_each_once(due_inquiry, staff_wa, reviewer):
    before = dt.datetime(2025, 5, 8, 6, 0, tzinfo=TEHRAN)
    after = dt.datetime(2025, 5, 8, 10, 0, tzinfo=TEHRAN)

    for moment in (before, before, after, after + dt.timedelta(minutes=5), after + dt.timedelta(days=3)):
        sweeps.sla_sweep(now=moment)

    assert keys(f"inquiry:{due_inquiry.pk}:remind:") == [f"inquiry:{due_inquiry.pk}:remind:{staff_wa.email}"]
    assert keys(f"inquiry:{due_inquiry.pk}:escalate:") == [f"inquiry:{due_inquiry.pk}:escalate:{reviewer.email}"]
    due_inquiry.refresh_from_db()
    assert due_inquiry.reminded_at == before and due_inquiry.escalated_at == after
    kinds = list(due_inquiry.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.REMINDER_SENT) == 1 and kinds.count(EventKind.ESCALATED) == 1


def test_a_reminder_row_lost_from_the_inquiry_is_still_sent_once(due_inquiry, staff_wa):
    moment = dt.datetime(2025, 5, 8, 6, 0, tzinfo=TEHRAN)
    sweeps.sla_sweep(now=moment)
    Inquiry.objects.filter(pk=due_inquiry.pk).update(reminded_at=None)  # as if the timestamp were lost

    sweeps.sla_sweep(now=moment)

    assert len(keys(f"inquiry:{due_inquiry.pk}:remind:")) == 1  # the e-mail key holds


def test_an_answered_inquiry_is_neither_reminded_nor_escalated(due_inquiry, staff_wa):
    services.inquiry_transition(
        inquiry=due_inquiry, actor=staff_wa, to_status=Status.ACKNOWLEDGED, now=RECEIVED + dt.timedelta(hours=1)
    )

    for moment in (dt.datetime(2025, 5, 8, 6, 0, tzinfo=TEHRAN), dt.datetime(2025, 5, 9, 12, 0, tzinfo=TEHRAN)):
        assert sweeps.sla_sweep(now=moment)["reminded"] == sweeps.sla_sweep(now=moment)["escalated"] == 0


def test_the_beat_task_runs_the_sweeper_twice_without_doubling(due_inquiry, reviewer):
    Inquiry.objects.filter(pk=due_inquiry.pk).update(
        first_response_due_at=timezone.now() - dt.timedelta(minutes=1),
        reminder_due_at=timezone.now() - dt.timedelta(hours=1),
    )
    first, second = inquiries_sla_sweep_task(), inquiries_sla_sweep_task()
    assert (first["escalated"], second["escalated"]) == (1, 0)
    assert len(keys(f"inquiry:{due_inquiry.pk}:escalate:")) == 1


def test_daily_digest_goes_once_per_staff_member_per_day(staff_wa, staff_ea):
    wa_inquiries = [make_inquiry() for _ in range(3)]
    make_inquiry(spam=True)
    morning = dt.datetime(2025, 5, 6, 8, 0, tzinfo=TEHRAN)

    assert sweeps.digests_send(now=dt.datetime(2025, 5, 6, 6, 0, tzinfo=TEHRAN)) == 0  # before the digest hour
    assert sweeps.digests_send(now=morning) == 1
    assert sweeps.digests_send(now=morning + dt.timedelta(hours=3)) == 0
    assert sweeps.digests_send(now=morning + dt.timedelta(days=1)) == 1

    assert keys("digest:") == [f"digest:2025-05-06:{staff_wa.email}", f"digest:2025-05-07:{staff_wa.email}"]
    digest = OutboundEmail.objects.get(key=f"digest:2025-05-06:{staff_wa.email}")
    for inquiry in wa_inquiries:
        assert inquiry.reference in digest.body_text


def test_digest_task_twice_is_one_email(staff_wa, settings):
    settings.INQUIRY_DIGEST_HOUR = 0
    make_inquiry()
    assert inquiries_digest_task() + inquiries_digest_task() == 1


def test_dispatch_with_the_broker_down_is_logged_not_raised(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr("inquiries.services.app.signature", refuse)
    services.assign_dispatch(inquiry_id=1)
    assert "the sweeper will" in caplog.text
