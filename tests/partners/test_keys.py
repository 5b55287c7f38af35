"""Keys: scopes per endpoint, province write scope through the staff services, expiry, revocation, IP allow-list,
throttling, and the problem-details error format."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from inquiries.models import Inquiry
from opportunities.models import Opportunity
from partners import services
from partners.choices import Scope

from .conftest import key_client, past

R, W = Scope.CATALOGUE_READ, Scope.OPPORTUNITIES_WRITE
IS, IR = Scope.INQUIRIES_SUBMIT, Scope.INQUIRIES_READ
INQUIRY = {"province": "WA", "name": "Partner desk", "email": "desk@partners.example", "message": "Terms please."}
NEW = {"title_fa": "طرح شریک", "sector": "MIN.MET", "type": "greenfield", "province": "WA", "county": "WA-URM"}


def _call(client, name, catalogue):
    ref = catalogue["wa_draft"].reference
    calls = {
        "list": lambda: client.get("/api/v1/opportunities/"),
        "detail": lambda: client.get(f"/api/v1/opportunities/{catalogue['wa_published'].reference}/"),
        "changes": lambda: client.get("/api/v1/changes/"),
        "geojson": lambda: client.get("/api/v1/exports/opportunities.geojson"),
        "oc4ids": lambda: client.get("/api/v1/exports/oc4ids.json"),
        "create": lambda: client.post("/api/v1/opportunities/", NEW, format="json"),
        "patch": lambda: client.patch(f"/api/v1/opportunities/{ref}/", {"title_en": "By partner"}, format="json"),
        "inbox": lambda: client.get("/api/v1/inquiries/"),
        "own_inquiries": lambda: client.get("/api/v1/partner/inquiries/"),
        "submit": lambda: client.post("/api/v1/inquiries/", INQUIRY, format="json"),
        "provinces": lambda: client.get("/api/v1/provinces/"),
    }
    return calls[name]()


@pytest.mark.parametrize(
    ("scopes", "endpoint", "allowed"),
    [
        ([R], "list", True),
        ([R], "detail", True),
        ([R], "changes", True),
        ([R], "geojson", True),
        ([R], "oc4ids", True),
        ([R], "provinces", True),
        ([R], "create", False),
        ([R], "patch", False),
        ([R], "own_inquiries", False),
        ([R], "submit", False),
        ([W], "list", False),
        ([W], "create", True),
        ([W], "patch", True),
        ([IS], "list", False),
        ([IS], "patch", False),
        ([IR], "changes", False),
        ([IR], "own_inquiries", True),
        ([IR], "inbox", False),  # the province inbox is staff work, not the partner's own inquiries
        ([IR], "submit", False),
        ([IS], "submit", True),
        ([IS], "own_inquiries", False),
        ([], "list", False),
    ],
)
def test_scope_by_endpoint_matrix(issue_key, catalogue, scopes, endpoint, allowed):
    _key, raw = issue_key(scopes)
    before = (list(Opportunity.objects.order_by("pk").values()), Inquiry.objects.count())
    response = _call(key_client(raw), endpoint, catalogue)
    if allowed:
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert (list(Opportunity.objects.order_by("pk").values()), Inquiry.objects.count()) == before


def test_partner_writes_through_staff_services(issue_key, catalogue):
    _key, raw = issue_key([R, W])
    client = key_client(raw)
    created = client.post("/api/v1/opportunities/", NEW, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    assert Opportunity.objects.get(reference=created.json()["reference"]).events.get().kind == "created"


@pytest.mark.parametrize("target", ["qm_draft", "qm_published"])
def test_key_for_one_province_cannot_write_another(issue_key, catalogue, target):
    _key, raw = issue_key([R, W])
    opportunity = catalogue[target]
    before = Opportunity.objects.values().get(pk=opportunity.pk)
    response = key_client(raw).patch(
        f"/api/v1/opportunities/{opportunity.reference}/", {"title_en": "Hijacked"}, format="json"
    )
    assert response.status_code in (403, 404)
    assert Opportunity.objects.values().get(pk=opportunity.pk) == before


def test_key_cannot_create_in_another_province(issue_key, catalogue):
    _key, raw = issue_key([R, W])
    count = Opportunity.objects.count()
    response = key_client(raw).post("/api/v1/opportunities/", {**NEW, "province": "QM", "county": None}, format="json")
    assert response.status_code == 403
    assert Opportunity.objects.count() == count


def test_key_cannot_publish_its_own_draft(issue_key, catalogue):
    """Publishing is the reviewer's move; partners submit like staff do."""
    _key, raw = issue_key([R, W])
    opportunity = catalogue["wa_draft"]
    response = key_client(raw).post(
        f"/api/v1/opportunities/{opportunity.reference}/transitions/", {"action": "publish"}, format="json"
    )
    assert response.status_code == 403
    assert Opportunity.objects.get(pk=opportunity.pk).status == "draft"


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "tampered"])
def test_unusable_keys_are_401(issue_key, catalogue, state):
    key, raw = issue_key([R], expires_at=past(minutes=1) if state == "expired" else None)
    if state == "revoked":
        services.key_revoke(key=key)
    if state == "unknown":
        raw = "abcdefgh.nothing"
    if state == "tampered":
        raw = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    response = key_client(raw).get("/api/v1/opportunities/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Unauthorized" and body["detail"]


def test_ip_allow_list(issue_key, catalogue):
    _key, raw = issue_key([R], allowed_ips=["10.1.0.0/16"])
    assert key_client(raw, REMOTE_ADDR="10.1.2.3").get("/api/v1/opportunities/").status_code == 200
    assert key_client(raw, REMOTE_ADDR="10.2.0.1").get("/api/v1/opportunities/").status_code == 403


def test_throttled_per_key_with_retry_after(issue_key, catalogue):
    _key, raw = issue_key([R], rate="3/minute")
    _other, other_raw = issue_key([R], rate="3/minute")
    client = key_client(raw)
    codes = [client.get("/api/v1/provinces/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/provinces/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["status"] == 429
    assert key_client(other_raw).get("/api/v1/provinces/").status_code == 200


def test_validation_errors_are_problem_details_with_fields(issue_key, catalogue):
    _key, raw = issue_key([R, W])
    response = key_client(raw).post("/api/v1/opportunities/", {**NEW, "jobs": "many"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad Request" and body["type"]
    assert "jobs" in body["errors"] and "jobs" in body


def test_key_lookup_query_count(issue_key, catalogue):
    _key, raw = issue_key([R])
    client = key_client(raw)
    client.get("/api/v1/provinces/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/provinces/").status_code == 200
    assert len(queries) <= 3


def test_partner_reads_only_its_own_inquiries(issue_key, catalogue):
    _key, raw = issue_key([IS, IR])
    client = key_client(raw)
    assert client.post("/api/v1/inquiries/", INQUIRY, format="json").status_code == 201
    APIClient().post("/api/v1/inquiries/", {**INQUIRY, "email": "guest@example.com"}, format="json")
    assert Inquiry.objects.count() == 2
    rows = client.get("/api/v1/partner/inquiries/").json()["results"]
    assert [row["status"] for row in rows] == ["new"]
    assert rows[0]["reference"] == Inquiry.objects.get(email=INQUIRY["email"]).reference
