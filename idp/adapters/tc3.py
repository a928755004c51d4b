"""Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256), as domain.md §7.1 spells it out.

About thirty lines, so the optional ``tencentcloud-sdk-python`` is not needed. The signed headers are
``content-type;host``; the canonical header values are lower case, as Tencent's signing guide requires.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

ALGORITHM = "TC3-HMAC-SHA256"
#: The exact Content-Type sent and signed (a different charset spelling breaks the signature).
CONTENT_TYPE = "application/json; charset=utf-8"
#: Headers covered by the signature, in the order of the canonical request.
SIGNED_HEADERS = "content-type;host"


def sha256_hex(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    """``YYYY-MM-DD`` in UTC: the credential date is never the local (Beijing) date."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def canonical_request(*, host: str, body: bytes, content_type: str = CONTENT_TYPE) -> str:
    """``POST``, path ``/``, empty query, the two signed headers, and the body's SHA-256."""
    headers = f"content-type:{content_type.lower()}\nhost:{host.lower()}\n"
    return f"POST\n/\n\n{headers}\n{SIGNED_HEADERS}\n{sha256_hex(body)}"


def string_to_sign(*, canonical: str, timestamp: int, service: str) -> str:
    scope = f"{utc_date(timestamp)}/{service}/tc3_request"
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{sha256_hex(canonical)}"


def signature(*, secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    """Derive the signing key (date → service → ``tc3_request``) and sign."""
    key = _hmac(("TC3" + secret_key).encode("utf-8"), utc_date(timestamp))
    key = _hmac(key, service)
    key = _hmac(key, "tc3_request")
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization(
    *, secret_id: str, secret_key: str, service: str, host: str, timestamp: int, body: bytes
) -> str:
    """The ``Authorization`` header value for one POST body."""
    canonical = canonical_request(host=host, body=body)
    sig = signature(secret_key=secret_key, timestamp=timestamp, service=service,
                    to_sign=string_to_sign(canonical=canonical, timestamp=timestamp, service=service))
    scope = f"{utc_date(timestamp)}/{service}/tc3_request"
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={sig}"


def signed_headers(
    *, secret_id: str, secret_key: str, service: str, host: str, action: str, version: str, timestamp: int,
    body: bytes, region: str = "",
) -> dict[str, str]:
    """Every header a Tencent Cloud API 3.0 JSON POST needs."""
    headers = {
        "Authorization": authorization(secret_id=secret_id, secret_key=secret_key, service=service, host=host,
                                       timestamp=timestamp, body=body),
        "Content-Type": CONTENT_TYPE,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(timestamp),
    }
    if region:
        headers["X-TC-Region"] = region
    return headers
