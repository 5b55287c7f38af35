"""The catalogue: investment opportunities as provinces publish them, and the documents that back them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from registry.models import Commodity, County, Currency, Event, Province, Sector

from .choices import (
    AccessLevel,
    DocumentKind,
    DocumentLanguage,
    LandStatus,
    LicenceStatus,
    OpportunityType,
    PermitStatus,
    Stage,
    Status,
)


class ReferenceCounter(models.Model):
    """The last sequence number handed out per reference prefix (province-sector-year); locked when incremented."""

    prefix = models.CharField(max_length=24, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


# Newest first with drafts (no publication date) last, the order of the listing's "newest" too: one index in this order
# (opp_newest, migration 0007) serves them all, so a page of the whole catalogue walks it instead of sorting every row.
NEWEST_FIRST = [models.F("published_at").desc(nulls_last=True), "-id"]


class Opportunity(models.Model):
    """An investment opportunity a province offers; its reference is public, stable and never reused."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    title_fa = models.CharField(_("title (Persian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_fa = models.TextField(_("summary (Persian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True, help_text=_("Sanitised HTML."))
    description_en = models.TextField(_("description (English)"), blank=True, help_text=_("Sanitised HTML."))

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("province")
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("county"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("sector"))
    commodity = models.ForeignKey(
        Commodity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("commodity"),
    )
    type = models.CharField(_("type"), max_length=24, choices=OpportunityType.choices)
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices, default=Stage.IDENTIFICATION)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, editable=False)
    physical_progress_pct = models.PositiveSmallIntegerField(
        _("physical progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("For the completion of a semi-finished project."),
    )

    capex_amount = models.DecimalField(
        _("capital expenditure"),
        max_digits=24,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capex_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("capex currency")
    )
    capex_usd = models.DecimalField(
        _("capex in US dollars"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Derived from the latest exchange rate, for comparison only."),
    )
    jobs = models.PositiveIntegerField(_("direct jobs"), null=True, blank=True)
    capacity_value = models.DecimalField(_("capacity"), max_digits=20, decimal_places=2, null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=64, blank=True, help_text=_("e.g. tonnes/year"))

    in_free_zone = models.BooleanField(_("in a free trade zone"), default=False)
    in_special_economic_zone = models.BooleanField(_("in a special economic zone"), default=False)
    in_less_developed_area = models.BooleanField(_("in a less-developed area"), default=False)
    tax_holiday_years = models.PositiveSmallIntegerField(
        _("tax holiday (years)"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    incentives_note = models.TextField(_("other incentives"), blank=True)
    land_status = models.CharField(_("land"), max_length=16, choices=LandStatus.choices, blank=True)
    permit_status = models.CharField(_("permits"), max_length=16, choices=PermitStatus.choices, blank=True)
    has_power = models.BooleanField(_("electricity"), default=False)
    has_water = models.BooleanField(_("water"), default=False)
    has_gas = models.BooleanField(_("natural gas"), default=False)
    has_road = models.BooleanField(_("road access"), default=False)
    has_rail = models.BooleanField(_("rail access"), default=False)

    reserves_tonnes = models.DecimalField(
        _("proven reserves (tonnes)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    grade_pct = models.DecimalField(
        _("average grade (%)"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    licence_status = models.CharField(_("mining licence"), max_length=16, choices=LicenceStatus.choices, blank=True)

    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities", verbose_name=_("event")
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("owner organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Headline appraisal figures, copied from the latest financial result for filtering and sorting.
    has_financial_model = models.BooleanField(_("has a financial model"), default=False, editable=False)
    fin_npv_usd = models.DecimalField(
        _("NPV (USD)"), max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    fin_irr = models.DecimalField(
        _("project IRR"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
        help_text=_("A fraction, real: at constant prices, like every figure the catalogue compares."),
    )
    fin_payback_years = models.DecimalField(
        _("payback (years)"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    completeness = models.PositiveSmallIntegerField(_("completeness (%)"), default=0, editable=False)
    search_key = models.TextField(_("search key"), editable=False, default="")
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_key", "updated_at"], cascade_delete_history=True)

    class Meta:
        ordering = NEWEST_FIRST
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="opp_status_published"),
            models.Index(fields=["province", "status"], name="opp_province_status"),
            models.Index(fields=["sector", "status"], name="opp_sector_status"),
            models.Index(fields=["capex_usd"], name="opp_capex_usd"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self):
        """Integrity between fields: what cannot be true of any opportunity, whatever its status."""
        errors = {}
        if self.county_id and self.province_id and self.county.province_id != self.province_id:
            errors["county"] = _("This county is not in the chosen province.")
        if self.commodity_id and self.sector_id and self.commodity.sector_id not in self._sector_lineage():
            errors["commodity"] = _("This commodity does not belong to the chosen sector.")
        if self.capex_amount is not None and not self.capex_currency_id:
            errors["capex_currency"] = _("Give the currency of the capital expenditure.")
        if errors:
            raise ValidationError(errors)

    def _sector_lineage(self) -> set[int]:
        """The sector and its ancestors: a commodity filed under a parent sector fits its children too."""
        ids, node = set(), self.sector
        while node is not None:
            ids.add(node.pk)
            node = node.parent
        return ids

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "fa").startswith("en") and self.title_en else self.title_fa

    @property
    def summary(self) -> str:
        return self.summary_en if (get_language() or "fa").startswith("en") and self.summary_en else self.summary_fa

    @property
    def description(self) -> str:
        english = (get_language() or "fa").startswith("en") and self.description_en
        return self.description_en if english else self.description_fa


def document_upload_to(instance: "Document", filename: str) -> str:
    return f"documents/{instance.opportunity.reference}/{filename}"


class Document(models.Model):
    """A file that backs an opportunity (study, brochure, map, image); its access level decides who may read it."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="documents", verbose_name=_("opportunity")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    language = models.CharField(
        _("language"), max_length=4, choices=DocumentLanguage.choices, default=DocumentLanguage.FA
    )
    access_level = models.CharField(_("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.PUBLIC)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["opportunity_id", "kind", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class OpportunityEvent(models.Model):
    """One row per status change (who, when, from, to, note); immutable. Later apps read these as domain events."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS_CHANGED = "status_changed", _("Status changed")
        UPDATED = "updated", _("Updated")

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="events", verbose_name=_("opportunity")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=24, blank=True)
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opportunity event")
        verbose_name_plural = _("opportunity events")

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_status} → {self.to_status}"


class QualityJustification(models.Model):
    """Staff explain why a consistency warning is acceptable here; the warning then shows as justified."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="justifications", verbose_name=_("opportunity")
    )
    check_code = models.CharField(_("check"), max_length=48)
    note = models.TextField(_("justification"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "check_code"], name="one_justification_per_check")
        ]
        verbose_name = _("justification")
        verbose_name_plural = _("justifications")

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.check_code}"


class ImportJob(models.Model):
    """A spreadsheet import: the file, its dry-run report and its progress; large files run in a task."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        INVALID = "invalid", _("Rejected: errors found, nothing written")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    dry_run = models.BooleanField(_("dry run"), default=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_pct(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
