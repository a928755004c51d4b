"""登录 / 退出: the sign-in form (local accounts, throttled), the bank's SSO, and signing out."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from idp.app.auth import accounts, oidc, sessions
from idp.app.auth.gates import WEB_STAFF, client_ip
from idp.app.web.errors import login_page, safe_next
from idp.errors import Forbidden, IdpError
from idp.storage.db import session_scope
from queues.clock import utcnow

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)


@router.get("/login")
def login_form(request: Request, next: str = "/review") -> Response:  # noqa: A002 - the query's name
    """登录页."""
    return login_page(request, next_url=next)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the password (throttled per account and address) and start a signed session."""
    form = await request.form()
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    target = safe_next(str(form.get("next") or "/review"))
    if not await sessions.csrf_ok(request):
        return login_page(request, next_url=target, error="页面已过期,请重新登录", status=403, username=username)
    settings = request.app.state.settings
    now = utcnow()

    def check():  # type: ignore[no-untyped-def]
        with session_scope(settings.effective_database_url) as s:
            try:
                return accounts.authenticate(s, settings, username=username, password=password,
                                             ip=client_ip(request, settings), now=now), None
            except IdpError as exc:
                return None, exc

    account, error = await run_in_threadpool(check)
    if error is not None or account is None:
        logger.info("sign-in refused for %r from %s: %s", username, client_ip(request, settings),
                    getattr(error, "code", "?"))
        message = error.message.partition(" (")[0] if error else "登录失败"
        return login_page(request, next_url=target, error=message, status=getattr(error, "http_status", 401),
                          username=username)
    sessions.sign_in(request, account, now=now)
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, _: object = Depends(WEB_STAFF)) -> Response:
    """退出登录 (the session cookie is cleared)."""
    sessions.sign_out(request)
    return RedirectResponse("/review/login", status_code=303)


@router.get("/login/sso")
async def sso_start(request: Request) -> Response:
    settings = request.app.state.settings
    if not oidc.enabled(settings):
        return login_page(request, error="未配置统一认证登录", status=404)
    return await oidc.start(request, settings)


@router.get("/login/sso/callback")
async def sso_callback(request: Request) -> Response:
    """Back from the bank's SSO: verified claims → account (created or updated) → session."""
    settings = request.app.state.settings
    if not oidc.enabled(settings):
        return login_page(request, error="未配置统一认证登录", status=404)
    try:
        claims = await oidc.finish(request, settings)
    except IdpError as exc:
        return login_page(request, error=exc.message.partition(" (")[0], status=exc.http_status)
    now = utcnow()

    def upsert():  # type: ignore[no-untyped-def]
        with session_scope(settings.effective_database_url) as s:
            account = oidc.account_for(s, settings, claims, now=now)
            s.flush()
            return account

    try:
        account = await run_in_threadpool(upsert)
    except (Forbidden, IdpError) as exc:
        return login_page(request, error=exc.message.partition(" (")[0], status=exc.http_status)
    sessions.sign_in(request, account, now=now)
    return RedirectResponse("/review", status_code=303)
