"""Object permissions for the admin and templates, as `rules` predicates over opportunities/permissions.py."""

import rules

from . import permissions


@rules.predicate
def can_change(user, opportunity) -> bool:
    if opportunity is None:
        return permissions.may_see_staff_side(user)
    return permissions.may_edit(user, opportunity)


@rules.predicate
def can_view_staff_side(user, opportunity) -> bool:
    return permissions.may_see_staff_side(user, opportunity)


rules.add_perm("opportunities.change_opportunity", can_change)
rules.add_perm("opportunities.view_opportunity", can_view_staff_side)
rules.add_perm("opportunities.add_opportunity", can_view_staff_side)
