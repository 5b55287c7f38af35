"""Writes to financial models. Admin, API, seed and tasks all come through here.

Saving a model is atomic and validated by the engine's own rules, so what is stored can always be appraised; the
model row records its inputs hash, and an appraisal is dispatched after commit. The appraisal is idempotent on
(model, inputs hash, engine version): a second run, or the beat sweeper finding nothing due, changes nothing.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opportunities.models import Opportunity
from registry.models import Currency
from registry.selectors import usd_equivalent
from registry.text import parse_number

from .engine import ENGINE_VERSION, Appraisal, appraise
from .inputs import ModelInputs, inputs_hash, validate
from .models import FinancialModel, FinancialResult, Loan, YearLine
from .results import indicators_json, key_figures, to_decimal, years_json
from .selectors import financial_model_queryset, model_inputs, units_per_usd
from .sensitivity import VARIABLES

logger = logging.getLogger(__name__)

APPRAISE_TASK = "finance.appraise_model"
MODEL_FIELDS = (
    "currency",
    "base_year",
    "horizon_years",
    "discount_rate",
    "tax_rate",
    "useful_life_years",
    "amortisation_years",
    "reinvestment_rate",
    "inflation_rate",
    "capacity_volume",
    "volume_unit",
    "recover_working_capital",
    "scenarios",
)
LINE_FIELDS = (
    "year_index",
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
LOAN_FIELDS = ("amount", "annual_rate", "tenor_years", "grace_years", "drawdown_year")
_NOT_NUMBERS = frozenset({"currency", "volume_unit", "recover_working_capital", "scenarios"})


def _coerce(value):
    """Numbers may arrive as text typed in Persian digits («۱۲٫۵»); everything else passes unchanged."""
    return parse_number(value) if isinstance(value, str) and value.strip() else (None if value == "" else value)


def _set_fields(obj, data: dict, allowed: tuple[str, ...], prefix: str, errors: dict) -> None:
    for name, value in data.items():
        if name not in allowed:
            errors.setdefault(f"{prefix}{name}", []).append(_("This field cannot be set here."))
            continue
        try:
            setattr(obj, name, value if name in _NOT_NUMBERS else _coerce(value))
        except (ValueError, TypeError):
            errors.setdefault(f"{prefix}{name}", []).append(_("Enter a number, e.g. 1200, ۱۲۰۰ or ۵۰ میلیارد."))


def _field_errors(obj, *, exclude: list[str], prefix: str, errors: dict) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(f"{prefix}{name}", []).extend(messages)


def _currency(model: FinancialModel, data: dict, errors: dict) -> None:
    """The currency may be given as a Currency or its code; without a rate the NPV could never be shown in USD."""
    value = data.get("currency", model.currency_id if model.currency_id else None)
    code = value.pk if isinstance(value, Currency) else str(value or "").strip().upper()
    currency = Currency.objects.filter(pk=code).first() if code else None
    if currency is None:
        errors.setdefault("currency", []).append(_("Choose a known currency, e.g. IRR or USD."))
    elif code not in units_per_usd(codes={code}):
        errors.setdefault("currency", []).append(
            _("No exchange rate is recorded for %(code)s; record one before using it.") % {"code": code}
        )
    else:
        model.currency = currency


def _scenario_errors(scenarios) -> list[str]:
    """Scenarios are JSON typed by staff: [{"name": str, "changes": {variable: % > -100}}]."""
    if not isinstance(scenarios, list):
        return [_("Give a list of scenarios.")]
    problems = []
    for item in scenarios:
        changes = item.get("changes") if isinstance(item, dict) else None
        if not (isinstance(changes, dict) and isinstance(item.get("name"), str) and item["name"].strip()):
            problems.append(_('Each scenario needs a "name" and a "changes" object.'))
            continue
        for name, pct in changes.items():
            if name not in VARIABLES:
                problems.append(
                    _("Unknown variable %(name)s; use one of %(names)s.")
                    % {"name": name, "names": ", ".join(VARIABLES)}
                )
            elif isinstance(pct, bool) or not isinstance(pct, (int, float)) or not pct > -100:
                problems.append(_("The change of %(name)s must be a number of percent above -100.") % {"name": name})
    return problems


def _assemble(
    *, model: FinancialModel, data: dict, years: list[dict], loans: list[dict]
) -> tuple[list[YearLine], list[Loan]]:
    """Apply the typed values to unsaved rows and check them all; raise one ValidationError naming every field."""
    errors: dict[str, list[str]] = {}
    _set_fields(model, {k: v for k, v in data.items() if k != "currency"}, MODEL_FIELDS, "", errors)
    _currency(model, data, errors)
    if "scenarios" in data and data["scenarios"] in (None, ""):
        model.scenarios = []
    errors.setdefault("scenarios", []).extend(_scenario_errors(model.scenarios))
    exclude = ["opportunity", "currency", "inputs_hash", "appraised_hash", "updated_by", "scenarios"]
    _field_errors(model, exclude=exclude, prefix="", errors=errors)
    lines, loan_rows = [], []
    for position, values in enumerate(years):
        line = YearLine(model=model)
        _set_fields(line, values, LINE_FIELDS, f"years[{position}].", errors)
        _field_errors(line, exclude=["model"], prefix=f"years[{position}].", errors=errors)
        lines.append(line)
    for position, values in enumerate(loans):
        loan = Loan(model=model, position=position)
        _set_fields(loan, values, LOAN_FIELDS, f"loans[{position}].", errors)
        _field_errors(loan, exclude=["model", "position"], prefix=f"loans[{position}].", errors=errors)
        loan_rows.append(loan)
    errors = {name: messages for name, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return lines, loan_rows


def _engine_check(model: FinancialModel, lines: list[YearLine], loans: list[Loan]) -> str:
    """The engine's own rules (horizon, rates, years inside the horizon, loans repaid in time); returns the hash."""
    inputs = model_inputs(model=model, years=lines, loans=loans)
    problems = validate(inputs=inputs)
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name, []).append(_(message))
        raise ValidationError(errors)
    return inputs_hash(inputs=inputs)


@transaction.atomic
def financial_model_save(
    *, opportunity: Opportunity, actor, data: dict, years: list[dict], loans: list[dict] | None = None
) -> FinancialModel:
    """Create or replace an opportunity's model with its yearly lines and loans; nothing is stored on any error.

    `data` holds model fields (missing ones keep their stored value), `years` and `loans` replace the stored rows.
    Numbers may be Decimals, ints or text in Persian digits. The appraisal runs after commit (task).
    """
    model = FinancialModel.objects.select_for_update().filter(opportunity=opportunity).first()
    model = model or FinancialModel(opportunity=opportunity)
    lines, loan_rows = _assemble(model=model, data=data, years=years, loans=loans or [])
    model.inputs_hash = _engine_check(model, lines, loan_rows)
    model.updated_by = actor if getattr(actor, "pk", None) else None
    model.save()
    YearLine.objects.filter(model=model).delete()
    Loan.objects.filter(model=model).delete()
    YearLine.objects.bulk_create(lines)
    Loan.objects.bulk_create(loan_rows)
    Opportunity.objects.filter(pk=opportunity.pk, has_financial_model=False).update(has_financial_model=True)
    if model.needs_appraisal:
        model_id = model.pk
        transaction.on_commit(lambda: appraisal_dispatch(model_id=model_id))
    return model


@transaction.atomic
def financial_model_delete(*, model: FinancialModel, actor) -> None:
    """Remove a model and the headline figures copied from it, so listings stop filtering on stale numbers."""
    opportunity_id = model.opportunity_id
    model.delete()
    Opportunity.objects.filter(pk=opportunity_id).update(
        has_financial_model=False, fin_npv_usd=None, fin_irr=None, fin_payback_years=None
    )


def appraisal_dispatch(*, model_id: int) -> None:
    """Hand an appraisal to the workers. A broker outage is logged, not raised: the sweeper retries it."""
    from .tasks import finance_appraise_model_task  # the task module imports this one

    try:
        finance_appraise_model_task.delay(model_id=model_id)
    except Exception:
        logger.warning("could not dispatch the appraisal of model %s now; the sweeper will", model_id, exc_info=True)


def result_build(*, model: FinancialModel, appraisal: Appraisal) -> FinancialResult:
    """An unsaved result row for an appraisal at the model's own rate and in its own currency.

    Sensitivity is not stored: the pages and the API compute it within the request, at the reader's rate.
    """
    return FinancialResult(
        model=model,
        engine_version=appraisal.engine_version,
        inputs_hash=appraisal.inputs_hash,
        currency=appraisal.currency,
        discount_rate=model.discount_rate,
        indicators=indicators_json(appraisal),
        years=years_json(appraisal),
        **key_figures(appraisal),
    )


HEADLINE_FIELDS = ("has_financial_model", "fin_npv_usd", "fin_irr", "fin_payback_years")


def headline_values(*, result: FinancialResult, npv_usd: Decimal | None, real: Appraisal | None = None) -> dict:
    """The opportunity's copy of the key figures: NPV in US dollars (None without a rate), IRR, payback.

    The catalogue sorts and filters every model by these, so they are on one basis, as in the comparison: the IRR
    and payback of a nominal model are those at constant prices (`real`, see `constant_basis`); the NPV, a present
    value, is the same either way.
    """
    irr, payback = result.project_irr, result.payback_years
    if real is not None:
        irr, payback = real.indicators.project_irr.value, real.indicators.payback.value
    return {
        "has_financial_model": True,
        "fin_npv_usd": to_decimal(npv_usd, places=2, max_digits=20),
        "fin_irr": to_decimal(irr, places=6, max_digits=9),
        "fin_payback_years": to_decimal(payback, places=2, max_digits=6),
    }


def constant_basis(*, inputs: ModelInputs) -> Appraisal | None:
    """The appraisal at constant prices of a model whose amounts carry inflation; None when they are constant."""
    return appraise(inputs=inputs, constant_prices=True) if inputs.inflation_rate else None


def financial_model_appraise(*, model_id: int) -> FinancialResult | None:
    """Appraise a model's current inputs and copy the headline onto the opportunity; None when nothing was due.

    Idempotent: with a result for the current inputs hash and engine version already stored and copied, it does
    nothing, so a redelivered task or a sweep racing a dispatch writes one result and copies the figures once.
    """
    with transaction.atomic():
        model = FinancialModel.objects.select_for_update().filter(pk=model_id).first()
        if model is None:
            return None
        current = FinancialResult.objects.filter(
            model=model, inputs_hash=model.inputs_hash, engine_version=ENGINE_VERSION
        ).first()
        if current is not None and not model.needs_appraisal:
            return None
        inputs = None
        if current is None or model.inflation_rate:
            model = financial_model_queryset().get(pk=model_id)
            inputs = model_inputs(model=model)
        if current is None:
            appraisal = appraise(inputs=inputs)
            model.inputs_hash = appraisal.inputs_hash  # the same unless the engine's hash changed
            current = result_build(model=model, appraisal=appraisal)
            current.save()
        FinancialModel.objects.filter(pk=model.pk).update(
            inputs_hash=current.inputs_hash, appraised_hash=current.inputs_hash
        )
        npv_usd = usd_equivalent(amount=current.npv, currency_code=model.currency_id)
        real = constant_basis(inputs=inputs) if inputs is not None else None
        headline = headline_values(result=current, npv_usd=npv_usd, real=real)
        Opportunity.objects.filter(pk=model.opportunity_id).update(**headline)
        return current


def financial_models_due(*, older_than_seconds: int = 60, limit: int = 500) -> list[int]:
    """Models whose current inputs have no result from this engine version, or whose headline was not copied."""
    current = FinancialResult.objects.filter(
        model=OuterRef("pk"), inputs_hash=OuterRef("inputs_hash"), engine_version=ENGINE_VERSION
    )
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    due = FinancialModel.objects.filter(~Exists(current) | ~Q(appraised_hash=F("inputs_hash")), updated_at__lte=cutoff)
    return list(due.order_by("updated_at").values_list("pk", flat=True)[:limit])


def financial_models_sweep(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """The beat sweeper: dispatch the appraisal of every model that is due (lost message, broker outage)."""
    ids = financial_models_due(older_than_seconds=older_than_seconds, limit=limit)
    for model_id in ids:
        appraisal_dispatch(model_id=model_id)
    return len(ids)


@transaction.atomic
def financial_models_bulk_create(*, drafts: list, units_per_usd: dict[str, Decimal]) -> int:
    """Insert many new models with their rows and appraise them in the same run (the demo seed): no task, no
    broker, a few batched inserts. `drafts` have unsaved `model`, `years` and `loans`; the rates give the USD NPV."""
    appraisals, reals = [], []
    for draft in drafts:
        inputs = model_inputs(model=draft.model, years=draft.years, loans=draft.loans)
        appraisal = appraise(inputs=inputs)
        draft.model.inputs_hash = draft.model.appraised_hash = appraisal.inputs_hash
        appraisals.append(appraisal)
        reals.append(constant_basis(inputs=inputs))
    FinancialModel.objects.bulk_create([draft.model for draft in drafts], batch_size=500)
    for draft in drafts:
        for row in (*draft.years, *draft.loans):
            row.model = draft.model
    YearLine.objects.bulk_create([row for draft in drafts for row in draft.years], batch_size=2000)
    Loan.objects.bulk_create([row for draft in drafts for row in draft.loans], batch_size=2000)
    results = [result_build(model=d.model, appraisal=a) for d, a in zip(drafts, appraisals, strict=True)]
    FinancialResult.objects.bulk_create(results, batch_size=200)
    for draft, result, real in zip(drafts, results, reals, strict=True):
        rate = units_per_usd.get(draft.model.currency_id)
        npv_usd = None if result.npv is None or not rate else result.npv / rate
        # One small UPDATE per row: bulk_update's CASE expressions cost more than they save at this size.
        Opportunity.objects.filter(pk=draft.model.opportunity_id).update(
            **headline_values(result=result, npv_usd=npv_usd, real=real)
        )
    return len(drafts)
