"""Which scope a request needs. Applied to every API request made with a key (in the authentication class), so
views written before partners existed are covered too; anything not listed needs a scope no key has (deny)."""

from rest_framework import permissions

from .choices import Scope

SAFE = frozenset(permissions.SAFE_METHODS)
API_PREFIX = "/api/v1/"
DENY = "__deny__"

# (path prefix under /api/v1/, safe-method scope, unsafe-method scope); the first match wins.
# Reading /inquiries/ is the staff inbox of the user's provinces, not "the partner's own inquiries": keys read
# those at /partner/inquiries/ instead, and only submit at /inquiries/.
POLICY: tuple[tuple[str, str, str], ...] = (
    ("partner/inquiries", Scope.INQUIRIES_READ, DENY),
    ("inquiries", DENY, Scope.INQUIRIES_SUBMIT),
    ("opportunities", Scope.CATALOGUE_READ, Scope.OPPORTUNITIES_WRITE),
    ("changes", Scope.CATALOGUE_READ, DENY),
    ("exports", Scope.CATALOGUE_READ, DENY),
    ("provinces", Scope.CATALOGUE_READ, DENY),
    ("sectors", Scope.CATALOGUE_READ, DENY),
)


def required_scope(path: str, method: str) -> str:
    """The scope a key needs for this path and method; DENY when the path is not open to partners."""
    if not path.startswith(API_PREFIX):
        return DENY
    rest = path[len(API_PREFIX) :]
    for prefix, read, write in POLICY:
        if rest == prefix or rest.startswith(prefix + "/") or rest.startswith(prefix + "."):
            return read if method.upper() in SAFE else write
    return DENY


class HasScope(permissions.BasePermission):
    """For views of this app: a key must carry the view's `required_scopes` (session users are judged elsewhere)."""

    def has_permission(self, request, view) -> bool:
        key = getattr(request, "auth", None)
        if key is None or not hasattr(key, "scopes"):
            return True
        needed = getattr(view, "required_scopes", ())
        return all(scope in key.scopes for scope in needed)
