"""`rules` predicates over the one scoping module, for object checks in admin, pages and API."""

import rules

from . import scoping


@rules.predicate
def is_national(user) -> bool:
    return scoping.is_national(user)


@rules.predicate
def is_province_staff(user) -> bool:
    return scoping.is_province_staff(user)


@rules.predicate
def is_reviewer(user) -> bool:
    return scoping.is_reviewer(user)


@rules.predicate
def serves_province_of(user, obj) -> bool:
    """The object (anything with a province_id) is in one of the user's provinces."""
    return obj is not None and obj.province_id in scoping.staff_province_ids(user)
