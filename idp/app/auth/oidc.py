"""The bank's SSO through OpenID Connect (Authlib's Starlette client): authorization code flow with PKCE-free
client secret, ID token checked against the issuer's keys (signature, issuer, audience, nonce, expiry).

The person's account is found by the token's ``iss|sub`` (else by user name, then linked) and created on first
sign-in; its role comes from ``oidc_roles_claim`` on every sign-in (mapped by ``oidc_role_map``), so the bank's
directory stays the source of roles. A person whose claim names no known role is refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from authlib.integrations.starlette_client import OAuth
from fastapi import Request
from sqlalchemy.orm import Session

from idp.errors import Forbidden, Unauthenticated
from idp.models import Role
from idp.models.staff import clean_name
from idp.settings import Settings
from idp.storage import staff
from idp.storage.tables import StaffAccountRow

#: When a claim names several roles, the widest wins.
_PRECEDENCE = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.RISK_OFFICER, Role.REVIEWER)
_CLIENTS: dict[tuple[str, str], Any] = {}


def enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def client(settings: Settings) -> Any:
    """The registered Authlib client for the configured issuer (one per issuer and client id)."""
    key = (settings.oidc_issuer or "", settings.oidc_client_id or "")
    if key not in _CLIENTS:
        oauth = OAuth()
        issuer = (settings.oidc_issuer or "").rstrip("/")
        secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
        oauth.register(name="bank", client_id=settings.oidc_client_id, client_secret=secret,
                       server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                       client_kwargs={"scope": settings.oidc_scopes})
        _CLIENTS[key] = oauth.create_client("bank")
    return _CLIENTS[key]


async def start(request: Request, settings: Settings) -> Any:
    redirect_uri = f"{settings.public_url.rstrip('/')}/review/login/sso/callback"
    return await client(settings).authorize_redirect(request, redirect_uri)


async def finish(request: Request, settings: Settings) -> dict[str, Any]:
    """The verified ID token claims of the person coming back from the SSO."""
    from authlib.integrations.base_client.errors import OAuthError

    try:
        token = await client(settings).authorize_access_token(request)
    except OAuthError as exc:
        raise Unauthenticated(f"统一认证登录失败:{exc.description or exc.error} (SSO sign-in failed)",
                              code="sso_failed") from exc
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise Unauthenticated("统一认证未返回用户标识 (no subject in the ID token)", code="sso_failed")
    return claims


def role_from(settings: Settings, claims: dict[str, Any]) -> Role:
    raw = claims.get(settings.oidc_roles_claim) or []
    values = [raw] if isinstance(raw, str) else [str(v) for v in raw]
    known = {settings.oidc_role_map.get(v, v) for v in values}
    for role in _PRECEDENCE:
        if role.value in known:
            return role
    raise Forbidden("统一认证账号未分配审核系统角色,请联系管理员 (no idp role in the SSO claims)",
                    code="sso_no_role")


def account_for(session: Session, settings: Settings, claims: dict[str, Any], *, now: datetime) -> StaffAccountRow:
    """The account for these claims, created or updated (role, display name) from them."""
    subject = f"{settings.oidc_issuer}|{claims['sub']}"
    role = role_from(settings, claims)
    username = clean_name(str(claims.get(settings.oidc_username_claim) or claims.get("email") or claims["sub"]))
    display = clean_name(str(claims.get(settings.oidc_name_claim) or "")) or None
    account = staff.by_subject(session, subject)
    if account is None:
        account = staff.find(session, username)
        if account is not None and account.oidc_subject not in (None, subject):
            raise Forbidden("该用户名已绑定其他统一认证账号 (user name bound to another SSO subject)",
                            code="sso_conflict")
    if account is None:
        account = staff.add(session, username=username, role=role.value, now=now, display_name=display,
                            source="oidc", oidc_subject=subject)
    if not account.active:
        raise Forbidden("该账号已停用 (account disabled)", code="account_disabled")
    account.oidc_subject, account.role = subject, role.value
    account.display_name = display or account.display_name
    account.last_login_at = account.updated_at = now
    return account
