"""Standard Webhooks signatures: v1 = base64(HMAC-SHA256(secret, f"{id}.{timestamp}.{body}")); secrets are
`whsec_` + base64 of 24 random bytes. During a rotation both secrets sign, space-separated."""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def secret_generate() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(*, secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    return " ".join(sign(secret=s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets_)
