"""Data quality of an opportunity: how complete it is for an investor, and what looks inconsistent.

Pure functions over an opportunity's values (no queries): the caller says how many public documents it has.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .choices import OpportunityType

# What an investor needs, with weights summing to 100.
COMPLETENESS_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("title_fa", 8),
    ("title_en", 6),
    ("summary_fa", 8),
    ("summary_en", 6),
    ("description", 6),
    ("county", 6),
    ("location", 5),
    ("commodity", 4),
    ("capex", 10),
    ("jobs", 5),
    ("capacity", 4),
    ("land_status", 4),
    ("permit_status", 4),
    ("infrastructure", 4),
    ("incentives", 4),
    ("public_document", 10),
    ("financial_model", 6),
)

# Iran's bounding box, generously: a point outside it is a typo (latitude and longitude swapped, a lost sign).
IRAN_LAT = (Decimal("24.5"), Decimal("40.0"))
IRAN_LON = (Decimal("43.5"), Decimal("63.5"))
LARGE_CAPEX_USD = Decimal("5000000000")


def _present(opportunity, public_documents: int) -> dict[str, bool]:
    o = opportunity
    return {
        "title_fa": bool(o.title_fa),
        "title_en": bool(o.title_en),
        "summary_fa": bool(o.summary_fa),
        "summary_en": bool(o.summary_en),
        "description": bool(o.description_fa or o.description_en),
        "county": o.county_id is not None,
        "location": o.latitude is not None and o.longitude is not None,
        "commodity": o.commodity_id is not None,
        "capex": o.capex_amount is not None and o.capex_currency_id is not None,
        "jobs": bool(o.jobs),
        "capacity": o.capacity_value is not None and bool(o.capacity_unit),
        "land_status": bool(o.land_status),
        "permit_status": bool(o.permit_status),
        "infrastructure": any((o.has_power, o.has_water, o.has_gas, o.has_road, o.has_rail)),
        "incentives": any((o.in_free_zone, o.in_special_economic_zone, o.in_less_developed_area, o.tax_holiday_years)),
        "public_document": public_documents > 0,
        "financial_model": bool(o.has_financial_model),
    }


def completeness(opportunity, *, public_documents: int) -> int:
    """0–100: the weighted share of the fields an investor needs that are filled in."""
    present = _present(opportunity, public_documents)
    return sum(weight for name, weight in COMPLETENESS_WEIGHTS if present[name])


def missing_fields(opportunity, *, public_documents: int) -> list[str]:
    present = _present(opportunity, public_documents)
    return [name for name, _weight in COMPLETENESS_WEIGHTS if not present[name]]


@dataclass(frozen=True)
class Warning:
    code: str
    message: object


def _is_mining(opportunity) -> bool:
    return opportunity.sector_id is not None and opportunity.sector.root.code == "MIN"


def consistency_warnings(opportunity) -> list[Warning]:
    """Things that are allowed but look wrong; staff either fix them or justify them with a note."""
    o = opportunity
    checks = [
        (
            "progress_not_completion",
            o.physical_progress_pct is not None and o.type != OpportunityType.COMPLETION,
            _("Physical progress is given, but the opportunity is not a semi-finished project."),
        ),
        (
            "completion_without_progress",
            o.type == OpportunityType.COMPLETION and o.physical_progress_pct is None,
            _("A semi-finished project should state its physical progress."),
        ),
        (
            "mining_without_commodity",
            _is_mining(o) and o.commodity_id is None,
            _("A mining opportunity should name its mineral."),
        ),
        (
            "mining_facts_outside_mining",
            not _is_mining(o) and any(v is not None for v in (o.reserves_tonnes, o.grade_pct))
            if o.sector_id
            else False,
            _("Reserves or grade are given for an opportunity outside mining."),
        ),
        (
            "location_outside_iran",
            o.latitude is not None
            and o.longitude is not None
            and not (IRAN_LAT[0] <= o.latitude <= IRAN_LAT[1] and IRAN_LON[0] <= o.longitude <= IRAN_LON[1]),
            _("The coordinates are outside Iran (latitude and longitude swapped?)."),
        ),
        (
            "capex_very_large",
            o.capex_usd is not None and o.capex_usd > LARGE_CAPEX_USD,
            _("The capital expenditure is above 5 billion US dollars: check the currency and the zeros."),
        ),
        (
            "jobs_without_capex",
            bool(o.jobs) and o.capex_amount is None,
            _("Jobs are given but the capital expenditure is not."),
        ),
    ]
    return [Warning(code, message) for code, failed, message in checks if failed]
