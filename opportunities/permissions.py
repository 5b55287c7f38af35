"""Who may do what to an opportunity, over the one scoping module. Services enforce these; admin, pages and API
ask them to decide what to offer. `user=None` is the system itself (seeding, tasks, trusted imports)."""

from accounts import scoping
from accounts.choices import Role

from . import workflow
from .choices import Status
from .workflow import FINAL_STATUSES, Transition


def _serves(user, opportunity) -> bool:
    return scoping.is_province_staff(user) and opportunity.province_id in scoping.staff_province_ids(user)


def may_create_in(user, province) -> bool:
    """Province staff create in their own provinces, national roles anywhere."""
    if user is None or scoping.is_national(user):
        return True
    return scoping.is_province_staff(user) and province.pk in scoping.staff_province_ids(user)


def may_edit(user, opportunity) -> bool:
    """Staff edit their province's drafts; national roles anything not final."""
    if user is None:
        return True
    if scoping.is_national(user):
        return opportunity.status not in FINAL_STATUSES
    return _serves(user, opportunity) and opportunity.status == Status.DRAFT


def may_attach_documents(user, opportunity) -> bool:
    """Documents may be added until the opportunity is final (a contract document is the evidence to close it)."""
    if user is None or scoping.is_national(user):
        return True
    return _serves(user, opportunity) and opportunity.status not in FINAL_STATUSES


def may_take(user, transition: Transition, opportunity) -> bool:
    """May this person take this move on this opportunity (whatever its current status)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    if transition.actor == workflow.REVIEWER:
        return scoping.is_reviewer(user)
    return _serves(user, opportunity)


def may_see_staff_side(user, opportunity=None) -> bool:
    """History, events and warnings are for staff who may see the opportunity's province, and national roles."""
    if scoping.is_national(user):
        return True
    return scoping.is_province_staff(user) and (opportunity is None or _serves(user, opportunity))
