"""schemathesis against the whole API as an anonymous client and with a partner key (every scope, writes for West
Azerbaijan), all checks, every phase.

Examples per operation: SCHEMATHESIS_EXAMPLES (default 10, for CI; the full run uses 100):
    SCHEMATHESIS_EXAMPLES=100 pytest -n 2 tests/partners/test_schemathesis.py
SCHEMATHESIS_PARTNER_ONLY=1 narrows the run to the partner operations (sync, exports, OC4IDS; GET only)."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accounts.choices import OrganisationKind
from partners import services
from partners.choices import Scope
from registry.models import Commodity, County, Province, Sector
from registry.wsgi import application
from tests.factories import OpportunityFactory, OrganisationFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
OURS = r"^/api/v1/(changes|exports|partner|opportunities/\{reference\}/oc4ids)"

# Include filters are alternatives (OR), so the path and method conditions go into one filter.
SCOPE = {"path_regex": OURS, "method": ["GET"]} if os.environ.get("SCHEMATHESIS_PARTNER_ONLY") == "1" else {}


@pytest.fixture(autouse=True)
def keep_test_connection():
    """The WSGI handler closes the connection at request end; Django's test client disconnects that, so do we."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def node_id_for_lazy_schema(request):
    """schemathesis's lazy schema reads `node._nodeid`, which pytest 9 no longer sets on test functions."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def api_schema(db, keep_test_connection):
    """Loaded inside the test database: the schema lists the reference codes and ids that exist there."""
    return schemathesis.openapi.from_wsgi("/api/schema/", application)


# The operations are chosen on the lazy schema: it re-applies its own filters to what the fixture returns.
schema = schemathesis.pytest.from_fixture("api_schema")
schema = schema.include(**SCOPE) if SCOPE else schema


# Rules between fields that OpenAPI cannot state. The API refuses a body or query breaking one with a 400 naming
# the field (tested in tests/workflow, tests/opportunities and tests/discovery), so generated data keeps to them
# instead. Only values that are valid on their own are touched: data generated to be invalid stays invalid.


@schemathesis.hook("map_case")
def rules_between_fields(context, case):
    """Every phase's cases (coverage included, which runs case hooks only) keep to the rules below."""
    if isinstance(case.query, dict):
        case.query = ranges_that_run_upwards(case.query)
    if case.method.upper() == "POST" and case.path == "/api/v1/opportunities/" and isinstance(case.body, dict):
        case.body = fields_that_belong_together(case.body)
    return case


def fields_that_belong_together(body: dict) -> dict:
    """A county lies in its province, a commodity in its sector, and an amount of capex has a currency."""
    body = dict(body)
    county = _reference(County, body.get("county"))
    if county is not None and _reference(Province, body.get("province")) is not None:
        body["province"] = county.province.code
    commodity = _reference(Commodity, body.get("commodity"))
    if commodity is not None and _reference(Sector, body.get("sector")) is not None:
        body["sector"] = commodity.sector.code
    amount = body.get("capex_amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool) and body.get("capex_currency") is None:
        body["capex_currency"] = "USD"
    return body


def _reference(model, code):
    return model.objects.filter(code=code).first() if isinstance(code, str) else None


def ranges_that_run_upwards(query: dict) -> dict:
    """A range's lower end is at most its upper end (`payback_min` ≤ `payback_max`)."""
    query = dict(query)
    for low in [name for name in query if name.endswith("_min")]:
        high = f"{low[:-4]}_max"
        values = _number(query.get(low)), _number(query.get(high))
        if None not in values and values[0] > values[1]:
            query[low], query[high] = query[high], query[low]
    return query


def _number(value):
    try:
        return float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else None
    except ValueError:
        return None


@pytest.fixture
def partner_key(db):
    cache.clear()
    partner = services.partner_create(
        name="Fuzz",
        organisation=OrganisationFactory(kind=OrganisationKind.PARTNER_PORTAL),
        email="fuzz@partners.example",
        provinces=[Province.objects.get(code="WA")],
    )
    _key, raw = services.key_issue(partner=partner, name="fuzz", scopes=list(Scope.values), rate="100000/minute")
    OpportunityFactory()
    return raw


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_api_anonymous(case):
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@HYPOTHESIS
def test_api_with_partner_key(case, partner_key):
    case.call_and_validate(headers={"Authorization": f"Api-Key {partner_key}"})
