"""Province scoping of the inbox everywhere: pages, CSV, bulk assignment, API and admin. Another province's inquiry
is a 404 and never appears in a list; lists cost a fixed number of queries however long they are."""

import csv
import io
import re

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from inquiries import services
from inquiries.choices import Status
from inquiries.models import Inquiry, InquiryEvent
from registry.models import Currency, Province
from tests.factories import OpportunityFactory

from .factories import make_inquiry, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(staff_wa, staff_ea):
    """One inquiry in West Azerbaijan, one in East Azerbaijan."""
    wa = make_inquiry(opportunity=OpportunityFactory(), name="Investor WA")
    ea = make_inquiry(opportunity=OpportunityFactory(province=Province.objects.get(code="EA")), name="Investor EA")
    return {"wa": wa, "ea": ea}


def snapshot():
    return [model_to_dict(i) for i in Inquiry.objects.order_by("pk")], InquiryEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "sees"),
    [("staff_wa", {"wa"}), ("staff_ea", {"ea"}), ("reviewer", {"wa", "ea"}), ("administrator", {"wa", "ea"})],
)
def test_inbox_page_and_api_list_only_the_users_provinces(client, api_client, people, both, who, sees):
    client.force_login(people[who])
    api_client.force_authenticate(people[who])

    html = client.get("/staff/inquiries/").content.decode()
    api = api_client.get("/api/v1/inquiries/").json()

    expected = {both[name].reference for name in sees}
    assert {both[name].reference for name in both if both[name].reference in html} == expected
    assert {row["reference"] for row in api["results"]} == expected
    assert api["count"] == len(expected)


@pytest.mark.parametrize(
    ("who", "code"), [("staff_wa", 200), ("staff_ea", 404), ("reviewer", 200), ("administrator", 200)]
)
def test_detail_page_api_and_admin_are_404_for_another_province(client, api_client, people, both, who, code):
    inquiry = both["wa"]
    client.force_login(people[who])
    api_client.force_authenticate(people[who])

    assert client.get(f"/staff/inquiries/{inquiry.pk}/").status_code == code
    assert api_client.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code == code
    assert api_client.get(f"/api/v1/inquiries/{inquiry.pk}/events/").status_code == code
    assert client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").status_code == code


def test_admin_changelist_leaves_other_provinces_out(client, staff_ea, both):
    client.force_login(staff_ea)
    html = client.get("/admin/inquiries/inquiry/").content.decode()
    assert "Investor EA" in html and "Investor WA" not in html


def test_investors_and_guests_have_no_inbox(client, api_client, investor, both):
    assert client.get("/staff/inquiries/").status_code == 302  # to the sign-in page
    client.force_login(investor)
    assert client.get("/staff/inquiries/").status_code == 302
    assert client.get("/admin/inquiries/inquiry/").status_code in (302, 403)
    api_client.force_authenticate(investor)
    assert api_client.get("/api/v1/inquiries/").status_code == 403


@pytest.mark.parametrize("action", ["transition", "assign", "note", "message", "follow_up"])
def test_acting_on_another_provinces_inquiry_is_404_and_changes_nothing(client, staff_ea, both, action):
    client.force_login(staff_ea)
    data = {"status": "acknowledged", "note": "x", "message": "hello investor", "assignee": staff_ea.pk,
            "follow_up_on": "2025-06-01"}  # fmt: skip
    before = snapshot()

    response = client.post(f"/staff/inquiries/{both['wa'].pk}/{action}/", data)

    assert response.status_code == 404
    assert snapshot() == before


def test_staff_page_moves_offer_only_the_allowed_ones(client, staff_wa, both):
    client.force_login(staff_wa)
    html = client.get(f"/staff/inquiries/{both['wa'].pk}/").content.decode()
    select = html[html.index('name="status"') : html.index("</select>", html.index('name="status"'))]
    assert set(re.findall(r'value="(\w+)"', select)) == {"acknowledged", "in_discussion", "lost", "spam"}


def test_staff_page_actions_go_through_the_services(client, staff_wa, both, django_capture_on_commit_callbacks):
    client.force_login(staff_wa)
    url = f"/staff/inquiries/{both['wa'].pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url + "message/", {"message": "سلام، پاسخ ما"}).status_code == 302
        assert client.post(url + "transition/", {"status": "in_discussion", "note": ""}).status_code == 302
        assert client.post(url + "note/", {"note": "داخلی"}).status_code == 302
        assert client.post(url + "follow_up/", {"follow_up_on": "2025-06-01"}).status_code == 302
        bad = client.post(url + "transition/", {"status": "won"})
    inquiry = Inquiry.objects.get(pk=both["wa"].pk)
    assert inquiry.status == Status.IN_DISCUSSION and inquiry.first_response_at is not None
    assert str(inquiry.follow_up_on) == "2025-06-01"
    assert bad.status_code == 400
    assert client.post(url + "unknown/", {}).status_code == 400


@pytest.mark.usefixtures("english")
def test_lost_without_a_reason_is_refused_on_the_page(client, staff_wa, both):
    client.force_login(staff_wa)
    before = snapshot()
    response = client.post(f"/staff/inquiries/{both['wa'].pk}/transition/", {"status": "lost"}, follow=True)
    assert "Say why the inquiry was lost." in response.content.decode()
    assert snapshot() == before


def test_bulk_assignment_touches_only_visible_inquiries(client, staff_wa, both):
    colleague = make_colleague()
    client.force_login(staff_wa)
    before_ea = model_to_dict(Inquiry.objects.get(pk=both["ea"].pk))

    response = client.post(
        "/staff/inquiries/bulk-assign/",
        {"ids": [both["wa"].pk, both["ea"].pk], "assignee": colleague.pk, "next": "/staff/inquiries/?status=new"},
    )

    assert response.status_code == 302 and response["Location"] == "/staff/inquiries/?status=new"
    assert Inquiry.objects.get(pk=both["wa"].pk).assignee == colleague
    assert model_to_dict(Inquiry.objects.get(pk=both["ea"].pk)) == before_ea


def test_bulk_assignment_refuses_someone_outside_the_province(client, reviewer, staff_ea, both):
    client.force_login(reviewer)
    before = model_to_dict(Inquiry.objects.get(pk=both["wa"].pk))
    client.post("/staff/inquiries/bulk-assign/", {"ids": [both["wa"].pk], "assignee": staff_ea.pk})
    assert model_to_dict(Inquiry.objects.get(pk=both["wa"].pk)) == before


def test_bulk_assignment_never_redirects_off_site(client, staff_wa, both):
    client.force_login(staff_wa)
    response = client.post(
        "/staff/inquiries/bulk-assign/",
        {"ids": [both["wa"].pk], "assignee": staff_wa.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/staff/inquiries/"


def make_colleague():
    return staff_of("WA")


def read_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_is_scoped_filtered_and_safe(client, staff_wa, both):
    formula = make_inquiry(name='=HYPERLINK("http://evil")', email="f@example.com")
    services.inquiry_transition(inquiry=formula, actor=staff_wa, to_status=Status.ACKNOWLEDGED)
    client.force_login(staff_wa)

    everything = read_csv(client.get("/staff/inquiries/export.csv"))
    acknowledged = read_csv(client.get("/staff/inquiries/export.csv", {"status": "acknowledged"}))

    assert {row["reference"] for row in everything} == {both["wa"].reference, formula.reference}
    assert [row["reference"] for row in acknowledged] == [formula.reference]
    assert acknowledged[0]["name"].startswith("'=")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "acknowledged"}, {"ack"}),
        ({"assignee": "me"}, {"mine"}),
        ({"assignee": "none"}, {"ack"}),
        ({"q": "Investor WA"}, {"mine"}),
        ({"overdue": "true"}, {"late"}),
        ({"open": "true"}, {"mine", "ack", "late"}),
    ],
)
def test_inbox_filters(api_client, staff_wa, both, query, expected):
    inquiries = {"mine": both["wa"], "ack": make_inquiry(), "late": make_inquiry()}
    services.inquiry_assign(inquiry=inquiries["mine"], actor=staff_wa, assignee=staff_wa)
    services.inquiry_transition(inquiry=inquiries["ack"], actor=staff_wa, to_status=Status.ACKNOWLEDGED)
    services.inquiry_assign(inquiry=inquiries["late"], actor=staff_wa, assignee=make_colleague())
    Inquiry.objects.filter(pk=inquiries["late"].pk).update(first_response_due_at="2020-01-01T00:00:00Z")
    Inquiry.objects.filter(pk=inquiries["ack"].pk).update(assignee=None)
    api_client.force_authenticate(staff_wa)

    response = api_client.get("/api/v1/inquiries/", query)

    references = {row["reference"] for row in response.json()["results"]}
    assert references == {inquiries[name].reference for name in expected}


def test_a_junk_filter_is_a_400(api_client, client, staff_wa):
    api_client.force_authenticate(staff_wa)
    assert api_client.get("/api/v1/inquiries/", {"assignee": "somebody"}).status_code == 400
    client.force_login(staff_wa)
    assert client.get("/staff/inquiries/", {"status": "nonsense"}).status_code == 400


def test_reviewers_filter_by_province(api_client, reviewer, both):
    api_client.force_authenticate(reviewer)
    rows = api_client.get("/api/v1/inquiries/", {"province": "EA"}).json()["results"]
    assert [row["reference"] for row in rows] == [both["ea"].reference]


def test_inbox_and_api_list_cost_the_same_queries_for_3_or_12_inquiries(client, api_client, staff_wa):
    client.force_login(staff_wa)

    def measure():
        api_client.force_authenticate(User.objects.get(pk=staff_wa.pk))  # a fresh user, as each request has
        with CaptureQueriesContext(connection) as page:
            assert client.get("/staff/inquiries/").status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert api_client.get("/api/v1/inquiries/").status_code == 200
        return len(page), len(api)

    usd = Currency.objects.get(code="USD")
    for _ in range(3):
        services.inquiry_auto_assign(inquiry_id=make_inquiry(ticket_size=5, ticket_currency=usd).pk)
    small = measure()
    for _ in range(9):
        services.inquiry_auto_assign(inquiry_id=make_inquiry().pk)
    assert measure() == small
