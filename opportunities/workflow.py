"""The publication workflow as one table: which action moves which status to which, and who may take it.

Pure data and pure checks (no ORM): the service in services.py locks the row, asks this table, validates the
target status's requirements, saves and writes the event row.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import Status

STAFF = "province_staff"  # province staff of the opportunity's province
REVIEWER = "reviewer"  # national reviewers (and administrators)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str
    label: object
    note_required: bool = False
    evidence_required: bool = False


FINAL_STATUSES = frozenset({Status.CONTRACTED, Status.WITHDRAWN, Status.ARCHIVED})
NON_FINAL_STATUSES = frozenset(Status.values) - FINAL_STATUSES

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({Status.DRAFT}), Status.SUBMITTED, STAFF, _("Submit for review")),
        Transition("publish", frozenset({Status.SUBMITTED}), Status.PUBLISHED, REVIEWER, _("Publish")),
        Transition(
            "return", frozenset({Status.SUBMITTED}), Status.DRAFT, REVIEWER, _("Return to draft"), note_required=True
        ),
        Transition("negotiate", frozenset({Status.PUBLISHED}), Status.IN_NEGOTIATION, STAFF, _("In negotiation")),
        Transition(
            "contract",
            frozenset({Status.IN_NEGOTIATION}),
            Status.CONTRACTED,
            STAFF,
            _("Contracted"),
            evidence_required=True,
        ),
        Transition("withdraw", NON_FINAL_STATUSES, Status.WITHDRAWN, STAFF, _("Withdraw")),
        Transition(
            "archive", frozenset({Status.PUBLISHED, Status.CONTRACTED}), Status.ARCHIVED, REVIEWER, _("Archive")
        ),
    )
}


def transitions_from(status: str) -> list[Transition]:
    """Every move the table allows out of a status, whoever takes it."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
