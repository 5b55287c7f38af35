"""Sync: conditional GET (304), the changes feed with its cursor, and the exports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from accounts.choices import Role
from opportunities import services as catalogue_services
from opportunities.api.views import OpportunityViewSet
from partners.choices import Scope
from tests.factories import OpportunityFactory, UserFactory

from .conftest import key_client

R = Scope.CATALOGUE_READ


def _get(action, path, **headers):
    view = OpportunityViewSet.as_view({"get": action})
    request = APIRequestFactory().get(path, **headers)
    kwargs = {"reference": path.rstrip("/").rsplit("/", 1)[-1]} if action == "retrieve" else {}
    response = view(request, **kwargs)
    response.render()
    return response


@pytest.mark.parametrize("action", ["list", "retrieve"])
def test_conditional_get_on_catalogue(catalogue, action):
    opportunity = catalogue["wa_published"]
    path = "/api/v1/opportunities/" if action == "list" else f"/api/v1/opportunities/{opportunity.reference}/"
    first = _get(action, path)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    by_etag = _get(action, path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = _get(action, path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    catalogue_services.opportunity_update(opportunity=opportunity, actor=None, data={"title_en": "Changed"})
    changed = _get(action, path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_list_last_modified_moves_when_an_opportunity_leaves(catalogue):
    """A withdrawal removes a row from the public list: Last-Modified still moves (the newest event row's time).
    HTTP dates have one-second resolution, so the event is dated a few seconds later than the first request."""
    first = _get("list", "/api/v1/opportunities/")
    opportunity = catalogue["qm_published"]
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    catalogue_services.opportunity_transition(opportunity=opportunity, action="withdraw", actor=administrator)
    opportunity.events.filter(to_status="withdrawn").update(created_at=timezone.now() + datetime.timedelta(seconds=5))
    again = _get("list", "/api/v1/opportunities/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert opportunity.reference not in {row["reference"] for row in again.data["results"]}


def test_changes_feed_pages_by_cursor_and_hides_other_provinces_drafts(issue_key, catalogue):
    _key, raw = issue_key([R])
    client = key_client(raw)
    page = client.get("/api/v1/changes/").json()
    references = {row["reference"] for row in page["results"]}
    assert catalogue["qm_draft"].reference not in references
    assert {catalogue["wa_draft"].reference, catalogue["qm_published"].reference} <= references
    cursor = page["next_cursor"]
    assert page["has_more"] is False
    empty = client.get(f"/api/v1/changes/?cursor={cursor}").json()
    assert empty == {"results": [], "next_cursor": cursor, "has_more": False}
    catalogue_services.opportunity_update(opportunity=catalogue["wa_draft"], actor=None, data={"jobs": 7})
    fresh = client.get(f"/api/v1/changes/?cursor={cursor}").json()
    assert [(row["reference"], row["type"]) for row in fresh["results"]] == [
        (catalogue["wa_draft"].reference, "opportunity.updated")
    ]


def test_changes_feed_has_more_and_constant_queries(issue_key, db):
    for _ in range(60):
        OpportunityFactory()  # two events each: created, status_changed
    _key, raw = issue_key([R])
    client = key_client(raw)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/changes/").json()
    assert len(first["results"]) == 100 and first["has_more"] is True
    assert len(queries) <= 5  # key, key last-used, events, newest event time, and nothing per row
    second = client.get(f"/api/v1/changes/?cursor={first['next_cursor']}").json()
    assert len(second["results"]) == 20 and second["has_more"] is False
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(set(ids))


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.5", "9" * 30])
def test_changes_feed_rejects_bad_cursors(issue_key, catalogue, cursor):
    _key, raw = issue_key([R])
    response = key_client(raw).get(f"/api/v1/changes/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_geojson_export(api_client, catalogue):
    opportunity = catalogue["wa_published"]
    type(opportunity).objects.filter(pk=opportunity.pk).update(latitude="37.55", longitude="45.07")
    with CaptureQueriesContext(connection) as queries:
        body = api_client.get("/api/v1/exports/opportunities.geojson").json()
    assert len(queries) <= 3
    assert body["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in body["features"]}
    assert set(features) == {catalogue["wa_published"].reference, catalogue["qm_published"].reference}
    assert features[opportunity.reference]["geometry"] == {"type": "Point", "coordinates": [45.07, 37.55]}
    assert features[catalogue["qm_published"].reference]["geometry"] is None


def test_oc4ids_export_bulk_and_single(issue_key, catalogue):
    _key, raw = issue_key([R])
    client = key_client(raw)
    bulk = client.get("/api/v1/exports/oc4ids.json").json()
    ids = {project["id"] for project in bulk["projects"]}
    # The partner serves WA, so it sees WA's draft too; Qom's draft does not exist for it.
    assert ids == {f"oc4ids-iob-{catalogue[name].reference}" for name in ("wa_published", "wa_draft", "qm_published")}
    single = client.get(f"/api/v1/opportunities/{catalogue['wa_published'].reference.lower()}/oc4ids/").json()
    project = single["projects"][0]
    assert project["status"] == "preparation"  # stage feasibility
    assert project["type"] == "construction"  # greenfield
    assert project["budget"]["amount"] == {"amount": 12000000.0, "currency": "USD"}
    assert project["locations"][0]["address"]["countryName"] == "Iran"
    assert client.get(f"/api/v1/opportunities/{catalogue['qm_draft'].reference}/oc4ids/").status_code == 404
