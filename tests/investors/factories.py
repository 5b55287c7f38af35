"""Factories for the investors sub-app: verified investors and saved searches."""

import factory
from django.utils import timezone

from accounts.models import InvestorProfile
from opportunities.investors.models import SavedSearch
from tests.factories import UserFactory


def verified_investor(**kwargs):
    """An investor whose address is verified, so saved-search digests may go to them."""
    user = UserFactory(**kwargs)
    InvestorProfile.objects.create(user=user, email_verified_at=timezone.now())
    return user


class SavedSearchFactory(factory.django.DjangoModelFactory):
    user = factory.LazyFunction(verified_investor)
    name = factory.Sequence(lambda n: f"Search {n}")
    query = "sector=MIN"

    class Meta:
        model = SavedSearch
