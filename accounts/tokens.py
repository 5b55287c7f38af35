"""E-mail verification tokens: signed, expiring, and spent once the address is verified.

The token is a signed (user id, state hash) pair with a timestamp. The state hash covers the e-mail address and the
verification time, so verifying (or changing the address) invalidates every earlier link without storing tokens.
Reading a token tells apart the three ways it can fail, so the page can say which: tampered, expired, already used.
"""

import enum
import hashlib

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "accounts.email-verification"


class TokenProblem(enum.Enum):
    INVALID = "invalid"  # not signed by us, altered or truncated
    EXPIRED = "expired"
    USED = "used"  # the address has been verified since (or changed): the link is spent


def _state_hash(user) -> str:
    profile = getattr(user, "investor_profile", None)
    verified_at = profile.email_verified_at.isoformat() if profile and profile.email_verified_at else ""
    return salted_hmac(SALT, f"{user.pk}|{user.email.lower()}|{verified_at}").hexdigest()[:32]


def verification_token_make(user) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"u": user.pk, "h": _state_hash(user)})


def token_digest(token: str) -> str:
    """A short fingerprint of a token for the outbox key: the same token never makes a second e-mail."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def verification_token_read(token: str) -> tuple[int | None, str | None, TokenProblem | None]:
    """The user id and state hash a token carries, or why it cannot be read (signature first, then age)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        return None, None, TokenProblem.EXPIRED
    except (signing.BadSignature, ValueError, TypeError):
        return None, None, TokenProblem.INVALID
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not isinstance(payload.get("h"), str):
        return None, None, TokenProblem.INVALID
    return payload["u"], payload["h"], None


def verification_token_matches(user, state_hash: str) -> bool:
    return constant_time_compare(_state_hash(user), state_hash)
