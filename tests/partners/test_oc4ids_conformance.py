"""The OC4IDS export against the constraints of the OC4IDS 0.9 project schema that apply to the fields we publish
(closed codelists, required ids, value and location shapes), written out here as a JSON Schema of our own."""

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opportunities import services
from opportunities.choices import OpportunityType
from partners.exports import oc4ids_project
from registry.models import Currency
from tests.factories import OpportunityFactory

PROJECT_STATUS = ["identification", "preparation", "implementation", "completion", "completed", "cancelled"]
PROJECT_TYPE = ["construction", "rehabilitation", "replacement"]
GEOMETRY_TYPES = ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
VALUE = {"type": "object", "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}}}

OC4IDS_09_SUBSET = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": STRING,
        "updated": DATE_TIME,
        "title": STRING,
        "description": STRING,
        "status": {"type": "string", "enum": PROJECT_STATUS},
        "type": {"type": "string", "enum": PROJECT_TYPE},
        "sector": {"type": "array", "items": STRING},
        "additionalClassifications": {
            "type": "array",
            "items": {"type": "object", "properties": {"scheme": STRING, "id": {"type": ["string", "integer"]}}},
        },
        "budget": {"type": "object", "properties": {"amount": VALUE}},
        "locations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "description": STRING,
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": GEOMETRY_TYPES},
                            "coordinates": {"type": "array", "items": {"type": ["number", "array"]}},
                        },
                    },
                    "address": {"type": "object", "additionalProperties": STRING},
                },
            },
        },
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": ["string", "integer"], "minLength": 1},
                    "documentType": STRING,
                    "title": STRING,
                    "url": {"type": "string", "format": "uri"},
                    "format": STRING,
                    "language": STRING,
                },
            },
        },
        "parties": {
            "type": "array",
            "items": {"type": "object", "properties": {"id": STRING, "name": STRING, "roles": {"type": "array"}}},
        },
    },
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(OpportunityType))
def test_every_type_exports_a_valid_oc4ids_project(kind, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    opportunity = OpportunityFactory(
        type=kind,
        physical_progress_pct=70 if kind == OpportunityType.COMPLETION else None,
        latitude="37.552673",
        longitude="45.076046",
        capex_currency=Currency.objects.get(code="IRR"),
        capex_amount="50000000000000",
    )
    services.document_attach(
        opportunity=opportunity,
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="معرفی",
        kind="brochure",
        language="fa",
        access_level="public",
    )
    project = oc4ids_project(opportunity)
    jsonschema.validate(project, OC4IDS_09_SUBSET, format_checker=jsonschema.FormatChecker())
    assert project["locations"][0]["geometry"]["coordinates"] == [37.552673, 45.076046]  # latitude first in 0.9
    assert project["budget"]["amount"] == {"amount": 50000000000000.0, "currency": "IRR"}
