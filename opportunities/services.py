"""Writes to the catalogue. Admin, pages, API, imports and tasks all come through here."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from registry.models import Province, Sector
from registry.selectors import usd_equivalent
from registry.services import email_enqueue
from registry.text import normalize, ranked_search_key

from . import permissions, workflow
from .choices import AccessLevel, DocumentKind, Status
from .models import Document, Opportunity, OpportunityEvent, QualityJustification, ReferenceCounter
from .quality import completeness
from .uploads import inspect_upload
from .workflow import Transition

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
    return ranked_search_key(
        titles=(opportunity.reference, opportunity.title_fa, opportunity.title_en),
        summaries=(opportunity.summary_fa, opportunity.summary_en),
        rest=names,
    )


def _public_document_count(opportunity: Opportunity) -> int:
    if opportunity.pk is None:
        return 0
    return opportunity.documents.filter(access_level=AccessLevel.PUBLIC).count()


@dataclass
class DeriveShared:
    """What derivations of many opportunities in a row can share (an import): the exchange rate is read once per
    currency, and the public document counts are given up front instead of counted one opportunity at a time."""

    units_per_usd: dict[str, Decimal | None] = field(default_factory=dict)
    public_documents: dict[int, int] | None = None

    def capex_usd(self, opportunity: Opportunity) -> Decimal | None:
        """`usd_equivalent` of the capex, with the rate read once per currency for all the rows."""
        return usd_equivalent(
            amount=opportunity.capex_amount, currency_code=opportunity.capex_currency_id, rates=self.units_per_usd
        )

    def public_document_count(self, opportunity: Opportunity) -> int:
        """Public documents count towards completeness: the given count, or one query when none was given."""
        if self.public_documents is None:
            return _public_document_count(opportunity)
        return self.public_documents.get(opportunity.pk, 0)


def opportunity_derive(*, opportunity: Opportunity, shared: DeriveShared | None = None) -> None:
    """Recompute what is derived from the typed fields: clean HTML, the USD figure, completeness and the search key.

    One derivation for a single save and for an import alike, so the two can never disagree; an import passes one
    `shared` for all its rows so that rates and document counts are not queried per row."""
    shared = shared or DeriveShared()
    opportunity.description_fa = sanitize_html(opportunity.description_fa)
    opportunity.description_en = sanitize_html(opportunity.description_en)
    opportunity.capex_usd = shared.capex_usd(opportunity)
    opportunity.completeness = completeness(opportunity, public_documents=shared.public_document_count(opportunity))
    opportunity.search_key = opportunity_search_key(opportunity=opportunity)


def _reject_unknown_fields(data: dict) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})


def _check_may_create(*, actor, province: Province) -> None:
    if not permissions.may_create_in(actor, province):
        raise PermissionDenied(_("You may not create opportunities in this province."))


def _check_may_edit(*, actor, opportunity: Opportunity) -> None:
    if not permissions.may_edit(actor, opportunity):
        raise PermissionDenied(_("You may not change this opportunity in its current status."))


def _record_event(*, opportunity: Opportunity, kind: str, actor, note: str = "", action: str = "", **statuses):
    return OpportunityEvent.objects.create(
        opportunity=opportunity, kind=kind, actor=actor, note=note, action=action, **statuses
    )


@transaction.atomic
def opportunity_create(*, actor, data: dict, year: int | None = None, is_demo: bool = False) -> Opportunity:
    """Create a draft with a fresh reference; validation errors name the field and nothing is written."""
    _reject_unknown_fields(data)
    opportunity = Opportunity(**data, created_by=actor, is_demo=is_demo, status=Status.DRAFT)
    if opportunity.province_id is not None:  # a province you may not write is refused before its data is judged
        _check_may_create(actor=actor, province=opportunity.province)
    opportunity.full_clean(exclude=["reference"])
    year = year or (opportunity.event.starts_on.year if opportunity.event else timezone.now().year)
    opportunity.reference = reference_allocate(province=opportunity.province, sector=opportunity.sector, year=year)
    opportunity_derive(opportunity=opportunity)
    opportunity.save()
    _record_event(opportunity=opportunity, kind=OpportunityEvent.Kind.CREATED, actor=actor, to_status=Status.DRAFT)
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, actor, data: dict) -> Opportunity:
    """Change typed fields. The reference, the status and the province never change here."""
    _reject_unknown_fields(data)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _check_may_edit(actor=actor, opportunity=opportunity)
    if "province" in data and data["province"] != opportunity.province:
        raise ValidationError(
            {"province": _("An opportunity cannot move to another province; its reference names it.")}
        )
    for name, value in data.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    opportunity_derive(opportunity=opportunity)
    opportunity.save()
    _record_event(opportunity=opportunity, kind=OpportunityEvent.Kind.UPDATED, actor=actor)
    return opportunity


def transitions_available(*, opportunity: Opportunity, actor) -> list[Transition]:
    """The moves to offer this person now: allowed from the current status and for them."""
    return [t for t in workflow.transitions_from(opportunity.status) if permissions.may_take(actor, t, opportunity)]


def _requirements_errors(*, opportunity: Opportunity, transition: Transition, note: str) -> dict:
    errors = {}
    if transition.note_required and not note.strip():
        errors["note"] = _("Say what must change: a note is required.")
    if transition.target == Status.PUBLISHED:
        missing = {
            "title_fa": not opportunity.title_fa,
            "summary_fa": not opportunity.summary_fa,
            "sector": opportunity.sector_id is None,
            "county": opportunity.county_id is None,
            "capex_amount": opportunity.capex_amount is None or opportunity.capex_currency_id is None,
            "documents": _public_document_count(opportunity) == 0,
        }
        errors |= {name: _("Required before publication.") for name, absent in missing.items() if absent}
    if transition.evidence_required and not _has_contract_evidence(opportunity=opportunity, note=note):
        errors["note"] = _("Attach a contract document or give the contract's reference in the note.")
    return errors


def _has_contract_evidence(*, opportunity: Opportunity, note: str) -> bool:
    """A contract document on file, or a note that names the contract (it must contain a number)."""
    if opportunity.documents.filter(kind=DocumentKind.CONTRACT).exists():
        return True
    normalised = normalize(note)
    return len(normalised) >= 6 and any(ch.isdigit() for ch in normalised)


@transaction.atomic
def opportunity_transition(*, opportunity: Opportunity, action: str, actor, note: str = "") -> Opportunity:
    """Guard, move, record: lock the row, check the move and the actor, validate what the target status needs,
    save, and write the event and notification rows in the same transaction."""
    transition = workflow.TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({"action": _("Unknown action.")})
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not permissions.may_take(actor, transition, locked):
        raise PermissionDenied(_("You may not take this action on this opportunity."))
    if locked.status not in transition.sources:
        raise ValidationError({"action": _("This action is not possible from the current status.")})
    errors = _requirements_errors(opportunity=locked, transition=transition, note=note)
    if errors:
        raise ValidationError(errors)
    event = _move(opportunity=locked, transition=transition, actor=actor, note=note)
    notify_transition(opportunity=locked, event=event)
    return locked


def _move(*, opportunity: Opportunity, transition: Transition, actor, note: str) -> OpportunityEvent:
    from_status = opportunity.status
    opportunity.status = transition.target
    if transition.target == Status.PUBLISHED and opportunity.published_at is None:
        opportunity.published_at = timezone.now()
    opportunity._change_reason = f"{transition.action}: {note}"[:100]
    opportunity.save()
    return _record_event(
        opportunity=opportunity,
        kind=OpportunityEvent.Kind.STATUS_CHANGED,
        actor=actor,
        note=note,
        action=transition.action,
        from_status=from_status,
        to_status=transition.target,
    )


@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, actor=None, at: datetime.datetime | None = None) -> Opportunity:
    """Publish on the system's authority (demo data, tests, trusted imports): no review, but the same event row."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    transition = workflow.TRANSITIONS["publish"]
    if locked.status not in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError({"status": _("Only a draft can be published.")})
    locked.published_at = at or timezone.now()
    _move(opportunity=locked, transition=transition, actor=actor, note="")
    return locked


def notify_transition(*, opportunity: Opportunity, event: OpportunityEvent) -> None:
    """Rows first: reviewers hear of a submission, the owner of a publication or a return; sent after commit."""
    if event.to_status == Status.SUBMITTED:
        recipients = list(User.objects.filter(role=Role.REVIEWER, is_active=True))
    elif event.action in ("publish", "return") and opportunity.created_by_id:
        recipients = [opportunity.created_by]
    else:
        return
    for user in recipients:
        _notify(opportunity=opportunity, event=event, user=user)


def _notify(*, opportunity: Opportunity, event: OpportunityEvent, user) -> None:
    language = user.preferred_language or "fa"
    with translation.override(language):
        context = {"opportunity": opportunity, "event": event, "user": user, "site_url": settings.SITE_URL}
        subject = render_to_string("opportunities/email/transition_subject.txt", context).strip()
        body = render_to_string("opportunities/email/transition_body.txt", context)
    email_enqueue(
        key=f"opportunity:{opportunity.pk}:event:{event.pk}:{user.email}",
        to=user.email,
        subject=subject,
        body_text=body,
        language=language,
    )


@transaction.atomic
def warning_justify(*, opportunity: Opportunity, check_code: str, note: str, actor) -> QualityJustification:
    """Accept a consistency warning with a reason; only those who may edit the opportunity may justify it."""
    if not note.strip():
        raise ValidationError({"note": _("A justification needs a note.")})
    if actor is not None and not permissions.may_see_staff_side(actor, opportunity):
        raise PermissionDenied(_("You may not justify warnings of this opportunity."))
    justification, _created = QualityJustification.objects.update_or_create(
        opportunity=opportunity, check_code=check_code, defaults={"note": note, "author": actor}
    )
    return justification


def opportunities_refresh_usd(*, currency_code: str | None = None) -> int:
    """Recompute USD equivalents (all, or one currency's) after a new rate; idempotent, returns rows changed."""
    queryset = Opportunity.objects.exclude(capex_amount=None).exclude(capex_currency=None)
    if currency_code:
        queryset = queryset.filter(capex_currency_id=currency_code)
    rates: dict[str, Decimal | None] = {}  # read once per currency; the same division as every save
    changed = 0
    batch: list[Opportunity] = []
    rows = queryset.only("id", "capex_amount", "capex_currency_id", "capex_usd").iterator(chunk_size=2000)
    for opportunity in rows:
        usd = usd_equivalent(amount=opportunity.capex_amount, currency_code=opportunity.capex_currency_id, rates=rates)
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
    """Store a document after checking what it really is (by its bytes, not its name) and its size. Staff of the
    province may attach to any opportunity not yet final (a contract document is the evidence for "contracted")."""
    if not permissions.may_attach_documents(actor, opportunity):
        raise PermissionDenied(_("You may not add documents to this opportunity."))
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
    opportunity_refresh_completeness(opportunity=opportunity)
    return document


def opportunities_refresh_completeness(*, queryset) -> int:
    """Recompute completeness in bulk (after seeding or a change in what counts); returns rows changed."""
    counts = dict(
        queryset.annotate(n=Count("documents", filter=Q(documents__access_level=AccessLevel.PUBLIC))).values_list(
            "pk", "n"
        )
    )
    changed = []
    for opportunity in queryset.select_related("sector__parent").iterator(chunk_size=2000):
        score = completeness(opportunity, public_documents=counts.get(opportunity.pk, 0))
        if score != opportunity.completeness:
            opportunity.completeness = score
            changed.append(opportunity)
    return Opportunity.objects.bulk_update(changed, ["completeness"], batch_size=1000)


def opportunity_refresh_completeness(*, opportunity: Opportunity) -> int:
    """Documents count towards completeness: recompute it after one is added or removed."""
    score = completeness(opportunity, public_documents=_public_document_count(opportunity))
    Opportunity.objects.filter(pk=opportunity.pk).update(completeness=score)
    opportunity.completeness = score
    return score
