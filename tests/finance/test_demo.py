"""Demo financial models: deterministic, plausible (mining in USD with a build and a ramp-up, the rest in rials),
appraised in the same seed run."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from opportunities.finance import demo
from opportunities.finance.models import FinancialModel, FinancialResult
from opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", count=60, mining=20, verbosity=0)
    return list(Opportunity.objects.filter(is_demo=True).select_related("sector__parent", "commodity"))


def test_every_demo_opportunity_has_an_appraised_model(seeded):
    models = FinancialModel.objects.filter(opportunity__is_demo=True)
    assert models.count() == len(seeded) == 60
    assert FinancialResult.objects.filter(model__in=models).count() == 60
    assert not [model for model in models if model.needs_appraisal]
    assert all(o.has_financial_model and o.fin_npv_usd is not None and o.fin_irr is not None for o in seeded)


def test_mining_is_in_dollars_with_a_build_and_a_ramp_up(seeded):
    mines = [o for o in seeded if o.sector.root.code == "MIN"]
    assert len(mines) == 20
    for opportunity in mines:
        model = FinancialModel.objects.get(opportunity=opportunity)
        years = list(model.years.order_by("year_index"))
        build = [y for y in years if y.fixed_investment and not y.production_volume]
        producing = [y for y in years if y.production_volume]
        assert model.currency_id == "USD" and 20 <= model.horizon_years <= 25
        assert 2 <= len(build) <= 3 and build[0].year_index == 0
        full = producing[2].production_volume
        assert [y.production_volume / full for y in producing[:3]] == [D("0.5"), D("0.8"), D(1)]
        assert producing[0].unit_price > 0 and producing[0].variable_cost_per_unit < producing[0].unit_price


def test_others_are_in_rials_and_plausible(seeded):
    others = FinancialModel.objects.filter(opportunity__is_demo=True, currency_id="IRR")
    assert others.count() == 40
    irrs = [float(o.fin_irr) for o in seeded if o.sector.root.code != "MIN"]
    assert 0.1 < sorted(irrs)[len(irrs) // 2] < 0.6  # nominal rial returns


def test_same_seed_same_models(seeded):
    rates = {"USD": D(1), "IRR": D("1100000")}
    first = demo.build_drafts(opportunities=seeded[:10], rates=rates, seed=7)
    again = demo.build_drafts(opportunities=seeded[:10], rates=rates, seed=7)
    other = demo.build_drafts(opportunities=seeded[:10], rates=rates, seed=8)

    def shape(drafts):
        return [(d.model.horizon_years, d.model.discount_rate, [y.fixed_investment for y in d.years]) for d in drafts]

    assert shape(first) == shape(again) != shape(other)
