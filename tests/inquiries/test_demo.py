"""The demo's inquiries: a year of investors and answers through the services, so the inbox, the threads and the
accountability page show the product at work; fictional investors get no e-mail, and a reset starts again."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from inquiries import demo
from inquiries.choices import EventKind, Status
from inquiries.models import Inquiry
from inquiries.stats import accountability, response_times
from opportunities.models import Opportunity
from registry.models import OutboundEmail
from tests.factories import demo_seeded

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    return demo_seeded(*args, count=40, mining=8)


@pytest.fixture
def seeded() -> str:
    call_command("load_reference", verbosity=0)
    return seed()


def outcome() -> list[tuple]:
    rows = Inquiry.objects.order_by("created_at").values_list("opportunity__reference", "status", "language", "email")
    return list(rows)


def test_the_demo_has_a_year_of_inquiries_answered_through_the_services(seeded):
    assert f"{demo.COUNT} demo inquiries" in seeded
    inquiries = list(Inquiry.objects.select_related("opportunity", "province"))
    assert len(inquiries) == demo.COUNT
    assert all(inquiry.opportunity.is_demo and inquiry.province.code == "WA" for inquiry in inquiries)
    now = timezone.now()
    recent = [i for i in inquiries if now - i.created_at < datetime.timedelta(days=demo.UNANSWERED_DAYS)]
    older = [i for i in inquiries if i not in recent]
    assert len(recent) == demo.RECENT and all(i.status == Status.NEW and i.first_response_at is None for i in recent)
    assert all(i.first_response_at and i.assignee and i.first_response_due_at for i in older)
    late = [i for i in older if i.first_response_at > i.first_response_due_at]
    assert 0 < len(late) < len(older) / 2
    statuses = {i.status for i in older}
    assert {Status.WON, Status.LOST, Status.IN_DISCUSSION} <= statuses | {Status.SITE_VISIT}
    lost = [i for i in older if i.status == Status.LOST]
    assert all(i.lost_reason and i.closed_at for i in lost)
    # Every answer is an event the investor sees, at the time the first response was recorded.
    for inquiry in older:
        first = inquiry.events.filter(kind=EventKind.MESSAGE_SENT).earliest("created_at")
        assert first.created_at == inquiry.first_response_at


def test_opportunities_whose_inquiries_went_far_moved_on_through_the_workflow(seeded):
    from opportunities.choices import Status as OpportunityStatus
    from opportunities.models import OpportunityEvent

    won = set(Inquiry.objects.filter(status=Status.WON).values_list("opportunity_id", flat=True))
    visiting = set(
        Inquiry.objects.filter(status__in=[Status.SITE_VISIT, Status.TERM_SHEET]).values_list(
            "opportunity_id", flat=True
        )
    )
    assert won and visiting
    contracted = set(Opportunity.objects.filter(status=OpportunityStatus.CONTRACTED).values_list("pk", flat=True))
    negotiating = set(Opportunity.objects.filter(status=OpportunityStatus.IN_NEGOTIATION).values_list("pk", flat=True))
    assert contracted == won and negotiating == visiting - won
    contract = OpportunityEvent.objects.filter(action="contract").first()
    assert contract.actor.email == "staff.wa@demo.invest.ir" and "۱۴۰۵/" in contract.note
    funnel = accountability()["funnel"]
    assert sum(row["negotiation"] for row in funnel) == len(contracted | negotiating)
    assert sum(row["contracted"] for row in funnel) == len(contracted)


def test_fictional_investors_and_staff_get_no_e_mail_about_demo_inquiries(seeded):
    assert not OutboundEmail.objects.filter(key__startswith="inquiry:").exists()


def test_the_accountability_page_has_figures_for_the_province(seeded, client):
    (row,) = response_times()
    assert row["province"].code == "WA" and row["inquiries"] == demo.COUNT
    assert 0 < row["within_sla_share"] < 1 and row["median_first_response_hours"] > 0
    assert accountability()["funnel"]
    html = client.get("/en/accountability/").content.decode()
    assert "West Azerbaijan" in html and "No inquiries yet." not in html


def test_a_reset_deletes_the_demo_inquiries_and_makes_the_same_ones_again(seeded):
    before = outcome()
    seed("--reset")
    assert outcome() == before and Inquiry.objects.count() == demo.COUNT


def test_a_second_run_without_reset_adds_no_inquiries(seeded):
    seed()
    assert Inquiry.objects.count() == demo.COUNT


def test_two_of_the_inquiries_are_the_demo_investors_own(seeded):
    from accounts.models import User
    from inquiries.selectors import inquiries_of_investor

    investor = User.objects.get(email="investor@demo.invest.ir")
    mine = list(inquiries_of_investor(investor).order_by("created_at"))
    assert len(mine) == len(demo.DEMO_INVESTOR_INDEXES) == 2
    answered, waiting = mine
    assert answered.first_response_at is not None and waiting.status == Status.NEW
    assert all(inquiry.email == investor.email and inquiry.language == "fa" for inquiry in mine)
    assert not OutboundEmail.objects.filter(to=investor.email).exists()  # nothing is sent for the demo
