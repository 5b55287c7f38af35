"""A one- or two-letter Persian word matches whole words only: «مس» (copper) is not the start of «مستقیم»."""

import pytest

from opportunities.models import Opportunity
from opportunities.search import opportunities_matching
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_short_persian_words_match_whole_words_only():
    copper = OpportunityFactory(title_fa="تولید کنسانتره مس", summary_fa="اشتغال مستقیم ۴۰ نفر")
    salt = OpportunityFactory(title_fa="تولید نمک صنعتی", summary_fa="اشتغال مستقیم ۲۰ نفر")
    found = set(opportunities_matching(Opportunity.objects.all(), "مس"))
    assert copper in found and salt not in found
    assert set(opportunities_matching(Opportunity.objects.all(), "مستقیم")) == {copper, salt}
