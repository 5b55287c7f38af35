"""Through a real worker on Redis: a model saved and committed is appraised by the worker, once."""

import pytest

from opportunities.finance.models import FinancialResult
from opportunities.models import Opportunity
from tests.factories import OpportunityFactory
from tests.finance.factories import mine_model
from tests.integration.conftest import broker, celery_worker_process, wait_for  # noqa: F401 - fixtures

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("celery-worker")]


def test_a_saved_model_is_appraised_by_the_worker_after_commit(celery_worker_process):  # noqa: F811
    opportunity = OpportunityFactory()
    model = mine_model(opportunity)  # autocommit: the dispatch goes to Redis as the save commits

    seconds = wait_for(lambda: Opportunity.objects.get(pk=opportunity.pk).fin_irr is not None)

    assert seconds < 30
    assert FinancialResult.objects.filter(model=model).count() == 1
    log = celery_worker_process.log_path.read_text()
    assert "finance.appraise_model" in log and "succeeded" in log
