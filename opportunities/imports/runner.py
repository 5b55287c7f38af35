"""Running an import: check every row, then write all of them or none; and the stored job that runs it in a task."""

from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Province

from .. import permissions
from ..models import ImportJob, Opportunity
from .checking import RowChecker
from .columns import read_dataset
from .parsing import Lookups, parse_rows
from .writing import write

PROGRESS_EVERY = 250


@dataclass
class ImportOutcome:
    """What a run found and did: the rows, every problem (row, field, message), and how many were written."""

    total: int
    errors: list[dict]
    created: int = 0
    updated: int = 0


def run_import(
    *, dataset: tablib.Dataset, province: Province, actor, dry_run: bool, progress: Callable[[int], None] = None
) -> ImportOutcome:
    """Check every row; if any is bad, report them all and write nothing; otherwise (unless a dry run) upsert."""
    if not permissions.may_create_in(actor, province):
        raise ValidationError({"province": _("You may not import into this province.")})
    existing = list(
        Opportunity.objects.filter(province=province).select_related(
            "province", "county", "sector__parent", "commodity", "capex_currency", "event"
        )
    )
    checker = RowChecker(province=province, actor=actor, existing=existing)
    errors, instances = [], []
    for count, result in enumerate(parse_rows(dataset, lookups=Lookups()), start=1):
        instance, row_errors, changed = checker.check(result)
        errors += row_errors
        if instance is not None and changed and not row_errors:
            instances.append(instance)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    outcome = ImportOutcome(total=len(dataset), errors=errors)
    if errors or dry_run:
        return outcome
    outcome.created, outcome.updated = write(instances=instances, actor=actor)
    return outcome


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a stored import (dry run or real) once: a job that already finished is left as it is."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("province", "created_by").get(pk=job_id)
        if job.state not in (ImportJob.State.PENDING,):
            return job
        job.state = ImportJob.State.RUNNING
        job.save(update_fields=["state"])
    try:
        dataset = read_dataset(job.file.read(), job.original_name)
        job.total_rows = len(dataset)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
        outcome = run_import(
            dataset=dataset,
            province=job.province,
            actor=job.created_by,
            dry_run=job.dry_run,
            progress=lambda n: ImportJob.objects.filter(pk=job.pk).update(processed_rows=n),
        )
    except ValidationError as error:
        outcome = ImportOutcome(
            total=job.total_rows,
            errors=[{"row": 0, "field": f, "message": " ".join(m)} for f, m in error.message_dict.items()],
        )
    job.errors = outcome.errors[:2000]
    job.state = ImportJob.State.INVALID if outcome.errors else ImportJob.State.DONE
    job.processed_rows = job.total_rows
    job.created_count, job.updated_count = outcome.created, outcome.updated
    job.finished_at = timezone.now()
    job.save()
    return job
