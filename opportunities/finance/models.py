"""The financial model of an opportunity as staff enter it, and the appraisal results computed from it.

Money is stored as Decimal, never float. A model row records the hash of its current inputs (`inputs_hash`) and the
hash it was last appraised at (`appraised_hash`): when they differ the model is due for appraisal, which is the row a
task or the beat sweeper acts on. Results are keyed by (model, inputs hash, engine version), so an appraisal is
written at most once per version of the inputs.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opportunities.models import Opportunity
from registry.models import Currency

from .inputs import MAX_HORIZON_YEARS
from .sensitivity import DEFAULT_SCENARIOS

MONEY = {"max_digits": 24, "decimal_places": 2}
QUANTITY = {"max_digits": 24, "decimal_places": 4}
RATE = {"max_digits": 9, "decimal_places": 6}
ZERO = Decimal(0)


def default_scenarios() -> list[dict]:
    """The engine's base, optimistic and pessimistic cases as JSON: [{"name": ..., "changes": {"price": 10}}]."""
    return [{"name": scenario.name, "changes": dict(scenario.changes)} for scenario in DEFAULT_SCENARIOS]


class FinancialModel(models.Model):
    """An opportunity's COMFAR-style model: rates, horizon and currency here, the yearly lines and loans beside it."""

    opportunity = models.OneToOneField(
        Opportunity, on_delete=models.CASCADE, related_name="financial_model", verbose_name=_("opportunity")
    )
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    base_year = models.PositiveSmallIntegerField(
        _("base year"), help_text=_("Calendar year of model year 0 (Gregorian or Solar Hijri, as the study uses).")
    )
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_YEARS)]
    )
    discount_rate = models.DecimalField(
        _("discount rate"), **RATE, help_text=_("A fraction: 0.12 for 12%. Must be greater than -1 (-100%).")
    )
    tax_rate = models.DecimalField(
        _("income tax rate"),
        **RATE,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("A fraction."),
    )
    useful_life_years = models.PositiveSmallIntegerField(
        _("useful life of fixed assets (years)"), default=10, validators=[MinValueValidator(1)]
    )
    amortisation_years = models.PositiveSmallIntegerField(
        _("amortisation of pre-production costs (years)"), default=5, validators=[MinValueValidator(1)]
    )
    reinvestment_rate = models.DecimalField(
        _("reinvestment rate for MIRR"), **RATE, null=True, blank=True, help_text=_("Empty: the discount rate.")
    )
    inflation_rate = models.DecimalField(
        _("inflation built into the prices"),
        **RATE,
        default=0,
        help_text=_(
            "A fraction a year (0.2 for 20 per cent) built into nominal yearly amounts; 0 for constant prices. "
            "Taken out when the model is shown in another currency or compared."
        ),
    )
    capacity_volume = models.DecimalField(
        _("full capacity (units a year)"),
        **QUANTITY,
        null=True,
        blank=True,
        help_text=_("Empty: the largest yearly production volume."),
    )
    volume_unit = models.CharField(_("unit of volume"), max_length=32, blank=True, help_text=_("e.g. tonnes"))
    recover_working_capital = models.BooleanField(_("release working capital in the final year"), default=True)
    scenarios = models.JSONField(
        _("scenarios"),
        default=default_scenarios,
        blank=True,
        help_text=_('Named cases: [{"name": "optimistic", "changes": {"price": 10, "capex": -10}}], changes in %.'),
    )
    inputs_hash = models.CharField(_("inputs hash"), max_length=64, editable=False)
    appraised_hash = models.CharField(_("appraised at inputs hash"), max_length=64, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("financial model")
        verbose_name_plural = _("financial models")

    def __str__(self) -> str:
        return str(self.opportunity.reference) if self.opportunity_id else str(_("new financial model"))

    @property
    def needs_appraisal(self) -> bool:
        return self.appraised_hash != self.inputs_hash


class YearLine(models.Model):
    """One year of the model; a year without a row counts as all zeros."""

    model = models.ForeignKey(
        FinancialModel, on_delete=models.CASCADE, related_name="years", verbose_name=_("financial model")
    )
    year_index = models.PositiveSmallIntegerField(_("year"), help_text=_("0 is the base year."))
    fixed_investment = models.DecimalField(_("fixed investment"), **MONEY, default=ZERO)
    pre_production = models.DecimalField(_("pre-production costs"), **MONEY, default=ZERO)
    working_capital = models.DecimalField(
        _("working capital"), **MONEY, default=ZERO, help_text=_("Balance needed at the end of the year.")
    )
    production_volume = models.DecimalField(_("production volume"), **QUANTITY, null=True, blank=True)
    unit_price = models.DecimalField(_("unit price"), **QUANTITY, null=True, blank=True)
    revenue = models.DecimalField(
        _("revenue"), **MONEY, default=ZERO, help_text=_("Only when no volume and price are given.")
    )
    variable_cost_per_unit = models.DecimalField(_("variable cost per unit"), **QUANTITY, default=ZERO)
    fixed_operating_cost = models.DecimalField(_("fixed operating cost"), **MONEY, default=ZERO)
    operating_cost = models.DecimalField(
        _("operating cost (total)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Instead of the variable and fixed parts."),
    )
    equity = models.DecimalField(_("equity contribution"), **MONEY, default=ZERO)

    class Meta:
        ordering = ["model_id", "year_index"]
        constraints = [models.UniqueConstraint(fields=["model", "year_index"], name="finance_year_once_per_model")]
        verbose_name = _("year line")
        verbose_name_plural = _("year lines")

    def __str__(self) -> str:
        return f"{self.model_id} / {self.year_index}"


class Loan(models.Model):
    """A term loan financing part of the investment: drawn once, interest-only during grace, then an annuity."""

    model = models.ForeignKey(
        FinancialModel, on_delete=models.CASCADE, related_name="loans", verbose_name=_("financial model")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    annual_rate = models.DecimalField(_("annual interest rate"), **RATE, help_text=_("A fraction."))
    tenor_years = models.PositiveSmallIntegerField(_("tenor (years, including grace)"))
    grace_years = models.PositiveSmallIntegerField(_("grace (years)"), default=0)
    drawdown_year = models.PositiveSmallIntegerField(_("drawdown year"), default=0)

    class Meta:
        ordering = ["model_id", "position", "id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self) -> str:
        return f"{self.amount} @ {self.annual_rate}"


class FinancialResult(models.Model):
    """One appraisal of one version of a model's inputs, traceable by engine version and inputs hash.

    Indicators are JSON ({"npv": {"value": ..., "reason": ..., "note": ...}, ...}) so a figure that does not exist
    keeps its reason; the key figures are also Decimal columns (null when not calculable) for queries.
    """

    model = models.ForeignKey(
        FinancialModel, on_delete=models.CASCADE, related_name="results", verbose_name=_("financial model")
    )
    engine_version = models.CharField(_("engine version"), max_length=16)
    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    currency = models.CharField(_("currency"), max_length=3)
    discount_rate = models.DecimalField(_("discount rate"), **RATE)
    npv = models.DecimalField(_("NPV"), max_digits=30, decimal_places=2, null=True, blank=True)
    project_irr = models.DecimalField(_("project IRR"), max_digits=16, decimal_places=8, null=True, blank=True)
    equity_irr = models.DecimalField(_("equity IRR"), max_digits=16, decimal_places=8, null=True, blank=True)
    mirr = models.DecimalField(_("MIRR"), max_digits=16, decimal_places=8, null=True, blank=True)
    payback_years = models.DecimalField(_("payback (years)"), max_digits=8, decimal_places=4, null=True, blank=True)
    discounted_payback_years = models.DecimalField(
        _("discounted payback (years)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    profitability_index = models.DecimalField(
        _("profitability index"), max_digits=16, decimal_places=6, null=True, blank=True
    )
    indicators = models.JSONField(_("indicators"))
    years = models.JSONField(_("yearly statement"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "inputs_hash", "engine_version"], name="finance_result_once_per_inputs"
            )
        ]
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")

    def __str__(self) -> str:
        return f"{self.model_id} {self.inputs_hash[:10]} ({self.engine_version})"
