"""Each parsed row checked against the importer's province, the existing catalogue and the model's rules.

Model field validation is the same as `Model.clean_fields`, but each distinct value of a field is validated once
per file: the checks of the fields below depend on the value alone, and a sheet repeats the same few values (the
defaults of every column it leaves out, its types, stages, currencies) on every row."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.models import Province
from registry.text import normalize

from .. import permissions
from ..choices import Status
from ..models import Opportunity
from .parsing import RowResult

# Related rows come from the lookups, so they exist: their per-row existence queries are skipped.
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


def row_error(row: int, field: str, message) -> dict:
    """A problem as the report shows it: the spreadsheet's row number, the field, the message."""
    return {"row": row, "field": field, "message": str(message)}


class FieldCleaner:
    """`clean_fields(exclude=[reference, related fields])` with a memory of the values already validated."""

    def __init__(self):
        skipped = {"reference", *RELATED_FIELDS}
        self.fields = [f for f in Opportunity._meta.fields if f.name not in skipped and not f.generated]
        self.seen: dict[tuple, tuple[object, list | None]] = {}

    def clean(self, instance: Opportunity) -> dict[str, list]:
        """Clean each field in place, as Django does; returns the errors by field name."""
        errors = {}
        for field in self.fields:
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            key = (field.attname, type(raw), raw)
            try:
                answer = self.seen.get(key)
            except TypeError:  # an unhashable value is validated every time
                key = answer = None
            if answer is None:
                answer = self._clean_one(field, raw, instance)
                if key is not None:
                    self.seen[key] = answer
            cleaned, problems = answer
            if problems:
                errors[field.name] = problems
            elif cleaned is not raw:
                setattr(instance, field.attname, cleaned)
        return errors

    @staticmethod
    def _clean_one(field, raw, instance) -> tuple[object, list | None]:
        try:
            return field.clean(raw, instance), None
        except ValidationError as error:
            return None, error.error_list


class RowChecker:
    """Checks each parsed row against the importer's province and the existing catalogue."""

    def __init__(self, *, province: Province, actor, existing: list[Opportunity]):
        self.province, self.actor = province, actor
        self.by_reference = {o.reference: o for o in existing}
        # A row without a reference that repeats an existing title is the same opportunity uploaded again.
        self.by_title = {normalize(o.title_fa): o for o in existing}
        self.seen: set[int] = set()
        self.cleaner = FieldCleaner()
        # A new row starts as this template; positional construction is Django's fast path (as for rows read from
        # the database), the relations are then set so that they are cached and never fetched.
        template = Opportunity(province=province, status=Status.DRAFT, created_by=actor)
        self.blank = [getattr(template, field.attname) for field in Opportunity._meta.concrete_fields]

    def check(self, result: RowResult) -> tuple[Opportunity | None, list[dict], bool]:
        """The instance to write (or None), the row's problems, and whether the row changes anything."""
        data, errors, number = result.data, list(result.errors), result.number
        row_province = data.pop("province", None) or self.province
        if row_province != self.province:
            errors.append(row_error(number, "province", _("This row is for another province.")))
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
            errors.append(row_error(number, "reference", _("No opportunity of this province has it.")))
            return None
        if instance is None:
            return self._new()
        if instance.pk in self.seen:
            errors.append(row_error(number, "reference", _("This opportunity appears twice.")))
            return None
        self.seen.add(instance.pk)
        if not permissions.may_edit(self.actor, instance):
            errors.append(row_error(number, "reference", _("It cannot be changed in its status.")))
            return None
        return instance

    def _new(self) -> Opportunity:
        instance = Opportunity(*self.blank)
        instance.province, instance.created_by = self.province, self.actor
        return instance

    def _validate(self, instance: Opportunity, number: int) -> list[dict]:
        try:
            field_errors = self.cleaner.clean(instance)
            if field_errors:
                raise ValidationError(field_errors)
            instance.clean()
            if instance.sector_id is None:
                raise ValidationError({"sector": _("A sector is required.")})
        except ValidationError as error:
            return [row_error(number, field, " ".join(messages)) for field, messages in error.message_dict.items()]
        return []
