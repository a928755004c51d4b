"""Result webhooks: one delivery row per event, signed per Standard Webhooks, retried by RQ with backoff."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idp.adapters.webhook import HttpWebhookSender, signed_headers
from idp.models import DeliveryStatus
from idp.ports import WebhookSender
from idp.settings import Settings
from idp.storage import webhooks
from idp.storage.db import session_scope
from idp.storage.tables import ApplicationRow, ClientRow

logger = logging.getLogger(__name__)

EVENT_COMPLETED = "application.completed"


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx; RQ retries the job."""


def create_for_result(session: Session, app: ApplicationRow, result: dict[str, Any], *, now: datetime) -> str | None:
    client = session.get(ClientRow, app.client_id)
    if client is None or not client.webhook_url:
        return None
    payload = {"type": EVENT_COMPLETED, "timestamp": now.isoformat(), "data": result}
    row = webhooks.create_delivery(session, application_id=app.id, client_id=client.id, event_type=EVENT_COMPLETED,
                                   url=client.webhook_url, payload=payload, now=now)
    return row.id


def deliver(settings: Settings, delivery_id: str, *, now: datetime, sender: WebhookSender | None = None) -> str:
    """One attempt; raises DeliveryFailed on a non-2xx answer or a transport error."""
    sender = sender or HttpWebhookSender()
    with session_scope(settings.effective_database_url) as s:
        row = webhooks.get(s, delivery_id)
        if row.status == DeliveryStatus.DELIVERED.value:
            return row.status
        client = s.get(ClientRow, row.client_id)
        secret = client.webhook_secret if client else None
        url, msg_id, payload = row.url, row.msg_id, row.payload
    if not secret:
        raise DeliveryFailed("client has no webhook secret")
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    headers = signed_headers(secret, msg_id, now, body)
    status_code: int | None = None
    error: str | None = None
    try:
        status_code = sender.send(url, body.encode(), headers, settings.webhook_timeout_s)
    except Exception as exc:  # transport errors are recorded and retried
        error = f"{type(exc).__name__}: {exc}"
    ok = status_code is not None and 200 <= status_code < 300
    with session_scope(settings.effective_database_url) as s:
        row = webhooks.get(s, delivery_id)
        row.attempts += 1
        row.last_status_code = status_code
        row.last_error = None if ok else (error or f"HTTP {status_code}")
        if ok:
            row.status = DeliveryStatus.DELIVERED.value
            row.delivered_at = now
    if not ok:
        raise DeliveryFailed(error or f"HTTP {status_code}")
    return DeliveryStatus.DELIVERED.value


def give_up(settings: Settings, delivery_id: str, *, error: str) -> None:
    with session_scope(settings.effective_database_url) as s:
        row = webhooks.get(s, delivery_id)
        if row.status != DeliveryStatus.DELIVERED.value:
            row.status = DeliveryStatus.FAILED.value
            row.last_error = error[:4000]
