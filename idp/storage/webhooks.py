"""Webhook deliveries: every attempt to tell a client about a result is recorded."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.models import DeliveryStatus, WebhookDelivery
from idp.storage.tables import WebhookDeliveryRow


def create_delivery(
    session: Session,
    *,
    application_id: str,
    client_id: str,
    event_type: str,
    url: str,
    payload: dict[str, Any],
    now: datetime,
) -> WebhookDeliveryRow:
    row = WebhookDeliveryRow(
        id=str(uuid.uuid4()),
        application_id=application_id,
        client_id=client_id,
        event_type=event_type,
        msg_id="msg_" + uuid.uuid4().hex,
        url=url,
        payload=payload,
        status=DeliveryStatus.PENDING.value,
        attempts=0,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def get(session: Session, delivery_id: str) -> WebhookDeliveryRow:
    row = session.get(WebhookDeliveryRow, delivery_id)
    if row is None:
        raise NotFound("未找到该推送记录 (delivery not found)", code="delivery_not_found")
    return row


def for_application(session: Session, application_id: str) -> list[WebhookDeliveryRow]:
    return list(
        session.scalars(
            select(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.application_id == application_id)
            .order_by(WebhookDeliveryRow.created_at)
        )
    )


def to_model(row: WebhookDeliveryRow) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        application_id=row.application_id,
        client_id=row.client_id,
        event_type=row.event_type,
        msg_id=row.msg_id,
        url=row.url,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
    )
