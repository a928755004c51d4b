"""Webhook transport (httpx) and Standard Webhooks signing (the ``standardwebhooks`` package)."""

from __future__ import annotations

from datetime import datetime

import httpx
from standardwebhooks.webhooks import Webhook


def signed_headers(secret: str, msg_id: str, at: datetime, body: str) -> dict[str, str]:
    """The three Standard Webhooks headers for this body."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
        "content-type": "application/json",
        "user-agent": "idp-webhooks/1",
    }


class HttpWebhookSender:
    """POSTs with httpx; returns the status code, raises on transport errors."""

    def send(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            return client.post(url, content=body, headers=headers).status_code
