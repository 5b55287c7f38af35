"""Catalogue writes: references, validation that names the field, sanitised HTML, USD figures and uploads."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opportunities import services
from opportunities.choices import Status
from opportunities.models import Document, Opportunity
from registry.models import County, Currency, Event, Province, Sector
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_references_follow_province_sector_event_year():
    event = Event.objects.get(slug="inova-2025")
    first = OpportunityFactory(event=event, sector=Sector.objects.get(code="MIN.CNS"))
    second = OpportunityFactory(event=event, sector=Sector.objects.get(code="MIN.MET"))
    assert first.reference == "WA-MIN-2025-0001"
    assert second.reference == "WA-MIN-2025-0002"  # sub-sectors share their top-level sector's sequence


def test_reference_never_changes_on_update():
    opportunity = OpportunityFactory()
    reference = opportunity.reference
    services.opportunity_update(
        opportunity=opportunity, actor=None, data={"sector": Sector.objects.get(code="AGR.HRT"), "title_fa": "تازه"}
    )
    opportunity.refresh_from_db()
    assert opportunity.reference == reference
    assert opportunity.title_fa == "تازه"


def test_county_outside_province_is_rejected_and_nothing_is_written():
    with pytest.raises(ValidationError) as error:
        OpportunityFactory(province=Province.objects.get(code="QM"), county=County.objects.get(code="WA-URM"))
    assert "county" in error.value.message_dict
    assert Opportunity.objects.count() == 0


def test_commodity_outside_sector_is_rejected():
    from registry.models import Commodity

    with pytest.raises(ValidationError) as error:
        OpportunityFactory(sector=Sector.objects.get(code="AGR.HRT"), commodity=Commodity.objects.get(code="copper"))
    assert "commodity" in error.value.message_dict


def test_capex_without_currency_is_rejected():
    with pytest.raises(ValidationError) as error:
        OpportunityFactory(capex_amount=Decimal("1000"), capex_currency=None)
    assert "capex_currency" in error.value.message_dict


@pytest.mark.parametrize("field", ["status", "reference", "capex_usd", "search_key", "published_at"])
def test_derived_and_workflow_fields_cannot_be_set(field):
    opportunity = OpportunityFactory(published=False)
    with pytest.raises(ValidationError) as error:
        services.opportunity_update(opportunity=opportunity, actor=None, data={field: "published"})
    assert field in error.value.message_dict
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT


def test_description_html_is_sanitised():
    opportunity = OpportunityFactory(
        description_fa='<p onclick="x()">معدن <script>alert(1)</script><a href="javascript:alert(1)">پیوند</a></p>'
    )
    assert "<script" not in opportunity.description_fa
    assert "onclick" not in opportunity.description_fa
    assert "javascript:" not in opportunity.description_fa
    assert "<p>معدن" in opportunity.description_fa


def test_usd_equivalent_uses_the_latest_rate():
    opportunity = OpportunityFactory(
        capex_amount=Decimal("1100000000000"), capex_currency=Currency.objects.get(code="IRR")
    )
    assert opportunity.capex_usd == Decimal("1000000.00")  # 1.1 trillion rials at 1,100,000 rials per dollar


def test_new_rate_refreshes_usd_equivalents_after_commit(django_capture_on_commit_callbacks):
    import datetime

    from registry.services import exchange_rate_record

    opportunity = OpportunityFactory(
        capex_amount=Decimal("2200000000000"), capex_currency=Currency.objects.get(code="IRR")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        exchange_rate_record(
            currency=Currency.objects.get(code="IRR"),
            valid_from=datetime.date(2025, 11, 20),
            units_per_usd=Decimal("1000000"),
            source="test",
        )
    assert len(callbacks) == 1
    opportunity.refresh_from_db()
    assert opportunity.capex_usd == Decimal("2200000.00")
    assert services.opportunities_refresh_usd(currency_code="IRR") == 0  # running it again changes nothing


def test_search_key_is_normalised_and_bilingual():
    opportunity = OpportunityFactory(title_fa="فرآوري سنگ‌آهن", title_en="Iron Ore Processing")
    assert "ي" not in opportunity.search_key
    assert "iron ore processing" in opportunity.search_key
    assert opportunity.reference.lower() in opportunity.search_key
    assert "اذربایجان غربی" in opportunity.search_key  # the province name, folded


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _attach(opportunity, content: bytes, name: str, content_type: str = "application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return services.document_attach(
        opportunity=opportunity,
        uploaded_file=upload,
        title="study",
        kind="feasibility",
        language="fa",
        access_level="public",
    )


def test_pdf_upload_is_stored_with_sniffed_type(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = _attach(OpportunityFactory(), PDF, "study.pdf")
    assert document.content_type == "application/pdf"
    assert document.size_bytes == len(PDF)


@pytest.mark.parametrize(
    ("content", "name", "claimed"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "study.pdf", "application/pdf"),  # a Windows executable named .pdf
        (b"<html><script>alert(1)</script></html>", "page.pdf", "application/pdf"),
        (b"plain text", "notes.txt", "text/plain"),
        (b"", "empty.pdf", "application/pdf"),
    ],
)
def test_wrong_type_uploads_are_rejected_and_nothing_is_stored(settings, tmp_path, content, name, claimed):
    settings.MEDIA_ROOT = tmp_path
    opportunity = OpportunityFactory()
    with pytest.raises(ValidationError) as error:
        _attach(opportunity, content, name, claimed)
    assert "file" in error.value.message_dict
    assert Document.objects.count() == 0
    assert not any(tmp_path.rglob("*.*"))


def test_oversized_upload_is_rejected(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="file"):
        _attach(OpportunityFactory(), PDF + b"0" * 2048, "big.pdf")
    assert Document.objects.count() == 0


def test_image_upload_is_accepted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert _attach(OpportunityFactory(), PNG, "site.png", "image/png").content_type == "image/png"


def test_reference_allocation_is_a_counter_not_a_count():
    a = OpportunityFactory()
    Opportunity.objects.filter(pk=a.pk).delete()
    b = OpportunityFactory()
    assert a.reference != b.reference  # a deleted reference is never handed out again
