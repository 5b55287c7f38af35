"""End to end through a real worker on Redis: a committed exchange rate reaches the catalogue's USD figures."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from opportunities.models import Opportunity
from registry.models import Currency
from registry.services import exchange_rate_record
from tests.factories import OpportunityFactory

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("celery-worker")]


def test_rate_change_is_applied_by_the_worker_after_commit(celery_worker_process):
    irr = Currency.objects.get(code="IRR")
    opportunity = OpportunityFactory(capex_amount=Decimal("3300000000000"), capex_currency=irr)
    assert opportunity.capex_usd == Decimal("3000000.00")

    with transaction.atomic():
        exchange_rate_record(
            currency=irr, valid_from=datetime.date.today(), units_per_usd=Decimal("1650000"), source="integration"
        )
        # Not dispatched yet: the worker must never see a rate that might still roll back.

    seconds = wait_for(lambda: Opportunity.objects.get(pk=opportunity.pk).capex_usd == Decimal("2000000.00"))
    assert seconds < 30
    assert "opportunities.refresh_usd_equivalents" in celery_worker_process.log_path.read_text()
