"""People in every role, and opportunities put directly into a given status for the workflow tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.choices import Role
from opportunities import services
from opportunities.models import Opportunity
from registry.models import Province
from tests.factories import OpportunityFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(db):
    wa, ea = Province.objects.get(code="WA"), Province.objects.get(code="EA")
    staff_a = UserFactory(email="staff.a@example.com", role=Role.PROVINCE_STAFF, is_staff=True)
    staff_a.provinces.add(wa)
    staff_b = UserFactory(email="staff.b@example.com", role=Role.PROVINCE_STAFF, is_staff=True)
    staff_b.provinces.add(ea)
    return {
        "anonymous": None,
        "investor": UserFactory(email="investor@example.com", role=Role.INVESTOR),
        "staff_a": staff_a,
        "staff_b": staff_b,
        "reviewer": UserFactory(email="reviewer@example.com", role=Role.REVIEWER, is_staff=True),
        "administrator": UserFactory(email="admin@example.com", role=Role.ADMINISTRATOR, is_staff=True),
    }


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def make_opportunity(settings, tmp_path, people):
    """A complete West Azerbaijan opportunity (publishable: it has a public document) in the given status."""
    settings.MEDIA_ROOT = tmp_path

    def make(status: str = "draft", *, actor="staff_a", **fields) -> Opportunity:
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
