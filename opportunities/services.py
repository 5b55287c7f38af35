"""Writes to the catalogue. Admin, pages, API, imports and tasks all come through here."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

import nh3
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Province, Sector
from registry.selectors import usd_equivalent, usd_round
from registry.text import search_key

from .choices import Status
from .models import Document, Opportunity, ReferenceCounter
from .uploads import inspect_upload

ALLOWED_HTML_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}
ALLOWED_HTML_ATTRIBUTES = {"a": {"href", "title"}}

# Fields a caller may set through create/update; status, reference and derived fields are never among them.
EDITABLE_FIELDS = frozenset(
    f.name for f in Opportunity._meta.concrete_fields if f.editable and f.name not in {"id", "created_by"}
)


def reference_prefix(*, province: Province, sector: Sector, year: int) -> str:
    return f"{province.code}-{sector.root.code}-{year}"


def reference_allocate(*, province: Province, sector: Sector, year: int) -> str:
    """Hand out the next reference for province-sector-year; an atomic increment, so two writers never share one."""
    prefix = reference_prefix(province=province, sector=sector, year=year)
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(prefix=prefix)
        ReferenceCounter.objects.filter(prefix=prefix).update(last=F("last") + 1)
        last = ReferenceCounter.objects.values_list("last", flat=True).get(prefix=prefix)
    return f"{prefix}-{last:04d}"


def sanitize_html(html: str) -> str:
    """Descriptions are typed by staff and shown to everyone: keep structure, drop anything executable."""
    if not html:
        return ""
    return nh3.clean(html, tags=ALLOWED_HTML_TAGS, attributes=ALLOWED_HTML_ATTRIBUTES, link_rel="noopener nofollow")


def opportunity_search_key(*, opportunity: Opportunity) -> str:
    """Everything an investor might type to find this opportunity, in both languages, normalised once."""
    related = [opportunity.province, opportunity.county, opportunity.sector, opportunity.commodity, opportunity.event]
    names = [part for obj in related if obj is not None for part in (obj.name_fa, obj.name_en)]
    if opportunity.sector_id and opportunity.sector.parent_id:
        names += [opportunity.sector.root.name_fa, opportunity.sector.root.name_en]
    return search_key(
        opportunity.reference,
        opportunity.title_fa,
        opportunity.title_en,
        opportunity.summary_fa,
        opportunity.summary_en,
        *names,
    )


def _derive(opportunity: Opportunity) -> None:
    """Recompute what is derived from the typed fields: clean HTML, the USD figure and the search key."""
    opportunity.description_fa = sanitize_html(opportunity.description_fa)
    opportunity.description_en = sanitize_html(opportunity.description_en)
    opportunity.capex_usd = usd_equivalent(amount=opportunity.capex_amount, currency_code=opportunity.capex_currency_id)
    opportunity.search_key = opportunity_search_key(opportunity=opportunity)


def _reject_unknown_fields(data: dict) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})


@transaction.atomic
def opportunity_create(*, actor, data: dict, year: int | None = None, is_demo: bool = False) -> Opportunity:
    """Create a draft with a fresh reference; validation errors name the field and nothing is written."""
    _reject_unknown_fields(data)
    opportunity = Opportunity(**data, created_by=actor, is_demo=is_demo, status=Status.DRAFT)
    opportunity.full_clean(exclude=["reference"])
    year = year or (opportunity.event.starts_on.year if opportunity.event else timezone.now().year)
    opportunity.reference = reference_allocate(province=opportunity.province, sector=opportunity.sector, year=year)
    _derive(opportunity)
    opportunity.save()
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, actor, data: dict) -> Opportunity:
    """Change typed fields; the reference and the status never change here."""
    _reject_unknown_fields(data)
    for name, value in data.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    _derive(opportunity)
    opportunity.save()
    return opportunity


@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, actor, at: datetime.datetime | None = None) -> Opportunity:
    """Make a draft visible to investors. The full review workflow replaces this with guarded transitions."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.status != Status.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published.")})
    locked.status = Status.PUBLISHED
    locked.published_at = at or timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


def opportunities_refresh_usd(*, currency_code: str | None = None) -> int:
    """Recompute USD equivalents (all, or one currency's) after a new rate; idempotent, returns rows changed."""
    queryset = Opportunity.objects.exclude(capex_amount=None).exclude(capex_currency=None)
    if currency_code:
        queryset = queryset.filter(capex_currency_id=currency_code)
    codes = set(queryset.values_list("capex_currency_id", flat=True).distinct())
    rates = {code: usd_equivalent(amount=Decimal(1), currency_code=code, exact=True) for code in codes}
    changed = 0
    batch: list[Opportunity] = []
    rows = queryset.only("id", "capex_amount", "capex_currency_id", "capex_usd").iterator(chunk_size=2000)
    for opportunity in rows:
        per_unit = rates[opportunity.capex_currency_id]
        usd = None if per_unit is None else usd_round(opportunity.capex_amount * per_unit)
        if usd != opportunity.capex_usd:
            opportunity.capex_usd = usd
            batch.append(opportunity)
        if len(batch) >= 1000:
            changed += Opportunity.objects.bulk_update(batch, ["capex_usd"])
            batch = []
    return changed + (Opportunity.objects.bulk_update(batch, ["capex_usd"]) if batch else 0)


def document_attach(
    *,
    opportunity: Opportunity,
    uploaded_file: UploadedFile,
    title: str,
    kind: str,
    language: str,
    access_level: str,
    actor=None,
) -> Document:
    """Store a document after checking what it really is (by its bytes, not its name) and its size."""
    content_type = inspect_upload(uploaded_file)
    document = Document(
        opportunity=opportunity,
        title=title,
        file=uploaded_file,
        kind=kind,
        language=language,
        access_level=access_level,
        content_type=content_type,
        size_bytes=uploaded_file.size,
        uploaded_by=actor,
    )
    document.full_clean()
    document.save()
    return document


def search_keys_rebuild(*, opportunities: Iterable[Opportunity]) -> int:
    """Rebuild stored search keys (after the normalisation rules change); returns how many were rewritten."""
    batch = []
    for opportunity in opportunities:
        opportunity.search_key = opportunity_search_key(opportunity=opportunity)
        batch.append(opportunity)
    Opportunity.objects.bulk_update(batch, ["search_key"], batch_size=1000)
    return len(batch)
