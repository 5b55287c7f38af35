"""The financial model as the API reads and writes it: inputs in, appraisal and sensitivity out.

Inputs use the Persian-digit fields, so «۰٫۱۲» and 0.12 are the same discount rate. Outputs are described field by
field so that the OpenAPI schema has real types; a figure that does not exist is `{"value": null, "reason": ...}`.
"""

from decimal import Decimal

from rest_framework import serializers

from registry.api.fields import PersianDecimalField, PersianIntegerField
from registry.models import Currency

from ..engine import ENGINE_VERSION, YEAR_COLUMNS
from ..inputs import MAX_HORIZON_YEARS
from ..models import FinancialModel, FinancialResult
from ..results import INDICATOR_NAMES, indicators_json, sensitivity_json, years_json
from ..selectors import Comparison, InvestorView
from ..sensitivity import VARIABLES

MONEY = {"max_digits": 24, "decimal_places": 2}
QUANTITY = {"max_digits": 24, "decimal_places": 4}
RATE = {"max_digits": 9, "decimal_places": 6}
# A discount rate must exceed -100% (the engine's rule); with six decimal places that is -0.999999 or more.
DISCOUNT_RATE = {**RATE, "min_value": Decimal("-0.999999")}


def _money(**kwargs):
    return PersianDecimalField(**MONEY, required=False, default=0, **kwargs)


class YearLineSerializer(serializers.Serializer):
    """One model year: investment, production and price (or revenue), operating cost, equity."""

    year_index = PersianIntegerField(min_value=0, help_text="0 is the base year; must lie inside the horizon.")
    fixed_investment = _money()
    pre_production = _money()
    working_capital = _money(help_text="Balance needed at the end of the year.")
    production_volume = PersianDecimalField(**QUANTITY, required=False, allow_null=True, default=None)
    unit_price = PersianDecimalField(**QUANTITY, required=False, allow_null=True, default=None)
    revenue = _money(help_text="Only when no volume and price are given.")
    variable_cost_per_unit = PersianDecimalField(**QUANTITY, required=False, default=0)
    fixed_operating_cost = _money()
    operating_cost = PersianDecimalField(
        **MONEY,
        required=False,
        allow_null=True,
        default=None,
        help_text="A total instead of the variable and fixed parts.",
    )
    equity = _money()


class LoanSerializer(serializers.Serializer):
    """A term loan: drawn at the end of `drawdown_year`, interest-only for `grace_years`, then an annuity."""

    amount = PersianDecimalField(**MONEY)
    annual_rate = PersianDecimalField(**RATE, help_text="A fraction: 0.08 for 8%.")
    tenor_years = PersianIntegerField(min_value=1, help_text="Including the grace years.")
    grace_years = PersianIntegerField(min_value=0, required=False, default=0)
    drawdown_year = PersianIntegerField(min_value=0, required=False, default=0)


class ScenarioInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40)
    changes = serializers.DictField(
        child=PersianDecimalField(max_digits=8, decimal_places=4),
        help_text=f'Percentage change per variable ({", ".join(VARIABLES)}), e.g. {{"price": 10}}.',
    )


class IndicatorSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(allow_null=True, help_text="Why the value does not exist (when it is null).")
    note = serializers.CharField(allow_null=True)


IndicatorsSerializer = type(
    "IndicatorsSerializer",
    (serializers.Serializer,),
    {name: IndicatorSerializer() for name in INDICATOR_NAMES},
)
YearResultSerializer = type(
    "YearResultSerializer",
    (serializers.Serializer,),
    {
        "year_index": serializers.IntegerField(),
        "year": serializers.IntegerField(),
        **{name: serializers.FloatField() for name in YEAR_COLUMNS},
    },
)
SwitchingValuesSerializer = type(
    "SwitchingValuesSerializer",
    (serializers.Serializer,),
    {name: IndicatorSerializer(help_text="% change that brings NPV to zero") for name in VARIABLES},
)


class TornadoRowSerializer(serializers.Serializer):
    variable = serializers.ChoiceField(choices=VARIABLES)
    change_pct = serializers.FloatField()
    npv = IndicatorSerializer()
    npv_change = serializers.FloatField(allow_null=True)
    irr = IndicatorSerializer()


class ScenarioResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    changes = serializers.DictField(child=serializers.FloatField())
    npv = IndicatorSerializer()
    irr = IndicatorSerializer()
    payback = IndicatorSerializer()


class FinancialResultSerializer(serializers.Serializer):
    """A stored appraisal at the model's own rate, in its own currency."""

    engine_version = serializers.CharField()
    inputs_hash = serializers.CharField()
    currency = serializers.CharField()
    discount_rate = serializers.DecimalField(**RATE)
    computed_at = serializers.DateTimeField()
    indicators = IndicatorsSerializer()
    years = YearResultSerializer(many=True)


class FinancialsInputSerializer(serializers.Serializer):
    """A model's inputs as a client writes them (PUT): the model fields, yearly lines and loans."""

    currency = serializers.CharField(max_length=3, help_text="ISO 4217 code with a recorded exchange rate.")
    base_year = PersianIntegerField(min_value=0, max_value=9999, help_text="Calendar year of model year 0.")
    horizon_years = PersianIntegerField(help_text=f"1 to {MAX_HORIZON_YEARS}.")
    discount_rate = PersianDecimalField(**DISCOUNT_RATE, help_text="A fraction greater than -1: 0.12 for 12%.")
    tax_rate = PersianDecimalField(**RATE, min_value=0, max_value=1, help_text="A fraction between 0 and 1.")
    useful_life_years = PersianIntegerField(required=False, default=10)
    amortisation_years = PersianIntegerField(required=False, default=5)
    reinvestment_rate = PersianDecimalField(**RATE, required=False, allow_null=True, default=None)
    inflation_rate = PersianDecimalField(
        **DISCOUNT_RATE,
        required=False,
        default=Decimal(0),
        help_text="A fraction a year built into nominal prices (0.2 for 20%); 0 for constant prices. Taken out "
        "when the model is shown in another currency (sensitivity with `currency`) or compared.",
    )
    capacity_volume = PersianDecimalField(**QUANTITY, required=False, allow_null=True, default=None)
    volume_unit = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    recover_working_capital = serializers.BooleanField(required=False, default=True)
    scenarios = ScenarioInputSerializer(many=True, required=False)
    years = YearLineSerializer(many=True)
    loans = LoanSerializer(many=True, required=False, default=list)

    def validate_scenarios(self, value):
        return [{"name": item["name"], "changes": {k: float(v) for k, v in item["changes"].items()}} for item in value]


class FinancialsSerializer(FinancialsInputSerializer):
    """A model's inputs and its latest stored result, which may be for older inputs while `pending`."""

    reference = serializers.CharField()
    inputs_hash = serializers.CharField()
    appraisal_status = serializers.ChoiceField(
        choices=["current", "pending"], help_text="pending: the inputs changed and are being appraised."
    )
    result = FinancialResultSerializer(allow_null=True)


def financials_payload(*, model: FinancialModel, result: FinancialResult | None) -> dict:
    """The dict FinancialsSerializer renders: stored inputs, and the latest result with whether it is current."""
    current = result is not None and result.inputs_hash == model.inputs_hash and result.engine_version == ENGINE_VERSION
    fields = [f.name for f in FinancialModel._meta.concrete_fields]
    payload = {name: getattr(model, name) for name in fields if name not in {"currency", "opportunity"}}
    payload.update(
        reference=model.opportunity.reference,
        currency=model.currency_id,
        years=list(model.years.all()),
        loans=list(model.loans.all()),
        appraisal_status="current" if current else "pending",
        result=None if result is None else result,
    )
    return payload


class RatedCurrencyField(serializers.SlugRelatedField):
    """A currency to convert into, by ISO code: only currencies with a recorded exchange rate can be asked for (the
    schema lists them), in any letter case; a blank value means the default currency."""

    blank_is_unset = True  # the schema says so (allowEmptyValue)

    def __init__(self, **kwargs):
        queryset = Currency.objects.filter(rates__isnull=False).distinct()
        super().__init__(slug_field="code", queryset=queryset, required=False, allow_null=True, default=None, **kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        return super().to_internal_value(data.strip().upper() if isinstance(data, str) else data)


class SensitivityQuerySerializer(serializers.Serializer):
    discount_rate = PersianDecimalField(
        **DISCOUNT_RATE,
        required=False,
        allow_null=True,
        default=None,
        help_text="A fraction (0.12 = 12%); the model's own by default.",
    )
    currency = RatedCurrencyField(help_text="ISO code of a currency with an exchange rate; the model's own by default.")


INFLATION_REMOVED = (
    "The yearly inflation taken out of the model's amounts (a fraction): in another currency and in the comparison "
    "a model is shown at constant prices, and its rates are real ones. 0 when the amounts are as entered."
)


class AnalysisSerializer(serializers.Serializer):
    """A model re-run at the investor's rate and in the investor's currency."""

    reference = serializers.CharField()
    currency = serializers.CharField()
    model_currency = serializers.CharField()
    fx_rate = serializers.DecimalField(
        max_digits=40, decimal_places=12, help_text="Units of `currency` per unit of `model_currency`."
    )
    discount_rate = serializers.FloatField()
    inflation_removed = serializers.FloatField(help_text=INFLATION_REMOVED)
    indicators = IndicatorsSerializer()
    years = YearResultSerializer(many=True)
    tornado = TornadoRowSerializer(many=True)
    switching_values = SwitchingValuesSerializer()
    scenarios = ScenarioResultSerializer(many=True)


def analysis_payload(view: InvestorView) -> dict:
    appraisal = view.analysis.appraisal
    return {
        "reference": view.model.opportunity.reference,
        "currency": view.currency,
        "model_currency": view.model.currency_id,
        "fx_rate": view.fx_rate.quantize(Decimal("1e-12")),
        "discount_rate": view.discount_rate,
        "inflation_removed": appraisal.inflation_removed,
        "indicators": indicators_json(appraisal),
        "years": years_json(appraisal),
        **sensitivity_json(view.analysis),
    }


class CompareQuerySerializer(serializers.Serializer):
    refs = serializers.CharField(help_text="Up to 4 references separated by commas.")
    discount_rate = PersianDecimalField(
        **DISCOUNT_RATE, required=False, allow_null=True, default=None, help_text="A fraction; 0.10 by default."
    )
    currency = RatedCurrencyField(help_text="ISO code of a currency with an exchange rate; USD by default.")


class CompareItemSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title_fa = serializers.CharField()
    title_en = serializers.CharField()
    model_currency = serializers.CharField(allow_null=True)
    inflation_removed = serializers.FloatField(allow_null=True, help_text=INFLATION_REMOVED)
    indicators = IndicatorsSerializer(allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField(), help_text="Year index 0..n-1.")
    project_fcf = serializers.ListField(child=serializers.FloatField(), help_text="Project free cash flow per year.")
    problem = serializers.CharField(allow_blank=True, help_text="Why there are no figures, when there are none.")


class ComparisonSerializer(serializers.Serializer):
    currency = serializers.CharField()
    discount_rate = serializers.DecimalField(**RATE)
    items = CompareItemSerializer(many=True)
    not_found = serializers.ListField(child=serializers.CharField(), help_text="References that do not exist for you.")


def comparison_payload(comparison: Comparison) -> dict:
    items = []
    for item in comparison.items:
        appraisal, opportunity = item.appraisal, item.opportunity
        items.append(
            {
                "reference": opportunity.reference,
                "title_fa": opportunity.title_fa,
                "title_en": opportunity.title_en,
                "model_currency": item.model_currency,
                "inflation_removed": None if appraisal is None else appraisal.inflation_removed,
                "indicators": None if appraisal is None else indicators_json(appraisal),
                "years": [] if appraisal is None else [row.year_index for row in appraisal.years],
                "project_fcf": [] if appraisal is None else [round(row.project_fcf, 2) for row in appraisal.years],
                "problem": item.problem,
            }
        )
    return {
        "currency": comparison.currency,
        "discount_rate": comparison.discount_rate,
        "items": items,
        "not_found": comparison.not_found,
    }
