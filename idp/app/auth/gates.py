"""Who may call a route: every task, review, correction and metrics route takes one :class:`Gate` as its
reviewer dependency. A gate names the roles it admits and how the caller proves who they are:

- API gates (``/v1/tasks``, ``/v1/corrections``, ``/v1/metrics``): ``Authorization: Bearer <personal access
  token>``, or ``X-Reviewer`` from a trusted proxy;
- web gates (``/review``): the signed session cookie (or ``X-Reviewer`` from a trusted proxy), and on every
  unsafe method the session's CSRF token.

No identity → 401 ``unauthenticated``; a role the gate does not admit → 403 ``role_forbidden``; a missing or
wrong CSRF token → 403 ``csrf_failed``. The route tests find every route's gate and check all three.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime
from urllib.parse import unquote

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from idp.app.auth import accounts, sessions
from idp.errors import Forbidden, Unauthenticated
from idp.models import ROLE_LABELS, Reviewer, Role
from idp.models.staff import ASSIGNERS, BULK_ASSIGNERS, WATCHERS, clean_name
from idp.settings import Settings
from idp.storage import staff
from idp.storage.db import session_scope
from queues.clock import utcnow
from queues.staff import reviewer_for

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Unauthenticated):
    """No one is signed in to the review UI: the page answers 401 with the sign-in form."""


class Gate:
    """A dependency that returns the caller as a :class:`Reviewer`, or refuses (401/403)."""

    def __init__(self, roles: frozenset[Role], *, web: bool, what: str) -> None:
        self.roles, self.web, self.what = roles, web, what

    def __repr__(self) -> str:
        return f"Gate({'web' if self.web else 'api'}: {self.what})"

    async def __call__(self, request: Request) -> Reviewer:
        settings: Settings = request.app.state.settings
        who = await run_in_threadpool(identify, request, settings, self.web, utcnow())
        if who is None:
            if self.web:
                raise LoginRequired()
            raise Unauthenticated("缺少或无效的访问令牌 (missing or invalid bearer token)")
        if self.web and request.method not in _SAFE and not await sessions.csrf_ok(request):
            raise Forbidden("页面已过期或请求来源不明,请刷新页面后重试 (CSRF token missing or wrong)",
                            code="csrf_failed")
        if who.role not in self.roles:
            label = ROLE_LABELS.get(who.role, who.role.value)
            raise Forbidden(f"当前角色({label})无权{self.what} (role {who.role.value} may not)",
                            code="role_forbidden", role=who.role.value)
        request.state.reviewer = who
        return who


def identify(request: Request, settings: Settings, web: bool, now: datetime) -> Reviewer | None:
    """The signed-in person: session (web) or bearer token (API), else a trusted proxy's ``X-Reviewer``."""
    with session_scope(settings.effective_database_url) as s:
        if web:
            live = sessions.session_account_id(request, now)
            if live is not None:
                account = staff.get(s, live[0])
                if account is not None and account.active and account.auth_epoch == live[1]:
                    return accounts.reviewer(account)
                sessions.sign_out(request)
        else:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                account = staff.account_for_token(s, token.strip(), now=now)
                return accounts.reviewer(account) if account is not None else None
    name = clean_name(unquote(request.headers.get("x-reviewer", "")))[:100]
    if name and from_trusted_proxy(request, settings):
        return reviewer_for(settings, name)
    return None


def from_trusted_proxy(request: Request, settings: Settings) -> bool:
    host = request.client.host if request.client else ""
    for entry in settings.trusted_proxies:
        if host == entry:
            return True
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: Request, settings: Settings) -> str:
    """The caller's address (the last hop a trusted proxy adds to ``X-Forwarded-For``, behind one)."""
    host = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and from_trusted_proxy(request, settings):
        return forwarded.split(",")[-1].strip() or host
    return host


ANYONE = frozenset(Role)
_ASSIGN = frozenset(ASSIGNERS | {Role.HEAD})
_BULK = frozenset(BULK_ASSIGNERS | {Role.HEAD})
_WATCH = frozenset(WATCHERS)

API_STAFF = Gate(ANYONE, web=False, what="处理任务")
API_ASSIGN = Gate(_ASSIGN, web=False, what="转派任务")
API_BULK = Gate(_BULK, web=False, what="批量转派任务")
API_WATCH = Gate(_WATCH, web=False, what="查看监控指标")
WEB_STAFF = Gate(ANYONE, web=True, what="处理任务")
WEB_ASSIGN = Gate(_ASSIGN, web=True, what="转派或释放他人的任务")
WEB_WATCH = Gate(_WATCH, web=True, what="查看监控看板")
