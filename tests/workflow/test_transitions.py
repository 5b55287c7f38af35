"""The publication workflow: the full role × transition matrix, requirements of each target status, and the
notification rows it writes."""

import pytest
from django.core import mail

from opportunities.models import Opportunity, OpportunityEvent
from registry.models import OutboundEmail
from registry.tasks import email_deliver_task
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# action → (the status it starts from, the note it needs, the status it reaches)
MOVES = {
    "submit": ("draft", "", "submitted"),
    "publish": ("submitted", "", "published"),
    "return": ("submitted", "عنوان انگلیسی را کامل کنید", "draft"),
    "negotiate": ("published", "", "in_negotiation"),
    "contract": ("in_negotiation", "قرارداد شماره ۱۴۰۴/۱۲۳", "contracted"),
    "withdraw": ("published", "", "withdrawn"),
    "archive": ("published", "", "archived"),
}
STAFF_MOVES = {"submit", "negotiate", "contract", "withdraw"}
REVIEWER_MOVES = {"publish", "return", "archive"}
PUBLIC = {"published", "in_negotiation", "contracted"}


def expected(role: str, action: str) -> int:
    source = MOVES[action][0]
    if role == "anonymous":
        return 403
    if role == "administrator":
        return 200
    if role == "staff_wa":
        return 200 if action in STAFF_MOVES else 403
    if role == "reviewer":
        return 200 if action in REVIEWER_MOVES else 403
    # investors and another province's staff: a draft or a submission does not exist for them
    return 403 if source in PUBLIC else 404


ROLES = ["anonymous", "investor", "staff_wa", "staff_ea", "reviewer", "administrator"]


@pytest.mark.parametrize("action", list(MOVES))
@pytest.mark.parametrize("role", ROLES)
def test_role_transition_matrix(people, make_opportunity, role, action):
    source, note, target = MOVES[action]
    opportunity = make_opportunity(source)
    events_before = OpportunityEvent.objects.filter(kind="status_changed").count()

    response = client_for(people[role]).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": action, "note": note}, format="json"
    )

    opportunity.refresh_from_db()
    status_events = OpportunityEvent.objects.filter(kind="status_changed")
    assert response.status_code == expected(role, action), response.content
    if response.status_code == 200:
        assert opportunity.status == target
        assert status_events.count() == events_before + 1
        event = status_events.latest("id")
        assert (event.from_status, event.to_status, event.actor, event.note) == (source, target, people[role], note)
    else:
        assert opportunity.status == source
        assert status_events.count() == events_before


@pytest.mark.parametrize(
    ("action", "source"),
    [("publish", "draft"), ("submit", "published"), ("negotiate", "draft"), ("archive", "withdrawn")],
)
def test_moves_not_in_the_table_are_refused(people, make_opportunity, action, source):
    opportunity = make_opportunity(source)
    response = client_for(people["administrator"]).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": action}, format="json"
    )
    assert response.status_code == 400
    assert "action" in response.json()
    opportunity.refresh_from_db()
    assert opportunity.status == source


def test_withdraw_from_every_non_final_status(people, make_opportunity):
    for source in ["draft", "submitted", "published", "in_negotiation"]:
        opportunity = make_opportunity(source)
        response = client_for(people["staff_wa"]).post(
            f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": "withdraw"}, format="json"
        )
        assert response.status_code == 200, source


def test_publishing_needs_the_fields_investors_need(people, make_opportunity):
    opportunity = make_opportunity("submitted", summary_fa="", county=None)
    opportunity.documents.all().delete()
    response = client_for(people["reviewer"]).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": "publish"}, format="json"
    )
    assert response.status_code == 400
    assert {"summary_fa", "county", "documents"} <= set(response.json())
    opportunity.refresh_from_db()
    assert opportunity.status == "submitted"


def test_return_needs_a_note(people, make_opportunity):
    opportunity = make_opportunity("submitted")
    response = client_for(people["reviewer"]).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": "return", "note": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()


@pytest.mark.parametrize(("note", "ok"), [("", False), ("signed", False), ("قرارداد ۱۴۰۴-۷۷", True)])
def test_contract_needs_evidence(people, make_opportunity, note, ok):
    opportunity = make_opportunity("in_negotiation")
    response = client_for(people["staff_wa"]).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/",
        {"action": "contract", "note": note},
        format="json",
    )
    assert response.status_code == (200 if ok else 400)


def test_available_transitions_are_the_users_own(people, make_opportunity):
    opportunity = make_opportunity("submitted")
    url = f"/api/v1/opportunities/{opportunity.reference}/transitions/"
    assert {t["action"] for t in client_for(people["reviewer"]).get(url).json()} == {"publish", "return"}
    assert {t["action"] for t in client_for(people["staff_wa"]).get(url).json()} == {"withdraw"}


def test_submit_notifies_every_reviewer_once(people, make_opportunity, django_capture_on_commit_callbacks):
    opportunity = make_opportunity("draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["staff_wa"]).post(
            f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": "submit"}, format="json"
        )
    assert response.status_code == 200
    rows = OutboundEmail.objects.filter(key__startswith=f"opportunity:{opportunity.pk}:")
    assert [row.to for row in rows] == ["reviewer@example.com"]
    assert len(mail.outbox) == 1
    assert email_deliver_task(email_id=rows[0].pk) is False  # a redelivered task sends nothing again
    assert len(mail.outbox) == 1


def test_publish_and_return_notify_the_owner(people, make_opportunity, django_capture_on_commit_callbacks):
    returned = make_opportunity("submitted")
    published = make_opportunity("submitted")
    reviewer = client_for(people["reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(
            f"/api/v1/opportunities/{returned.reference}/transitions/",
            {"action": "return", "note": "خلاصه انگلیسی ندارد"},
            format="json",
        )
        reviewer.post(f"/api/v1/opportunities/{published.reference}/transitions/", {"action": "publish"}, format="json")
    assert sorted(m.to[0] for m in mail.outbox) == ["staff.wa@example.com", "staff.wa@example.com"]
    assert any("خلاصه انگلیسی ندارد" in m.body for m in mail.outbox)


def test_publish_sets_published_at_once(people, make_opportunity):
    opportunity = make_opportunity("submitted")
    client_for(people["reviewer"]).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": "publish"}, format="json"
    )
    first = Opportunity.objects.get(pk=opportunity.pk).published_at
    assert first is not None
