"""Typed FastAPI dependencies: settings, a database session and the calling client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from idp.errors import IdpError
from idp.settings import Settings
from idp.storage import clients
from idp.storage.db import session_scope
from idp.storage.tables import ClientRow


class Unauthorized(IdpError):
    code = "unauthorized"
    http_status = 401
    message = "缺少或无效的 API 密钥 (missing or invalid API key)"


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    with session_scope(settings.effective_database_url) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_client(session: SessionDep, x_api_key: Annotated[str | None, Header()] = None) -> ClientRow:
    """The client owning the key in ``X-API-Key``; every API route is scoped to it."""
    if not x_api_key:
        raise Unauthorized()
    client = clients.find_by_api_key(session, x_api_key)
    if client is None:
        raise Unauthorized()
    return client


ClientDep = Annotated[ClientRow, Depends(get_client)]
