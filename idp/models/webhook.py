"""A record of every webhook we tried to send, so a client can be shown what it was sent and when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  #: gave up after the last attempt


class WebhookDelivery(BaseModel):
    id: str
    application_id: str
    client_id: str
    event_type: str
    msg_id: str
    url: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime
    delivered_at: datetime | None = None
