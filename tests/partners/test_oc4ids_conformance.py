"""The OC4IDS export against the official OC4IDS 0.9 project schema (tests/partners/schema/, see its README),
validated with JSON Schema Draft 4 as the schema declares, formats (date-time, uri) included. The closed codelists
of 0.9 are enums inside that schema, so their values are checked by the same validation."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from opportunities import services
from opportunities.choices import OpportunityType, Stage, Status
from partners.exports import oc4ids_project
from registry.models import County, Currency, Province, Sector
from tests.factories import OpportunityFactory

SCHEMA_DIR = Path(__file__).parent / "schema"
PROJECT_SCHEMA = json.loads((SCHEMA_DIR / "project-schema.json").read_text(encoding="utf-8"))
# The package envelope as the official project-package schema of 0.9 defines it; each project is checked above.
PACKAGE_ENVELOPE = {
    "type": "object",
    "required": ["uri", "publisher", "publishedDate", "projects", "version"],
    "properties": {
        "uri": {"type": "string", "format": "uri"},
        "publishedDate": {"type": "string", "format": "date-time"},
        "version": {"type": "string", "pattern": r"^(\d+\.)(\d+)$", "enum": ["0.9"]},
        "projects": {"type": "array", "minItems": 1, "uniqueItems": True},
        "publisher": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
    },
}

pytestmark = pytest.mark.django_db


def project_errors(project: dict) -> list[str]:
    """Every way the project breaks the official schema, as readable lines (an empty list when it is valid)."""
    validator = jsonschema.Draft4Validator(PROJECT_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(project)]


def assert_valid_package(package: dict) -> None:
    """The envelope by the package rules, then each project by the official project schema, ids unique."""
    jsonschema.Draft4Validator(PACKAGE_ENVELOPE, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(
        package
    )
    for project in package["projects"]:
        assert project_errors(project) == [], project["id"]
    ids = [project["id"] for project in package["projects"]]
    assert len(ids) == len(set(ids))


def attach_public_brochure(opportunity, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.document_attach(
        opportunity=opportunity,
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="معرفی",
        kind="brochure",
        language="fa",
        access_level="public",
    )


def test_the_vendored_schema_is_the_official_09_project_schema():
    assert PROJECT_SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert "/infrastructure/schema/0__9__" in PROJECT_SCHEMA["id"]
    jsonschema.Draft4Validator.check_schema(PROJECT_SCHEMA)


def closed_codelist_fields(node, path=""):
    if isinstance(node, dict):
        if node.get("openCodelist") is False:
            yield path, node
        for key, child in node.items():
            yield from closed_codelist_fields(child, f"{path}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from closed_codelist_fields(child, f"{path}/{index}")


def test_every_closed_codelist_of_the_schema_is_an_enum_the_validation_checks():
    fields = dict(closed_codelist_fields(PROJECT_SCHEMA))
    assert "/properties/status" in fields and "/properties/type" in fields
    for path, field in fields.items():
        enum = field.get("enum") or field.get("items", {}).get("enum")
        assert enum, f"{path} ({field['codelist']}) has no enum"


def test_a_project_outside_the_codelists_or_formats_is_invalid():
    project = {
        "id": "x",
        "status": "ready",
        "type": "expansion",
        "updated": "yesterday",
        "budget": {"amount": {"amount": 1, "currency": "XYZ"}},
    }
    failing = {line.split(":")[0] for line in project_errors(project)}
    assert failing == {"status", "type", "updated", "budget/amount/currency"}


@pytest.mark.parametrize("kind", list(OpportunityType))
def test_every_type_exports_a_valid_oc4ids_project(kind, settings, tmp_path):
    opportunity = OpportunityFactory(
        type=kind,
        physical_progress_pct=70 if kind == OpportunityType.COMPLETION else None,
        latitude="37.552673",
        longitude="45.076046",
        capex_currency=Currency.objects.get(code="IRR"),
        capex_amount="50000000000000",
    )
    attach_public_brochure(opportunity, settings, tmp_path)
    project = oc4ids_project(opportunity)
    assert project_errors(project) == []
    assert project["locations"][0]["geometry"]["coordinates"] == [37.552673, 45.076046]  # latitude first in 0.9
    assert project["budget"]["amount"] == {"amount": 50000000000000.0, "currency": "IRR"}
    assert project["documents"][0]["url"].startswith("http")


@pytest.mark.parametrize("stage", list(Stage))
def test_every_stage_and_withdrawal_export_a_valid_status(stage):
    opportunity = OpportunityFactory(stage=stage, published=False)
    assert project_errors(oc4ids_project(opportunity)) == []
    opportunity.status = Status.WITHDRAWN
    assert oc4ids_project(opportunity)["status"] == "cancelled"
    assert project_errors(oc4ids_project(opportunity)) == []


def test_a_bare_opportunity_exports_a_valid_project():
    opportunity = OpportunityFactory(
        county=None, capex_amount=None, capex_currency=None, summary_en="", title_en="", jobs=None
    )
    project = oc4ids_project(opportunity)
    assert project_errors(project) == []
    assert "budget" not in project and "geometry" not in project["locations"][0]


def demo_like_catalogue(settings, tmp_path):
    """A handful of published opportunities across provinces, sectors, types, stages and currencies."""
    qom = Province.objects.get(code="QM")
    made = [
        OpportunityFactory(latitude="37.55", longitude="45.07"),
        OpportunityFactory(
            province=qom,
            county=County.objects.filter(province=qom).order_by("pk").first(),
            sector=Sector.objects.filter(parent__isnull=True).exclude(code="MIN").order_by("code").first(),
            type=OpportunityType.REVIVAL,
            stage=Stage.OPERATION,
            capex_currency=Currency.objects.get(code="IRR"),
            capex_amount="980000000000",
        ),
        OpportunityFactory(
            type=OpportunityType.PPP, stage=Stage.IDENTIFICATION, capex_amount=None, capex_currency=None
        ),
    ]
    attach_public_brochure(made[0], settings, tmp_path)
    return made


def test_the_bulk_export_is_a_valid_oc4ids_package(settings, tmp_path):
    made = demo_like_catalogue(settings, tmp_path)
    response = APIClient().get("/api/v1/exports/oc4ids.json")
    assert response.status_code == 200
    package = response.json()
    assert_valid_package(package)
    assert len(package["projects"]) == len(made)


def test_each_opportunity_exports_a_valid_oc4ids_package(settings, tmp_path):
    for opportunity in demo_like_catalogue(settings, tmp_path):
        response = APIClient().get(f"/api/v1/opportunities/{opportunity.reference}/oc4ids/")
        assert response.status_code == 200
        package = response.json()
        assert_valid_package(package)
        assert [project["id"] for project in package["projects"]] == [f"oc4ids-iob-{opportunity.reference}"]
