"""Standard exports of the catalogue: GeoJSON (RFC 7946) and OC4IDS projects. Built from the same visible queryset
as the API (opportunities_visible_to); field mapping only, no business rules."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from opportunities.choices import AccessLevel, Stage, Status
from opportunities.choices import OpportunityType as T

OC4IDS_PREFIX = getattr(settings, "OC4IDS_PREFIX", "iob")
STAGE_STATUS = {
    Stage.IDENTIFICATION: "identification",
    Stage.PRE_FEASIBILITY: "preparation",
    Stage.FEASIBILITY: "preparation",
    Stage.READY: "preparation",
    Stage.IMPLEMENTATION: "implementation",
    Stage.OPERATION: "completion",
}
TYPE_CODES = {
    T.GREENFIELD: "construction",
    T.EXPANSION: "construction",  # projectType is a closed codelist in 0.9: construction/rehabilitation/replacement
    T.REVIVAL: "rehabilitation",
    T.COMPLETION: "construction",
    T.EXPLORATION: "construction",
    T.PPP: "construction",
    T.JOINT_VENTURE: "construction",
}
# Top-level sectors → OC4IDS projectSector codes; the bank's own code is always kept as a classification.
SECTOR_CODES = {
    "ENE": "energy",
    "WAT": "waterAndWaste",
    "TRN": "transport",
    "ICT": "communications",
    "EDU": "education",
    "HLT": "health",
    "TOU": "recreation",
}


def _point(opportunity) -> dict | None:
    if opportunity.latitude is None or opportunity.longitude is None:
        return None
    return {"type": "Point", "coordinates": [float(opportunity.longitude), float(opportunity.latitude)]}


def geojson_feature(opportunity) -> dict:
    return {
        "type": "Feature",
        "id": opportunity.reference,
        "geometry": _point(opportunity),
        "properties": {
            "reference": opportunity.reference,
            "title_fa": opportunity.title_fa,
            "title_en": opportunity.title_en,
            "province": opportunity.province.code,
            "sector": opportunity.sector.code,
            "type": opportunity.type,
            "stage": opportunity.stage,
            "status": opportunity.status,
            "capex_amount": None if opportunity.capex_amount is None else str(opportunity.capex_amount),
            "capex_currency": opportunity.capex_currency_id,
            "capex_usd": None if opportunity.capex_usd is None else str(opportunity.capex_usd),
            "url": f"{settings.SITE_URL}/api/v1/opportunities/{opportunity.reference}/",
        },
    }


def geojson_collection(opportunities) -> dict:
    return {"type": "FeatureCollection", "features": [geojson_feature(o) for o in opportunities]}


def oc4ids_status(opportunity) -> str:
    if opportunity.status == Status.WITHDRAWN:
        return "cancelled"
    return STAGE_STATUS.get(opportunity.stage, "identification")


def _documents(opportunity) -> list[dict]:
    return [
        {
            "id": str(document.pk),
            "documentType": document.kind,
            "title": document.title,
            "format": document.content_type,
            "language": document.language if document.language != "both" else "fa",
            "url": f"{settings.SITE_URL}{reverse('document-download', args=[document.pk])}",
        }
        for document in opportunity.documents.all()
        if document.access_level == AccessLevel.PUBLIC
    ]


def _parties(opportunity) -> list[dict]:
    org = opportunity.owner_organisation
    if org is None:
        return []
    return [{"id": f"org-{org.pk}", "name": org.name_en or org.name_fa, "roles": ["publicAuthority"]}]


def oc4ids_project(opportunity) -> dict:
    root = opportunity.sector.root
    project = {
        "id": f"oc4ids-{OC4IDS_PREFIX}-{opportunity.reference}",
        "title": opportunity.title_en or opportunity.title_fa,
        "description": opportunity.summary_en or opportunity.summary_fa,
        "status": oc4ids_status(opportunity),
        "sector": [SECTOR_CODES.get(root.code, "economy")],
        "additionalClassifications": [
            {"scheme": "IOB-SECTOR", "id": opportunity.sector.code, "description": opportunity.sector.name_en}
        ],
        "locations": [_location(opportunity)],
        "documents": _documents(opportunity),
        "parties": _parties(opportunity),
        "updated": opportunity.updated_at.isoformat(),
    }
    if opportunity.type in TYPE_CODES:
        project["type"] = TYPE_CODES[opportunity.type]
    if opportunity.capex_amount is not None and opportunity.capex_currency_id:
        amount = {"amount": float(opportunity.capex_amount), "currency": opportunity.capex_currency_id}
        project["budget"] = {"amount": amount}
    return project


def _location(opportunity) -> dict:
    location = {
        "id": "1",
        "description": ", ".join(
            filter(None, [opportunity.county.name_en if opportunity.county else "", opportunity.province.name_en])
        ),
        "address": {"region": opportunity.province.name_en or opportunity.province.name_fa, "countryName": "Iran"},
    }
    if opportunity.latitude is not None and opportunity.longitude is not None:
        # OC4IDS 0.9 asks for [latitude, longitude] here, unlike GeoJSON's [longitude, latitude].
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(opportunity.latitude), float(opportunity.longitude)],
        }
    return location


def oc4ids_package(opportunities) -> dict:
    return {
        "version": "0.9",
        "uri": f"{settings.SITE_URL}/api/v1/exports/oc4ids.json",
        "publisher": {"name": "Investment Opportunity Bank"},
        "publishedDate": timezone.now().isoformat(),
        "projects": [oc4ids_project(o) for o in opportunities],
    }
