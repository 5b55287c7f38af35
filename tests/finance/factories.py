"""Financial models made through the service, as staff would enter them: a small USD mine and a rial plant."""

from decimal import Decimal as D

from opportunities.finance import services
from opportunities.finance.models import FinancialModel, FinancialResult, Loan, YearLine


def stored() -> tuple:
    """Every model, line, loan and result as stored: equal before and after a refused write."""
    return (
        list(FinancialModel.objects.order_by("pk").values()),
        list(YearLine.objects.order_by("pk").values()),
        list(Loan.objects.order_by("pk").values()),
        FinancialResult.objects.count(),
    )


def mine_years(*, horizon: int = 12) -> list[dict]:
    """Two build years, ramp-up 50/80/100%, copper concentrate at 2,400 USD a tonne."""
    years = [
        {"year_index": 0, "fixed_investment": D("40000000"), "pre_production": D("2000000"), "equity": D("22000000")},
        {"year_index": 1, "fixed_investment": D("60000000"), "equity": D("30000000")},
    ]
    for t in range(2, horizon):
        volume = D("40000") * {2: D("0.5"), 3: D("0.8")}.get(t, D(1))
        years.append(
            {
                "year_index": t,
                "production_volume": volume,
                "unit_price": D("2400"),
                "variable_cost_per_unit": D("950"),
                "fixed_operating_cost": D("12000000"),
                "working_capital": volume * D("240"),
            }
        )
    return years


MINE_LOAN = {"amount": D("50000000"), "annual_rate": D("0.07"), "tenor_years": 8, "grace_years": 2, "drawdown_year": 1}


def mine_data(**overrides) -> dict:
    data = {
        "currency": "USD",
        "base_year": 2026,
        "horizon_years": 12,
        "discount_rate": D("0.10"),
        "tax_rate": D("0.25"),
        "useful_life_years": 10,
        "capacity_volume": D("40000"),
        "volume_unit": "tonnes",
    }
    return {**data, **overrides}


def rial_years() -> list[dict]:
    years = [{"year_index": 0, "fixed_investment": D("800000000000"), "equity": D("800000000000")}]
    years += [
        {"year_index": t, "revenue": D("600000000000"), "operating_cost": D("330000000000")} for t in range(1, 10)
    ]
    return years


def rial_data(**overrides) -> dict:
    data = {
        "currency": "IRR",
        "base_year": 1405,
        "horizon_years": 10,
        "discount_rate": D("0.28"),
        "tax_rate": D("0.25"),
    }
    return {**data, **overrides}


def mine_model(opportunity, *, actor=None, **overrides):
    """A USD mine with a loan; the appraisal is dispatched on commit (run it with the on-commit capture)."""
    return services.financial_model_save(
        opportunity=opportunity, actor=actor, data=mine_data(**overrides), years=mine_years(), loans=[MINE_LOAN]
    )


def rial_model(opportunity, *, actor=None, **overrides):
    return services.financial_model_save(
        opportunity=opportunity, actor=actor, data=rial_data(**overrides), years=rial_years(), loans=[]
    )
