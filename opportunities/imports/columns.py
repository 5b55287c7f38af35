"""The template's columns, how a sheet's headers map onto them, and files in and out of tablib."""

from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.models import Commodity, County, Currency, Event, Province, Sector
from registry.text import normalize

from ..choices import LandStatus, LicenceStatus, OpportunityType, PermitStatus, Stage
from ..exports import cell_safe
from ..models import Opportunity


@dataclass(frozen=True)
class Column:
    """A template column: the field it fills, its bilingual header, and how its cells are read."""

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
