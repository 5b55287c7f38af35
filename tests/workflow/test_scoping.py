"""Province scoping, written once and obeyed everywhere: pages, admin, API lists and details, and writes."""

import pytest

from opportunities.models import Opportunity
from registry.models import Province
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts(make_opportunity):
    wa_draft = make_opportunity("draft")
    ea_draft = make_opportunity("draft", actor="staff_ea", province=Province.objects.get(code="EA"), county=None)
    published = make_opportunity("published")
    return {"wa": wa_draft, "ea": ea_draft, "published": published}


def test_staff_of_another_province_get_404_for_its_drafts_everywhere(client, people, drafts):
    staff_ea = people["staff_ea"]  # serves East Azerbaijan
    reference = drafts["wa"].reference
    assert client_for(staff_ea).get(f"/api/v1/opportunities/{reference}/").status_code == 404
    client.force_login(staff_ea)
    assert client.get(f"/opportunities/{reference}/").status_code == 404
    assert client.get(f"/admin/opportunities/opportunity/{drafts['wa'].pk}/change/").status_code == 404
    assert client.get(f"/admin/opportunities/opportunity/{drafts['ea'].pk}/change/").status_code == 200


def test_lists_leave_other_provinces_drafts_out(client, people, drafts):
    api = {row["reference"] for row in client_for(people["staff_ea"]).get("/api/v1/opportunities/").json()["results"]}
    assert api == {drafts["ea"].reference, drafts["published"].reference}
    client.force_login(people["staff_ea"])
    admin_list = client.get("/admin/opportunities/opportunity/").content.decode()
    assert drafts["ea"].reference in admin_list and drafts["wa"].reference not in admin_list
    reviewer = client_for(people["reviewer"]).get("/api/v1/opportunities/").json()
    assert reviewer["count"] == 3


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"status": "published"}, "status"), ({"province": "QM"}, "province"), ({"reference": "WA-X-1"}, "reference")],
)
def test_patch_cannot_set_status_move_province_or_rename(people, drafts, payload, field):
    opportunity = drafts["wa"]
    before = Opportunity.objects.values().get(pk=opportunity.pk)
    response = client_for(people["staff_wa"]).patch(
        f"/api/v1/opportunities/{opportunity.reference}/", payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Opportunity.objects.values().get(pk=opportunity.pk) == before


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        ("staff_wa", "wa", 200),
        ("staff_ea", "wa", 404),
        ("investor", "wa", 404),
        ("staff_wa", "published", 403),  # staff edit drafts only
        ("reviewer", "published", 200),
        ("anonymous", "wa", 403),
    ],
)
def test_patch_matrix(people, drafts, role, target, expected):
    opportunity = drafts[target]
    before = Opportunity.objects.values().get(pk=opportunity.pk)
    response = client_for(people[role]).patch(
        f"/api/v1/opportunities/{opportunity.reference}/", {"title_en": "Changed"}, format="json"
    )
    assert response.status_code == expected
    after = Opportunity.objects.values().get(pk=opportunity.pk)
    if expected == 200:
        assert after["title_en"] == "Changed"
    else:
        assert after == before


def test_staff_create_in_own_province_only(people):
    payload = {"title_fa": "طرح تازه", "sector": "MIN.MET", "type": "greenfield", "county": "WA-URM"}
    staff = client_for(people["staff_wa"])
    created = staff.post("/api/v1/opportunities/", {**payload, "province": "WA"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    denied = staff.post("/api/v1/opportunities/", {**payload, "province": "QM", "county": None}, format="json")
    assert denied.status_code == 403
    assert Opportunity.objects.count() == 1
    investor = client_for(people["investor"]).post(
        "/api/v1/opportunities/", {**payload, "province": "WA"}, format="json"
    )
    assert investor.status_code == 403
    assert Opportunity.objects.count() == 1


def test_create_in_another_province_is_refused_before_its_fields_are_judged(people):
    """West Azerbaijan's staff learn nothing about what Qom would accept: the refusal comes first."""
    payload = {"title_fa": "طرح تازه", "sector": "MIN.MET", "type": "greenfield", "province": "QM", "county": "WA-URM"}
    denied = client_for(people["staff_wa"]).post("/api/v1/opportunities/", payload, format="json")
    assert denied.status_code == 403
    assert "county" not in denied.json()
    assert Opportunity.objects.count() == 0


def test_history_is_for_staff_who_may_see_it(people, drafts):
    opportunity = drafts["wa"]
    client_for(people["staff_wa"]).patch(
        f"/api/v1/opportunities/{opportunity.reference}/", {"title_en": "Renamed"}, format="json"
    )
    history = client_for(people["staff_wa"]).get(f"/api/v1/opportunities/{opportunity.reference}/history/").json()
    assert history[0]["by"] == "staff.wa@example.com"
    assert {"field": "title_en", "from": opportunity.title_en, "to": "Renamed"} in history[0]["changes"]
    assert (
        client_for(people["staff_ea"]).get(f"/api/v1/opportunities/{opportunity.reference}/history/").status_code == 404
    )
    published = drafts["published"].reference
    assert client_for(people["investor"]).get(f"/api/v1/opportunities/{published}/history/").status_code == 404
    events = client_for(people["reviewer"]).get(f"/api/v1/opportunities/{opportunity.reference}/events/").json()
    assert [e["kind"] for e in events] == ["updated", "created"]


def test_completeness_is_computed_and_shown(client, drafts):
    published = Opportunity.objects.get(pk=drafts["published"].pk)
    assert 0 < published.completeness <= 100
    html = client.get(f"/opportunities/{published.reference}/").content.decode()
    assert 'data-testid="completeness"' in html


@pytest.mark.parametrize(
    ("access", "role", "expected"),
    [
        ("public", "anonymous", 200),
        ("registered", "anonymous", 404),
        ("registered", "investor", 200),
        ("nda", "investor", 404),
        ("nda", "staff_wa", 200),
        ("nda", "staff_ea", 404),
        ("nda", "reviewer", 200),
    ],
)
def test_document_download_follows_access_levels(client, people, make_opportunity, access, role, expected):
    opportunity = make_opportunity("published")
    document = opportunity.documents.get()
    document.access_level = access
    document.save()
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_documents_of_hidden_opportunities_are_404(client, people, drafts):
    document = drafts["wa"].documents.get()
    client.force_login(people["staff_ea"])
    assert client.get(f"/documents/{document.pk}/").status_code == 404
