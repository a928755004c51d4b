"""API clients (lending systems): each has its own key, webhook URL and signing secret."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from idp.errors import Conflict
from idp.storage.tables import ClientRow


def hash_api_key(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def create_client(
    session: Session,
    *,
    name: str,
    now: datetime,
    webhook_url: str | None = None,
    api_key: str | None = None,
    webhook_secret: str | None = None,
) -> tuple[ClientRow, str]:
    """Create a client and return it with its API key (shown once; only the hash is kept)."""
    if session.scalar(select(ClientRow).where(ClientRow.name == name)) is not None:
        raise Conflict(f"客户端已存在: {name} (client exists)", code="client_exists")
    key = api_key or "idp_" + secrets.token_urlsafe(24)
    row = ClientRow(
        id=str(uuid.uuid4()),
        name=name,
        api_key_hash=hash_api_key(key),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret or new_webhook_secret(),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row, key


def find_by_api_key(session: Session, api_key: str) -> ClientRow | None:
    return session.scalar(select(ClientRow).where(ClientRow.api_key_hash == hash_api_key(api_key)))


def find_by_name(session: Session, name: str) -> ClientRow | None:
    return session.scalar(select(ClientRow).where(ClientRow.name == name))


def get(session: Session, client_id: str) -> ClientRow | None:
    return session.get(ClientRow, client_id)
