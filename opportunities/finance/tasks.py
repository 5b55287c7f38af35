"""Appraisal tasks: each loads the model by id and calls a service, so running one twice changes nothing."""

from celery import shared_task

from . import services


@shared_task(name=services.APPRAISE_TASK)
def finance_appraise_model_task(*, model_id: int) -> bool:
    """Appraise a model's current inputs after a change was committed; True if a result was written or copied."""
    return services.financial_model_appraise(model_id=model_id) is not None


@shared_task(name="finance.appraisals_sweep")
def finance_appraisals_sweep_task() -> int:
    """Beat: dispatch the appraisal of models whose current inputs have no result (lost dispatch, outage)."""
    return services.financial_models_sweep()
