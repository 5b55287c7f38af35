"""A West Azerbaijan partner with keys of every scope combination, and opportunities in WA and Qom."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from partners import services
from partners.choices import Scope
from registry.models import County, Province
from tests.factories import OpportunityFactory, OrganisationFactory

ALL_SCOPES = list(Scope.values)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters live in the cache: each test starts with a clean budget."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(db):
    organisation = OrganisationFactory(kind=OrganisationKind.PARTNER_PORTAL)
    return services.partner_create(
        name="WA portal",
        organisation=organisation,
        email="wa-portal@partners.example",
        provinces=[Province.objects.get(code="WA")],
    )


@pytest.fixture
def issue_key(partner):
    def issue(scopes=None, **kwargs):
        key, raw = services.key_issue(
            partner=partner, name="test", scopes=ALL_SCOPES if scopes is None else scopes, **kwargs
        )
        return key, raw

    return issue


def key_client(raw: str, **extra) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}", **extra)
    return client


@pytest.fixture
def catalogue(db):
    """A published and a draft opportunity in WA and in Qom."""
    qom = Province.objects.get(code="QM")
    qom_county = County.objects.filter(province=qom).order_by("pk").first()
    return {
        "wa_published": OpportunityFactory(),
        "wa_draft": OpportunityFactory(published=False),
        "qm_published": OpportunityFactory(province=qom, county=qom_county),
        "qm_draft": OpportunityFactory(province=qom, county=qom_county, published=False),
    }


def past(**delta):
    return timezone.now() - datetime.timedelta(**delta)
