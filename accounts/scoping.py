"""Who reaches which provinces: written once, used by every queryset, rule, admin page, API and export."""

from django.db.models import Q

from .choices import Role

NATIONAL_ROLES = frozenset({Role.REVIEWER, Role.ADMINISTRATOR})


def is_national(user) -> bool:
    """Reviewers, administrators and superusers oversee every province."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in NATIONAL_ROLES))


def is_province_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role == Role.PROVINCE_STAFF)


def is_reviewer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.REVIEWER))


def staff_province_ids(user) -> frozenset[int]:
    """The provinces a province-staff member serves (cached on the user object for the request)."""
    if not is_province_staff(user):
        return frozenset()
    cached = getattr(user, "_province_ids", None)
    if cached is None:
        cached = frozenset(user.provinces.values_list("id", flat=True))
        user._province_ids = cached
    return cached


def province_q(user, *, field: str = "province") -> Q | None:
    """A filter on `field` limiting rows to the user's provinces; None means every province (national roles)."""
    if is_national(user):
        return None
    return Q(**{f"{field}__in": staff_province_ids(user)})
