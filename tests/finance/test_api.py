"""The financials API: who may read and write what, bad input (400 naming the field, nothing stored), Persian digits,
investor re-runs in another currency, the comparison and its query count."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opportunities.finance.models import FinancialModel, FinancialResult
from registry.selectors import exchange_rate_latest
from tests.conftest import client_for
from tests.factories import OpportunityFactory
from tests.finance.factories import MINE_LOAN, mine_data, mine_years, rial_data, rial_years, stored

pytestmark = pytest.mark.django_db


def url(opportunity, suffix: str = "") -> str:
    return f"/api/v1/opportunities/{opportunity.reference}/financials/{suffix}"


def put_body(**overrides) -> dict:
    """A JSON body as a client sends it: numbers as strings or JSON numbers."""
    body = {key: str(value) if isinstance(value, D) else value for key, value in mine_data(**overrides).items()}
    body["years"] = [{k: str(v) if isinstance(v, D) else v for k, v in line.items()} for line in mine_years()]
    body["loans"] = [{k: str(v) if isinstance(v, D) else v for k, v in MINE_LOAN.items()}]
    return body


# Published: everyone reads it; province staff of the province and national roles write it.
# Draft: only the province's staff and national roles know it exists.
MATRIX = [
    ("mine", "anonymous", 200, 403),
    ("mine", "investor", 200, 403),
    ("mine", "staff_wa", 200, 200),
    ("mine", "staff_ea", 200, 403),
    ("mine", "reviewer", 200, 200),
    ("draft", "anonymous", 404, 403),
    ("draft", "investor", 404, 404),
    ("draft", "staff_wa", 200, 200),
    ("draft", "staff_ea", 404, 404),
    ("draft", "reviewer", 200, 200),
]


@pytest.mark.parametrize(("which", "role", "get_status", "put_status"), MATRIX)
def test_role_matrix(modelled, people, which, role, get_status, put_status):
    opportunity, client = modelled[which], client_for(people[role])
    before = stored()

    read = client.get(url(opportunity))
    write = client.put(url(opportunity), put_body(discount_rate=D("0.08")), format="json")

    assert read.status_code == get_status
    assert write.status_code == put_status
    if put_status == 200:
        assert write.json()["discount_rate"] == "0.080000"
        assert FinancialModel.objects.get(opportunity=opportunity).discount_rate == D("0.08")
    else:
        assert stored() == before
    if get_status == 200:
        body = read.json()
        assert body["reference"] == opportunity.reference and len(body["years"]) == 12
        assert body["result"]["indicators"]["npv"]["value"] > 0
        assert body["appraisal_status"] == "current"


def test_get_without_a_model_is_404(people):
    opportunity = OpportunityFactory()
    assert client_for(None).get(url(opportunity)).status_code == 404


def test_put_creates_a_model_appraised_after_commit(people, django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(people["staff_wa"]).put(url(opportunity), put_body(), format="json")
    assert response.status_code == 200
    assert (response.json()["appraisal_status"], response.json()["result"]) == ("pending", None)
    assert len(callbacks) == 1

    body = client_for(None).get(url(opportunity)).json()
    assert body["appraisal_status"] == "current"
    assert body["result"]["inputs_hash"] == body["inputs_hash"]
    assert body["result"]["indicators"]["min_dscr"]["value"] > 1


BAD_BODIES = [
    ("negative horizon", {"horizon_years": -5}, "horizon_years"),
    ("rate of -100%", {"discount_rate": "-1"}, "discount_rate"),
    ("rate below -100%", {"discount_rate": "-1.5"}, "discount_rate"),
    ("junk rate", {"discount_rate": "lots"}, "discount_rate"),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_bad_model_fields_are_400_naming_the_field(modelled, people, case, change, field):
    before = stored()
    body = {**put_body(), **change}
    response = client_for(people["staff_wa"]).put(url(modelled["mine"]), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert stored() == before


def test_a_year_outside_the_horizon_is_400_on_that_row(modelled, people):
    before = stored()
    body = put_body()
    body["years"].append({"year_index": 30, "revenue": "100"})
    response = client_for(people["staff_wa"]).put(url(modelled["mine"]), body, format="json")
    assert response.status_code == 400
    rows = response.json()["years"]
    assert "year_index" in rows[12] and all(row == {} for row in rows[:12])
    assert stored() == before


def test_a_currency_without_a_rate_is_400(modelled, people, pound):
    before = stored()
    response = client_for(people["staff_wa"]).put(url(modelled["mine"]), put_body(currency="GBP"), format="json")
    assert response.status_code == 400
    assert "GBP" in response.json()["currency"][0]
    assert stored() == before


def test_persian_digits_in_every_number_field(people):
    opportunity = OpportunityFactory()
    body = put_body()
    body.update(discount_rate="۰٫۱۲", tax_rate="٠٫٢٥", horizon_years="۱۲", base_year="۱۴۰۵", capacity_volume="۴۰٬۰۰۰")
    body["years"][0] = {"year_index": "۰", "fixed_investment": "۴۰ میلیون", "equity": "۲۲٬۰۰۰٬۰۰۰"}
    body["loans"][0].update(amount="۵۰ میلیون", annual_rate="۰٫۰۷", tenor_years="۸", grace_years="۲", drawdown_year="۱")
    response = client_for(people["staff_wa"]).put(url(opportunity), body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["discount_rate"], data["base_year"], data["capacity_volume"]) == ("0.120000", 1405, "40000.0000")
    assert data["years"][0]["fixed_investment"] == "40000000.00"
    assert data["loans"][0]["amount"] == "50000000.00"


def test_sensitivity_with_persian_digits_and_another_currency(modelled):
    mine = modelled["mine"]
    own = client_for(None).get(url(mine, "sensitivity/")).json()
    response = client_for(None).get(url(mine, "sensitivity/"), {"discount_rate": "۰٫۱۲", "currency": "irr"})
    assert response.status_code == 200
    body = response.json()
    rate = exchange_rate_latest(currency_code="IRR").units_per_usd
    assert (body["currency"], body["model_currency"], body["discount_rate"]) == ("IRR", "USD", 0.12)
    assert D(body["fx_rate"]) == rate
    assert own["discount_rate"] == 0.10
    assert body["indicators"]["npv"]["value"] < own["indicators"]["npv"]["value"] * float(rate)  # a higher rate
    assert body["indicators"]["project_irr"] == own["indicators"]["project_irr"]
    assert {row["variable"] for row in body["tornado"]} == {"price", "volume", "capex", "opex", "discount_rate"}
    assert len(body["tornado"]) == 30
    assert [s["name"] for s in body["scenarios"]] == ["base", "optimistic", "pessimistic"]
    assert -100 < body["switching_values"]["price"]["value"] < 0


def test_sensitivity_rial_model_in_dollars_goes_through_the_dollar(modelled):
    plant = modelled["plant"]
    body = client_for(None).get(url(plant, "sensitivity/"), {"currency": "EUR"}).json()
    irr_rate = exchange_rate_latest(currency_code="IRR").units_per_usd
    eur_rate = exchange_rate_latest(currency_code="EUR").units_per_usd
    assert D(body["fx_rate"]) == (eur_rate / irr_rate).quantize(D("1e-12"))


def test_a_nominal_model_in_another_currency_is_at_constant_prices(modelled, people):
    # given the rial plant entered at nominal prices that carry 20% inflation
    plant = modelled["plant"]
    data = rial_data(discount_rate=D("0.4"), inflation_rate=D("0.2"))
    body = {key: str(value) if isinstance(value, D) else value for key, value in data.items()}
    body["years"] = [{k: str(v) if isinstance(v, D) else v for k, v in line.items()} for line in rial_years()]
    assert client_for(people["staff_wa"]).put(url(plant), body, format="json").status_code == 200
    own = client_for(None).get(url(plant, "sensitivity/")).json()
    # when an investor reads it in dollars
    dollars = client_for(None).get(url(plant, "sensitivity/"), {"currency": "USD"}).json()
    # then the rates are real and the NPV is the rial NPV at today's rate; in rials nothing is deflated
    assert (own["discount_rate"], own["inflation_removed"]) == (0.4, 0.0)
    assert dollars["discount_rate"] == pytest.approx(1.4 / 1.2 - 1) and dollars["inflation_removed"] == 0.2
    nominal_irr = own["indicators"]["project_irr"]["value"]
    real = (1 + nominal_irr) / 1.2 - 1
    assert nominal_irr > 0.2 and dollars["indicators"]["project_irr"]["value"] == pytest.approx(real, rel=1e-9)
    assert dollars["indicators"]["npv"]["value"] == pytest.approx(
        own["indicators"]["npv"]["value"] * float(D(dollars["fx_rate"])), rel=1e-6, abs=0.01
    )  # amounts come rounded to cents
    # and the comparison, in rials too, puts it at constant prices
    compare = client_for(None).get("/api/v1/compare/", {"refs": plant.reference, "currency": "IRR"}).json()
    assert compare["items"][0]["indicators"]["project_irr"]["value"] == pytest.approx(real, rel=1e-9)
    assert compare["items"][0]["inflation_removed"] == 0.2


@pytest.mark.parametrize("value", ["-1", "-2.5", "abc"])
def test_inflation_of_minus_100_percent_or_junk_is_400_and_changes_nothing(modelled, people, value):
    before = stored()
    body = {**put_body(), "inflation_rate": value}
    response = client_for(people["staff_wa"]).put(url(modelled["mine"]), body, format="json")
    assert response.status_code == 400 and "inflation_rate" in response.json()
    assert stored() == before


@pytest.mark.parametrize(
    ("query", "field"),
    [({"currency": "GBP"}, "currency"), ({"currency": "XYZ"}, "currency"), ({"discount_rate": "-1"}, "discount_rate")],
)
def test_sensitivity_bad_query_is_400(modelled, pound, query, field):
    response = client_for(None).get(url(modelled["mine"], "sensitivity/"), query)
    assert response.status_code == 400
    assert field in response.json()


def test_sensitivity_of_a_draft_is_404_to_the_public(modelled, people):
    assert client_for(None).get(url(modelled["draft"], "sensitivity/")).status_code == 404
    assert client_for(people["staff_wa"]).get(url(modelled["draft"], "sensitivity/")).status_code == 200


def test_compare_on_one_basis(modelled):
    refs = f"{modelled['mine'].reference},{modelled['plant'].reference}"
    response = client_for(None).get("/api/v1/compare/", {"refs": refs, "currency": "USD", "discount_rate": "۰٫۱"})
    assert response.status_code == 200
    body = response.json()
    assert (body["currency"], body["discount_rate"], body["not_found"]) == ("USD", "0.100000", [])
    mine, plant = body["items"]
    assert mine["model_currency"] == "USD" and plant["model_currency"] == "IRR"
    plant_npv = FinancialResult.objects.get(model__opportunity=modelled["plant"])
    assert plant["indicators"]["npv"]["value"] != float(plant_npv.npv)  # converted and re-discounted
    assert len(mine["project_fcf"]) == 12


def test_compare_reports_a_draft_as_not_found(modelled, people):
    refs = f"{modelled['mine'].reference},{modelled['draft'].reference}"
    body = client_for(None).get("/api/v1/compare/", {"refs": refs}).json()
    assert [item["reference"] for item in body["items"]] == [modelled["mine"].reference]
    assert body["not_found"] == [modelled["draft"].reference]
    staff = client_for(people["staff_wa"]).get("/api/v1/compare/", {"refs": refs}).json()
    assert staff["not_found"] == []


def test_compare_more_than_four_is_400(modelled):
    refs = ",".join(f"WA-MIN-2026-{n:04d}" for n in range(1, 6))
    response = client_for(None).get("/api/v1/compare/", {"refs": refs})
    assert response.status_code == 400
    assert "4" in response.json()["refs"][0]


def test_compare_currency_without_rate_is_400(modelled, pound):
    response = client_for(None).get("/api/v1/compare/", {"refs": modelled["mine"].reference, "currency": "GBP"})
    assert response.status_code == 400 and "currency" in response.json()


def test_compare_query_count_does_not_grow_with_refs(modelled, django_capture_on_commit_callbacks):
    extra = [OpportunityFactory() for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        for opportunity in extra:
            from tests.finance.factories import rial_model

            rial_model(opportunity)
    one = modelled["mine"].reference
    four = ",".join([one, modelled["plant"].reference, *(o.reference for o in extra)])
    client = client_for(None)
    with CaptureQueriesContext(connection) as single:
        assert client.get("/api/v1/compare/", {"refs": one}).status_code == 200
    with CaptureQueriesContext(connection) as several:
        body = client.get("/api/v1/compare/", {"refs": four}).json()
    assert len(body["items"]) == 4
    assert len(several) == len(single)


def test_schema_describes_the_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/opportunities/{reference}/financials/"])
    assert "get" in paths["/api/v1/opportunities/{reference}/financials/sensitivity/"]
    assert "get" in paths["/api/v1/compare/"]
    indicator = schema["components"]["schemas"]["Indicator"]["properties"]
    assert indicator["value"]["type"] == "number" and indicator["value"].get("nullable")
