"""Webhook transport (httpx) and Standard Webhooks signing (the ``standardwebhooks`` package)."""

from __future__ import annotations

import asyncio
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


class DeliveryDeadline(Exception):
    """The receiver did not finish answering within the attempt's total deadline."""


class HttpWebhookSender:
    """POSTs with httpx; returns the status code, raises on transport errors.

    ``timeout`` is a total deadline for the whole attempt (connect, send, headers and body of the answer):
    httpx's own timeouts apply per read, so a receiver dripping a byte every few seconds would never trip
    them. The attempt runs as a task cancelled at the deadline.
    """

    def send(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        return asyncio.run(self._send(url, body, headers, timeout))

    async def _send(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        try:
            async with asyncio.timeout(timeout):
                async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
                    response = await client.post(url, content=body, headers=headers)
                    return response.status_code
        except TimeoutError as exc:
            raise DeliveryDeadline(f"no complete answer within {timeout:g} s") from exc
