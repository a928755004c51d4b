"""Typed FastAPI dependencies: settings, a database session, the calling client and the reviewer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session

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


class NoReviewer(IdpError):
    code = "reviewer_required"
    http_status = 401
    message = "缺少审核人 (missing X-Reviewer header)"


def get_reviewer(settings: SettingsDep, x_reviewer: Annotated[str | None, Header()] = None) -> Reviewer:
    """The person named in ``X-Reviewer`` (percent-encoded UTF-8), with the role the staff list gives them.

    This is identification, not authentication: real SSO is out of scope, so the header is trusted as sent.
    """
    from queues.sla_config import reviewer_for

    name = " ".join(unquote(x_reviewer or "").split())[:100]
    if not name:
        raise NoReviewer()
    return reviewer_for(settings, name)


ReviewerDep = Annotated[Reviewer, Depends(get_reviewer)]
