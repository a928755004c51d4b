"""Typed FastAPI dependencies: settings, a database session, the calling client and the signed-in staff member."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

from idp.app.auth.gates import API_ASSIGN, API_BULK, API_STAFF, API_WATCH
from idp.errors import IdpError
from idp.models import Reviewer
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
    """The request's unit of work. It commits when the handler returns, *before* the response is sent
    (``scope="function"``): a client that acts on an answer must find what the answer reported, so the
    commit may never trail the response (FastAPI's default runs the exit code after sending)."""
    with session_scope(settings.effective_database_url) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_client(session: SessionDep, x_api_key: Annotated[str | None, Header()] = None) -> ClientRow:
    """The client owning the key in ``X-API-Key``; every API route is scoped to it."""
    if not x_api_key:
        raise Unauthorized()
    client = clients.find_by_api_key(session, x_api_key)
    if client is None:
        raise Unauthorized()
    session.commit()  # hand the connection back while the request waits for a thread to run its handler
    return client


ClientDep = Annotated[ClientRow, Depends(get_client)]


#: The signed-in staff member calling the task API (bearer token, or a trusted proxy's ``X-Reviewer``).
StaffDep = Annotated[Reviewer, Depends(API_STAFF)]
#: ... who may also reassign one task (team leads, supervisors), many at once (supervisors), watch the metrics.
AssignerDep = Annotated[Reviewer, Depends(API_ASSIGN)]
BulkAssignerDep = Annotated[Reviewer, Depends(API_BULK)]
WatcherDep = Annotated[Reviewer, Depends(API_WATCH)]
