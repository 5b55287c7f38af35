"""Inquiry fixtures: people in each role, an opportunity in West Azerbaijan, a clean cache (rate limits)."""

import pytest
from django.core.cache import cache

from accounts.choices import Role
from tests.factories import OpportunityFactory, UserFactory

from .factories import staff_of


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The role matrices make many users; real PBKDF2 rounds would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_wa(db):
    return staff_of("WA", first_name="کارشناس", last_name="ارومیه")


@pytest.fixture
def staff_ea(db):
    return staff_of("EA")


@pytest.fixture
def reviewer(db):
    return UserFactory(role=Role.REVIEWER, is_staff=True)


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def investor(db):
    return UserFactory(role=Role.INVESTOR, first_name="Sara", last_name="Investor")


@pytest.fixture
def opportunity(db):
    return OpportunityFactory(title_fa="استخراج مس در تکاب", title_en="Copper mining in Takab")


@pytest.fixture
def people(staff_wa, staff_ea, reviewer, administrator, investor):
    """Every role by name, for the role × action matrices (None is an anonymous visitor)."""
    return {
        "anonymous": None,
        "investor": investor,
        "staff_wa": staff_wa,
        "staff_ea": staff_ea,
        "reviewer": reviewer,
        "administrator": administrator,
    }
