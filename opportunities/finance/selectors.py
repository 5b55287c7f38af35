"""Reads of financial models: stored rows to engine inputs, exchange rates between currencies, investor re-runs and
the side-by-side comparison. Visibility always goes through `opportunities_visible_to`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opportunities.models import Opportunity
from opportunities.selectors import opportunities_visible_to
from registry.models import Currency, ExchangeRate

from . import inputs as engine_inputs
from .engine import Appraisal, appraise
from .inputs import InvalidInputs, ModelInputs
from .models import FinancialModel, FinancialResult, Loan, YearLine
from .sensitivity import VARIABLES, Analysis, Scenario, analyse

MAX_COMPARE = 4
COMPARE_DEFAULT_CURRENCY = "USD"
COMPARE_DEFAULT_DISCOUNT_RATE = Decimal("0.10")

_LINE_FIELDS = (
    "fixed_investment",
    "pre_production",
    "working_capital",
    "production_volume",
    "unit_price",
    "revenue",
    "variable_cost_per_unit",
    "fixed_operating_cost",
    "operating_cost",
    "equity",
)


def model_prefetch(prefix: str = "") -> tuple[Prefetch, Prefetch]:
    """Lines in year order and loans in position order, from a model or (with a prefix) from an opportunity."""
    return (
        Prefetch(f"{prefix}years", queryset=YearLine.objects.order_by("year_index")),
        Prefetch(f"{prefix}loans", queryset=Loan.objects.order_by("position", "id")),
    )


def model_inputs(
    *, model: FinancialModel, years: Iterable[YearLine] | None = None, loans: Iterable[Loan] | None = None
) -> ModelInputs:
    """The engine's inputs from a model and its yearly lines and loans (prefetched ones unless given, unsaved)."""
    years = tuple(
        engine_inputs.YearLine(year_index=line.year_index, **{name: getattr(line, name) for name in _LINE_FIELDS})
        for line in (model.years.all() if years is None else years)
    )
    loans = tuple(
        engine_inputs.Loan(
            amount=loan.amount,
            annual_rate=loan.annual_rate,
            tenor_years=loan.tenor_years,
            grace_years=loan.grace_years,
            drawdown_year=loan.drawdown_year,
        )
        for loan in (model.loans.all() if loans is None else loans)
    )
    return ModelInputs(
        currency=model.currency_id,
        base_year=model.base_year,
        horizon_years=model.horizon_years,
        discount_rate=model.discount_rate,
        tax_rate=model.tax_rate,
        useful_life_years=model.useful_life_years,
        amortisation_years=model.amortisation_years,
        reinvestment_rate=model.reinvestment_rate,
        inflation_rate=model.inflation_rate,
        capacity_volume=model.capacity_volume,
        recover_working_capital=model.recover_working_capital,
        years=years,
        loans=loans,
    )


def scenario_definitions(*, model: FinancialModel) -> tuple[Scenario, ...]:
    """The model's named scenarios (JSON) as engine scenarios; unknown variables were refused when stored."""
    return tuple(
        Scenario(name=str(item["name"]), changes=tuple((name, float(pct)) for name, pct in item["changes"].items()))
        for item in model.scenarios or []
        if all(name in VARIABLES for name in item.get("changes", {}))
    )


def financial_model_queryset() -> QuerySet[FinancialModel]:
    return FinancialModel.objects.select_related("currency", "opportunity").prefetch_related(*model_prefetch())


def financial_model_of(*, opportunity: Opportunity) -> FinancialModel | None:
    """The opportunity's model with its lines and loans (three queries), or None."""
    return financial_model_queryset().filter(opportunity=opportunity).first()


def financial_result_latest(*, model: FinancialModel) -> FinancialResult | None:
    """The newest stored result; it may be for older inputs while an appraisal is pending."""
    return model.results.order_by("-computed_at", "-id").first()


def opportunity_visible(*, user, reference: str) -> Opportunity:
    """One opportunity the user may see, by reference; any other does not exist (404)."""
    found = opportunities_visible_to(user).filter(reference=reference.upper()).first()
    if found is None:
        raise Http404(_("No opportunity with this reference."))
    return found


def units_per_usd(*, codes: Iterable[str], on: datetime.date | None = None) -> dict[str, Decimal]:
    """The rate in force for each currency, in one query; the US dollar is 1 whether or not a row says so."""
    codes = set(codes)
    on = on or timezone.localdate()
    rows = (
        ExchangeRate.objects.filter(currency_id__in=codes, valid_from__lte=on)
        .order_by("currency_id", "-valid_from")
        .values_list("currency_id", "units_per_usd")
    )
    rates: dict[str, Decimal] = {}
    for code, rate in rows:
        rates.setdefault(code, rate)
    if "USD" in codes:
        rates.setdefault("USD", Decimal(1))
    return rates


def fx_rate(*, source: str, target: str, rates: dict[str, Decimal]) -> Decimal:
    """Units of `target` per unit of `source` through the US dollar; a missing rate is an error on `currency`."""
    if source == target:
        return Decimal(1)
    for code in (target, source):
        if code not in rates:
            raise ValidationError(
                {
                    "currency": _("No exchange rate is recorded for %(code)s, so amounts cannot be converted.")
                    % {"code": code}
                }
            )
    return rates[target] / rates[source]


def target_currency(*, code: str | None, default: str) -> str:
    """A currency code a person chose (any case), checked against the reference list."""
    code = (code or default).strip().upper()
    if not Currency.objects.filter(pk=code).exists():
        raise ValidationError({"currency": _("Unknown currency %(code)s.") % {"code": code}})
    return code


def _check_rate(discount_rate: Decimal | None) -> None:
    if discount_rate is not None and not discount_rate > -1:
        raise ValidationError({"discount_rate": _("The discount rate must be greater than -100%.")})


@dataclass(frozen=True)
class InvestorView:
    """A model re-run at the investor's discount rate and in the investor's currency."""

    model: FinancialModel
    currency: str
    fx_rate: Decimal
    discount_rate: float
    analysis: Analysis


def investor_analysis(
    *, model: FinancialModel, discount_rate: Decimal | None = None, currency_code: str | None = None
) -> InvestorView:
    """Appraisal, tornado, switching values and scenarios computed within the request (a millisecond or less).

    The currency goes model currency → USD → target through the stored rates; a rate that is missing or a discount
    rate at or below -100% is a ValidationError naming the field, never a silent fallback. In another currency the
    model is shown at constant prices (its inflation taken out, `engine` conventions) and the rate is a real one.
    """
    _check_rate(discount_rate)
    code = target_currency(code=currency_code, default=model.currency_id)
    rate = fx_rate(source=model.currency_id, target=code, rates=units_per_usd(codes={model.currency_id, code}))
    try:
        analysis = analyse(
            inputs=model_inputs(model=model),
            discount_rate=discount_rate,
            fx_rate=rate,
            definitions=scenario_definitions(model=model),
            constant_prices=code != model.currency_id,
        )
    except InvalidInputs as error:  # stored models are validated; this only guards against hand-edited rows
        raise ValidationError({name: [message] for name, message in error.errors}) from error
    return InvestorView(
        model=model, currency=code, fx_rate=rate, discount_rate=analysis.appraisal.discount_rate, analysis=analysis
    )


@dataclass(frozen=True)
class ComparisonItem:
    """One column of the comparison: the opportunity and its appraisal, or the reason there is none."""

    opportunity: Opportunity
    appraisal: Appraisal | None
    problem: str = ""
    model_currency: str | None = None


@dataclass(frozen=True)
class Comparison:
    currency: str
    discount_rate: Decimal
    items: list[ComparisonItem]
    not_found: list[str]


def parse_references(raw: str | Iterable[str] | None) -> list[str]:
    """References from `?refs=A,B,C` (or repeated `refs`), upper-cased, duplicates dropped, order kept."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw or [])
    seen: list[str] = []
    for part in parts:
        for piece in str(part).split(","):
            reference = piece.strip().upper()
            if reference and reference not in seen:
                seen.append(reference)
    if not seen:
        raise ValidationError({"refs": _("Give one to %(max)d opportunity references.") % {"max": MAX_COMPARE}})
    if len(seen) > MAX_COMPARE:
        raise ValidationError(
            {
                "refs": _("At most %(max)d opportunities can be compared; %(n)d were given.")
                % {"max": MAX_COMPARE, "n": len(seen)}
            }
        )
    return seen


def comparison(
    *, user, references: list[str], discount_rate: Decimal | None = None, currency_code: str | None = None
) -> Comparison:
    """Up to four opportunities on one currency, one discount rate and constant prices, in a constant number of
    queries: each model's inflation is taken out before converting at today's rate, so a nominal rial model and a
    dollar model at constant prices are read alike, and the rate is a real one."""
    _check_rate(discount_rate)
    rate = COMPARE_DEFAULT_DISCOUNT_RATE if discount_rate is None else discount_rate
    code = target_currency(code=currency_code, default=COMPARE_DEFAULT_CURRENCY)
    found = {
        opportunity.reference: opportunity
        for opportunity in opportunities_visible_to(user)
        .filter(reference__in=references)
        .select_related("province", "sector", "financial_model__currency")
        .prefetch_related(*model_prefetch("financial_model__"))
    }
    models = [model for model in (_model_or_none(found[ref]) for ref in references if ref in found) if model]
    rates = units_per_usd(codes={code, *(model.currency_id for model in models)})
    if code not in rates:
        raise ValidationError({"currency": _("No exchange rate is recorded for %(code)s.") % {"code": code}})
    items = [_compare_item(found[ref], rate=rate, code=code, rates=rates) for ref in references if ref in found]
    return Comparison(
        currency=code, discount_rate=rate, items=items, not_found=[ref for ref in references if ref not in found]
    )


def _model_or_none(opportunity: Opportunity) -> FinancialModel | None:
    try:
        return opportunity.financial_model
    except FinancialModel.DoesNotExist:
        return None


def _compare_item(opportunity: Opportunity, *, rate: Decimal, code: str, rates: dict) -> ComparisonItem:
    model = _model_or_none(opportunity)
    if model is None:
        return ComparisonItem(opportunity, None, _("This opportunity has no financial model."))
    try:
        fx = fx_rate(source=model.currency_id, target=code, rates=rates)
        appraisal = appraise(inputs=model_inputs(model=model), discount_rate=rate, fx_rate=fx, constant_prices=True)
    except ValidationError as error:
        return ComparisonItem(opportunity, None, " ".join(error.messages), model.currency_id)
    except InvalidInputs as error:
        return ComparisonItem(opportunity, None, str(error), model.currency_id)
    return ComparisonItem(opportunity, appraisal, "", model.currency_id)
