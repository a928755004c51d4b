"""Signed session cookies (Starlette's SessionMiddleware, itsdangerous) and the CSRF token kept in them.

The cookie holds only the account id, its ``auth_epoch`` at sign-in, the sign-in time and a CSRF token; it is
signed, not encrypted. A password change or deactivation bumps the epoch and so ends every older session.
"""

from __future__ import annotations

import hmac
import os
import secrets
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import ClientDisconnect

from idp.settings import Settings
from idp.storage.tables import StaffAccountRow

SESSION_COOKIE = "idp_session"
#: Form field and header that carry the CSRF token.
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
#: Hours a session lasts at most from sign-in, however active (the cookie itself slides).
MAX_SESSION_HOURS = 12


def session_secret(settings: Settings) -> str:
    """The configured key, else one kept in the data dir (created once, readable by its owner only)."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    path = settings.data_dir / "session.key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = Path(f"{path}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    try:
        os.link(tmp, path)  # first writer wins; a racing process reads the winner's key
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


def add_sessions(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings), session_cookie=SESSION_COOKIE,
                       max_age=settings.session_max_age_s, same_site="lax", https_only=settings.session_https_only)


def sign_in(request: Request, account: StaffAccountRow, *, now: datetime) -> None:
    """A fresh session for the account (a new CSRF token too: nothing of the anonymous session carries over)."""
    request.session.clear()
    request.session.update({"sid": account.id, "epoch": account.auth_epoch, "at": int(now.timestamp()),
                            "csrf": secrets.token_urlsafe(32)})


def sign_out(request: Request) -> None:
    request.session.clear()


def session_account_id(request: Request, now: datetime) -> tuple[str, int] | None:
    """(account id, epoch) of a live session, or None."""
    data = request.session
    sid, epoch, at = data.get("sid"), data.get("epoch"), data.get("at")
    if not isinstance(sid, str) or not isinstance(epoch, int) or not isinstance(at, int):
        return None
    if now.timestamp() - at > MAX_SESSION_HOURS * 3600:
        request.session.clear()
        return None
    return sid, epoch


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use, so the sign-in form has one too)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_ok(request: Request) -> bool:
    """True when the request carries the session's token (header, else the form field)."""
    expected = request.session.get("csrf")
    if not isinstance(expected, str):
        return False
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        try:
            sent = str((await request.form()).get(CSRF_FIELD) or "")
        except ClientDisconnect:  # a closing tab's beacon: nothing to answer
            return False
    return bool(sent) and hmac.compare_digest(sent.encode(), expected.encode())
