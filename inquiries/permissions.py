"""Who may handle which inquiry, over the one scoping module: province staff their provinces, national roles all."""

from rest_framework.permissions import BasePermission

from accounts import scoping

from .choices import TRANSITIONS


def is_inquiry_staff(user) -> bool:
    """Someone who works inquiries at all: active province staff or an active national role (reviewer, admin)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return scoping.is_province_staff(user) or scoping.is_national(user)


def can_handle(user, inquiry) -> bool:
    """Staff of the inquiry's province, or a national role. Everyone else must not even learn it exists."""
    if not is_inquiry_staff(user):
        return False
    return scoping.is_national(user) or inquiry.province_id in scoping.staff_province_ids(user)


def allowed_moves(user, inquiry) -> tuple[str, ...]:
    """The statuses this person may move this inquiry to now (empty if they may not handle it)."""
    if not can_handle(user, inquiry):
        return ()
    return TRANSITIONS.get(inquiry.status, ())


def can_be_assignee(user, *, province_id: int) -> bool:
    """An inquiry goes to someone who may handle it: active staff of its province or an active reviewer."""
    if not (user and user.is_active):
        return False
    if scoping.is_reviewer(user):
        return True
    return scoping.is_province_staff(user) and province_id in scoping.staff_province_ids(user)


class IsInquiryStaff(BasePermission):
    """API access to the inbox; which inquiries a user reaches is decided by the scoped queryset (404 otherwise)."""

    def has_permission(self, request, view) -> bool:
        return is_inquiry_staff(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return can_handle(request.user, obj)
