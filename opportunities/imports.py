"""Spreadsheet import and export of opportunities, in the columns of the downloadable template.

Reading and writing files goes through tablib, the engine django-import-export is built on. The row logic is
ours rather than an import-export Resource's, because it must (1) check every row against the
importer's province and report each problem with its row and field, (2) write nothing unless the whole file is
good, (3) upsert by reference through the same rules as the services (references, derived fields, history,
event rows), and (4) be fast enough for thousands of rows: related rows are looked up once, not per row, and
rows are written with bulk operations.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registry.models import Commodity, County, Currency, Event, Province, Sector
from registry.selectors import usd_equivalent
from registry.text import normalize, parse_number

from . import permissions
from .choices import AccessLevel, LandStatus, LicenceStatus, OpportunityType, PermitStatus, Stage, Status
from .exports import cell_safe
from .models import ImportJob, Opportunity, OpportunityEvent, ReferenceCounter
from .quality import completeness
from .services import EDITABLE_FIELDS, opportunity_search_key, reference_prefix, sanitize_html

RELATED_FIELDS = (
    "province",
    "county",
    "sector",
    "commodity",
    "capex_currency",
    "event",
    "owner_organisation",
    "created_by",
)
PROGRESS_EVERY = 250


@dataclass(frozen=True)
class Column:
    field: str
    label_en: str
    label_fa: str
    kind: str = "text"  # text, decimal, int, bool, choice, code
    choices: type | None = None
    model: type | None = None
    key: str = "code"

    @property
    def header(self) -> str:
        return f"{self.label_fa} / {self.label_en}"


COLUMNS: tuple[Column, ...] = (
    Column("reference", "Reference (blank for new)", "کد مرجع (برای طرح جدید خالی)"),
    Column("province", "Province code", "کد استان", "code", model=Province),
    Column("county", "County code", "کد شهرستان", "code", model=County),
    Column("sector", "Sector code", "کد بخش", "code", model=Sector),
    Column("commodity", "Commodity code", "کد محصول/ماده معدنی", "code", model=Commodity),
    Column("title_fa", "Title (Persian)", "عنوان فارسی"),
    Column("title_en", "Title (English)", "عنوان انگلیسی"),
    Column("summary_fa", "Summary (Persian)", "خلاصه فارسی"),
    Column("summary_en", "Summary (English)", "خلاصه انگلیسی"),
    Column("type", "Type", "نوع", "choice", choices=OpportunityType),
    Column("stage", "Stage", "مرحله", "choice", choices=Stage),
    Column("physical_progress_pct", "Physical progress (%)", "پیشرفت فیزیکی (درصد)", "int"),
    Column("capex_amount", "Capital expenditure", "هزینه سرمایه‌گذاری", "decimal"),
    Column("capex_currency", "Currency", "ارز", "code", model=Currency),
    Column("jobs", "Direct jobs", "اشتغال مستقیم", "int"),
    Column("capacity_value", "Capacity", "ظرفیت", "decimal"),
    Column("capacity_unit", "Capacity unit", "واحد ظرفیت"),
    Column("latitude", "Latitude", "عرض جغرافیایی", "decimal"),
    Column("longitude", "Longitude", "طول جغرافیایی", "decimal"),
    Column("in_free_zone", "In a free zone", "در منطقه آزاد", "bool"),
    Column("in_special_economic_zone", "In a special economic zone", "در منطقه ویژه اقتصادی", "bool"),
    Column("in_less_developed_area", "Less-developed area", "منطقه کمتر توسعه‌یافته", "bool"),
    Column("tax_holiday_years", "Tax holiday (years)", "معافیت مالیاتی (سال)", "int"),
    Column("land_status", "Land", "وضعیت زمین", "choice", choices=LandStatus),
    Column("permit_status", "Permits", "مجوزها", "choice", choices=PermitStatus),
    Column("has_power", "Electricity", "برق", "bool"),
    Column("has_water", "Water", "آب", "bool"),
    Column("has_gas", "Gas", "گاز", "bool"),
    Column("has_road", "Road", "جاده", "bool"),
    Column("has_rail", "Rail", "راه‌آهن", "bool"),
    Column("reserves_tonnes", "Reserves (tonnes)", "ذخیره (تن)", "decimal"),
    Column("grade_pct", "Grade (%)", "عیار (درصد)", "decimal"),
    Column("licence_status", "Mining licence", "پروانه معدنی", "choice", choices=LicenceStatus),
    Column("event", "Event", "رویداد", "code", model=Event, key="slug"),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
TRUE_WORDS = {"1", "true", "yes", "y", "x", "بله", "اری", "دارد", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "خیر", "نه", "ندارد", ""}


def header_map(headers: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Match each header to a column by its field name, English label, Persian label or the combined template
    label, however it is spelt (normalised); returns the mapping and the headers that matched nothing."""
    aliases = {}
    for column in COLUMNS:
        for name in (column.field, column.label_en, column.label_fa, column.header):
            aliases[normalize(name)] = column
    mapping, unknown = {}, []
    for index, header in enumerate(headers):
        column = aliases.get(normalize(str(header or "")))
        if column is None:
            if str(header or "").strip():
                unknown.append(str(header))
        else:
            mapping[index] = column
    return mapping, unknown


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """XLSX or CSV (UTF-8, with or without BOM) into a tablib Dataset; a clear error for anything else."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith(".csv"):
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as error:  # noqa: BLE001 - any parser failure is the user's file, reported as such
        raise ValidationError({"file": _("The file could not be read: %(error)s") % {"error": error}}) from None
    raise ValidationError({"file": _("Upload an .xlsx or .csv file.")})


class Lookups:
    """Every related row a file may name, loaded once, keyed by its normalised code."""

    def __init__(self):
        self.by_model: dict[type, dict[str, object]] = {}
        for column in COLUMNS:
            if column.kind == "code" and column.model not in self.by_model:
                queryset = column.model.objects.all()
                if column.model is Sector:
                    queryset = queryset.select_related("parent")
                if column.model is County:
                    queryset = queryset.select_related("province")
                self.by_model[column.model] = {normalize(getattr(obj, column.key)): obj for obj in queryset}

    def get(self, column: Column, value: str):
        return self.by_model[column.model].get(normalize(value))


def _parse_bool(value: str) -> bool:
    word = normalize(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("Write yes or no (بله / خیر)."))


def _parse_choice(column: Column, value: str) -> str:
    """A choice by its code or by its label in either language."""
    wanted = normalize(value)
    for language in ("en", "fa"):
        with translation.override(language):
            for choice_value, label in column.choices.choices:
                if wanted in (normalize(choice_value), normalize(str(label))):
                    return choice_value
    raise ValueError(_("Unknown value; use one of: %(values)s") % {"values": ", ".join(column.choices.values)})


def parse_cell(column: Column, raw, lookups: Lookups):
    """One cell into a field value, or ValueError with a message for the person who typed it."""
    value = "" if raw is None else str(raw).strip()
    if column.kind == "code":
        if not value:
            return None
        found = lookups.get(column, value)
        if found is None:
            raise ValueError(_("Unknown code “%(value)s”.") % {"value": value})
        return found
    if column.kind == "bool":
        return _parse_bool(value)
    if not value:
        return "" if column.kind in ("text", "choice") else None
    if column.kind == "decimal":
        return parse_number(value)
    if column.kind == "int":
        number = parse_number(value)
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)
    if column.kind == "choice":
        return _parse_choice(column, value)
    return value


@dataclass
class RowResult:
    number: int
    data: dict
    errors: list[dict]


def parse_rows(dataset: tablib.Dataset, *, lookups: Lookups) -> Iterator[RowResult]:
    mapping, unknown = header_map(list(dataset.headers or []))
    if unknown:
        yield RowResult(1, {}, [{"row": 1, "field": h, "message": _("Unknown column.")} for h in unknown])
    for offset, row in enumerate(dataset, start=2):  # row 1 is the header, as the spreadsheet numbers it
        data, errors = {}, []
        for index, column in mapping.items():
            try:
                data[column.field] = parse_cell(column, row[index] if index < len(row) else None, lookups)
            except ValueError as error:
                errors.append({"row": offset, "field": column.field, "message": str(error)})
        yield RowResult(offset, data, errors)


@dataclass
class ImportOutcome:
    total: int
    errors: list[dict]
    created: int = 0
    updated: int = 0


class RowChecker:
    """Checks each parsed row against the importer's province and the existing catalogue."""

    def __init__(self, *, province: Province, actor, existing: list[Opportunity]):
        self.province, self.actor = province, actor
        self.by_reference = {o.reference: o for o in existing}
        # A row without a reference that repeats an existing title is the same opportunity uploaded again.
        self.by_title = {normalize(o.title_fa): o for o in existing}
        self.seen: set[int] = set()

    def check(self, result: RowResult) -> tuple[Opportunity | None, list[dict], bool]:
        """The instance to write (or None), the row's problems, and whether the row changes anything."""
        data, errors, number = result.data, list(result.errors), result.number
        row_province = data.pop("province", None) or self.province
        if row_province != self.province:
            errors.append({"row": number, "field": "province", "message": _("This row is for another province.")})
        reference = normalize(data.pop("reference", "") or "").upper()
        instance = self._instance(reference, normalize(data.get("title_fa") or ""), number, errors)
        if errors or instance is None:
            return None, errors, False
        changed = instance.pk is None or any(getattr(instance, k) != v for k, v in data.items())
        for name, value in data.items():
            setattr(instance, name, value)
        return instance, self._validate(instance, number), changed

    def _instance(self, reference: str, title: str, number: int, errors: list[dict]) -> Opportunity | None:
        instance = self.by_reference.get(reference) if reference else self.by_title.get(title)
        if reference and instance is None:
            errors.append(_row_error(number, "reference", _("No opportunity of this province has it.")))
            return None
        if instance is None:
            return Opportunity(province=self.province, status=Status.DRAFT, created_by=self.actor)
        if instance.pk in self.seen:
            errors.append(_row_error(number, "reference", _("This opportunity appears twice.")))
            return None
        self.seen.add(instance.pk)
        if not permissions.may_edit(self.actor, instance):
            errors.append(_row_error(number, "reference", _("It cannot be changed in its status.")))
            return None
        return instance

    def _validate(self, instance: Opportunity, number: int) -> list[dict]:
        try:
            # Related rows came from the lookups, so they exist: skip the per-row existence queries.
            instance.clean_fields(exclude=["reference", *RELATED_FIELDS])
            instance.clean()
            if instance.sector_id is None:
                raise ValidationError({"sector": _("A sector is required.")})
        except ValidationError as error:
            return [_row_error(number, field, " ".join(messages)) for field, messages in error.message_dict.items()]
        return []


def _row_error(row: int, field: str, message) -> dict:
    return {"row": row, "field": field, "message": str(message)}


def run_import(
    *, dataset: tablib.Dataset, province: Province, actor, dry_run: bool, progress: Callable[[int], None] = None
) -> ImportOutcome:
    """Check every row; if any is bad, report them all and write nothing; otherwise (unless a dry run) upsert."""
    if not permissions.may_create_in(actor, province):
        raise ValidationError({"province": _("You may not import into this province.")})
    existing = list(
        Opportunity.objects.filter(province=province).select_related(
            "province", "county", "sector__parent", "commodity", "capex_currency", "event"
        )
    )
    checker = RowChecker(province=province, actor=actor, existing=existing)
    lookups, errors, instances = Lookups(), [], []
    for count, result in enumerate(parse_rows(dataset, lookups=lookups), start=1):
        instance, row_errors, changed = checker.check(result)
        errors += row_errors
        if instance is not None and changed and not row_errors:
            instances.append(instance)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    outcome = ImportOutcome(total=len(dataset), errors=errors)
    if errors or dry_run:
        return outcome
    outcome.created, outcome.updated = _write(instances=instances, actor=actor)
    return outcome


@transaction.atomic
def _write(*, instances: list[Opportunity], actor) -> tuple[int, int]:
    new = [o for o in instances if o.pk is None]
    changed = [o for o in instances if o.pk is not None]
    _allocate_references(new)
    documents = _public_document_counts(changed)
    rates: dict[str, Decimal | None] = {}
    for opportunity in instances:
        _derive_in_bulk(opportunity, rates=rates, public_documents=documents.get(opportunity.pk, 0))
    created = bulk_create_with_history(new, Opportunity, batch_size=1000, default_user=actor)
    fields = sorted((EDITABLE_FIELDS | {"capex_usd", "completeness", "search_key", "updated_at"}) - {"province"})
    now = timezone.now()
    for opportunity in changed:
        opportunity.updated_at = now
    bulk_update_with_history(changed, Opportunity, fields, batch_size=1000, default_user=actor)
    kinds = [(o, OpportunityEvent.Kind.CREATED) for o in created] + [
        (o, OpportunityEvent.Kind.UPDATED) for o in changed
    ]
    OpportunityEvent.objects.bulk_create(
        [OpportunityEvent(opportunity=o, kind=k, actor=actor, note="import", to_status=o.status) for o, k in kinds],
        batch_size=1000,
    )
    return len(created), len(changed)


def _allocate_references(new: list[Opportunity]) -> None:
    """One counter update per prefix for the whole file, so the import stays fast and references stay unique."""
    year = timezone.now().year
    by_prefix: dict[str, list[Opportunity]] = {}
    for opportunity in new:
        by_prefix.setdefault(
            reference_prefix(province=opportunity.province, sector=opportunity.sector, year=year), []
        ).append(opportunity)
    for prefix, rows in by_prefix.items():
        ReferenceCounter.objects.get_or_create(prefix=prefix)
        ReferenceCounter.objects.filter(prefix=prefix).update(last=F("last") + len(rows))
        last = ReferenceCounter.objects.values_list("last", flat=True).get(prefix=prefix)
        for number, opportunity in enumerate(rows, start=last - len(rows) + 1):
            opportunity.reference = f"{prefix}-{number:04d}"


def _public_document_counts(changed: list[Opportunity]) -> dict[int, int]:
    if not changed:
        return {}
    return dict(
        Opportunity.objects.filter(pk__in=[o.pk for o in changed])
        .annotate(n=Count("documents", filter=Q(documents__access_level=AccessLevel.PUBLIC)))
        .values_list("pk", "n")
    )


def _derive_in_bulk(opportunity: Opportunity, *, rates: dict, public_documents: int) -> None:
    """The same derivations as the services, with the exchange rate looked up once per currency."""
    opportunity.description_fa = sanitize_html(opportunity.description_fa)
    opportunity.description_en = sanitize_html(opportunity.description_en)
    code = opportunity.capex_currency_id
    if code and code not in rates:
        rates[code] = usd_equivalent(amount=Decimal(1), currency_code=code, exact=True)
    per_unit = rates.get(code) if code else None
    has_amount = opportunity.capex_amount is not None and per_unit is not None
    opportunity.capex_usd = (opportunity.capex_amount * per_unit).quantize(Decimal("0.01")) if has_amount else None
    opportunity.completeness = completeness(opportunity, public_documents=public_documents)
    opportunity.search_key = opportunity_search_key(opportunity=opportunity)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a stored import (dry run or real) once: a job that already finished is left as it is."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("province", "created_by").get(pk=job_id)
        if job.state not in (ImportJob.State.PENDING,):
            return job
        job.state = ImportJob.State.RUNNING
        job.save(update_fields=["state"])
    try:
        dataset = read_dataset(job.file.read(), job.original_name)
        job.total_rows = len(dataset)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
        outcome = run_import(
            dataset=dataset,
            province=job.province,
            actor=job.created_by,
            dry_run=job.dry_run,
            progress=lambda n: ImportJob.objects.filter(pk=job.pk).update(processed_rows=n),
        )
    except ValidationError as error:
        outcome = ImportOutcome(
            total=job.total_rows,
            errors=[{"row": 0, "field": f, "message": " ".join(m)} for f, m in error.message_dict.items()],
        )
    job.errors = outcome.errors[:2000]
    job.state = ImportJob.State.INVALID if outcome.errors else ImportJob.State.DONE
    job.processed_rows = job.total_rows
    job.created_count, job.updated_count = outcome.created, outcome.updated
    job.finished_at = timezone.now()
    job.save()
    return job


def export_rows(*, queryset) -> tablib.Dataset:
    """The template's columns, for the given opportunities; cells that look like formulas are escaped."""
    dataset = tablib.Dataset(headers=[column.header for column in COLUMNS])
    for opportunity in queryset.select_related("province", "county", "sector", "commodity", "capex_currency", "event"):
        dataset.append([cell_safe(_export_cell(opportunity, column)) for column in COLUMNS])
    return dataset


def _export_cell(opportunity: Opportunity, column: Column):
    value = getattr(opportunity, column.field)
    if column.kind == "code":
        return getattr(value, column.key) if value is not None else ""
    if column.kind == "bool":
        return "yes" if value else "no"
    return "" if value is None else (str(value) if isinstance(value, Decimal) else value)
