"""People in every role, and opportunities put directly into a given status for the workflow tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opportunities import services
from opportunities.models import Opportunity
from tests.factories import OpportunityFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def make_opportunity(settings, tmp_path, people):
    """A complete West Azerbaijan opportunity (publishable: it has a public document) in the given status."""
    settings.MEDIA_ROOT = tmp_path

    def make(status: str = "draft", *, actor="staff_wa", **fields) -> Opportunity:
        opportunity = OpportunityFactory(published=False, actor=people[actor], **fields)
        services.document_attach(
            opportunity=opportunity,
            uploaded_file=SimpleUploadedFile("teaser.pdf", PDF, content_type="application/pdf"),
            title="teaser",
            kind="brochure",
            language="fa",
            access_level="public",
        )
        Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
        opportunity.refresh_from_db()
        return opportunity

    return make
