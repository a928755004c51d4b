"""Errors on review pages are Chinese HTML pages (a sign-in form when no one is signed in), never raw JSON."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from idp.app.auth.gates import LoginRequired
from idp.app.web.templating import render
from idp.errors import IdpError

#: Review paths that answer JSON to the page's own scripts (heartbeat, leave).
_JSON_SUFFIXES = ("/heartbeat", "/leave")


def wants_html(request: Request) -> bool:
    path = request.url.path
    return (path == "/review" or path.startswith("/review/")) and not path.endswith(_JSON_SUFFIXES)


def html_error(request: Request, status: int, message: str, *, exc: IdpError | None = None) -> Response:
    if isinstance(exc, LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return login_page(request, next_url=target if request.method == "GET" else "/review", status=401)
    return render(request, "error.html", {"message": _chinese(message), "status": status}, status_code=status)


def login_page(request: Request, *, next_url: str = "/review", error: str | None = None,
               status: int = 200, username: str = "") -> Response:
    settings = request.app.state.settings
    return render(request, "login.html", {"next": safe_next(next_url), "error": error, "username": username,
                                          "sso": bool(settings.oidc_issuer and settings.oidc_client_id)},
                  status_code=status)


def safe_next(url: str | None) -> str:
    """Only a path of the review UI (no scheme, no host, no ``//``): never an open redirect."""
    if not url or not url.startswith("/review") or url.startswith("//") or "\\" in url:
        return "/review"
    return url


def _chinese(message: str) -> str:
    """The Chinese part of a bilingual message ("中文 (English)" → "中文")."""
    head, sep, _ = message.partition(" (")
    return head if sep and any("\u4e00" <= ch <= "\u9fff" for ch in head) else message
