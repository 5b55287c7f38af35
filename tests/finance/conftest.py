"""People in every role, published and draft opportunities with financial models, a currency without a rate."""

import pytest

from registry.models import Currency
from tests.factories import OpportunityFactory
from tests.finance.factories import mine_model, rial_model


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The role matrix makes five users per test; a deliberately slow hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def modelled(db, django_capture_on_commit_callbacks):
    """A published USD mine, a published rial plant and a draft mine in West Azerbaijan, each appraised."""
    mine = OpportunityFactory(title_fa="معدن مس نمونه", title_en="Sample copper mine")
    plant = OpportunityFactory(title_fa="کارخانه نمونه", title_en="Sample plant")
    draft = OpportunityFactory(title_fa="پیش‌نویس", title_en="Draft mine", published=False)
    with django_capture_on_commit_callbacks(execute=True):
        mine_model(mine)
        rial_model(plant)
        mine_model(draft)
    for opportunity in (mine, plant, draft):
        opportunity.refresh_from_db()
    return {"mine": mine, "plant": plant, "draft": draft}


@pytest.fixture
def pound(db) -> Currency:
    """A currency that exists but has no exchange rate recorded."""
    return Currency.objects.create(code="GBP", name_fa="پوند انگلیس", name_en="Pound sterling", symbol="£")
