"""Staff accounts as the CLI, the demo and the sign-in page use them: create, set a password, issue a token,
check a password under throttling. Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from idp.errors import InputRejected, TooManyAttempts, Unauthenticated
from idp.models import Reviewer, Role
from idp.models.staff import ACCOUNT_ROLES
from idp.settings import Settings
from idp.storage import staff
from idp.storage.tables import StaffAccountRow

#: Shortest password accepted for a local account.
MIN_PASSWORD = 10
#: Prefix of personal access tokens (recognisable in logs and secret scanners).
TOKEN_PREFIX = "idp_pat_"
_HASHER = PasswordHasher()
#: Verified when the account does not exist, so an unknown name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("no such account: timing equaliser")


def hash_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InputRejected(f"密码至少 {MIN_PASSWORD} 位 (password too short)", code="password_too_short")
    return _HASHER.hash(password)


def new_password() -> str:
    """A random password for demo and new accounts (shown once)."""
    return secrets.token_urlsafe(12)


def parse_role(role: str) -> Role:
    if role not in {r.value for r in ACCOUNT_ROLES}:
        names = ", ".join(r.value for r in ACCOUNT_ROLES)
        raise InputRejected(f"未知的角色: {role}(可选 {names})", code="bad_role", role=role)
    return Role(role)


def create(session: Session, *, username: str, role: str, password: str, now: datetime,
           skills: list[str] | None = None, display_name: str | None = None) -> StaffAccountRow:
    return staff.add(session, username=username, role=parse_role(role).value, now=now, skills=skills,
                     display_name=display_name, password_hash=hash_password(password))


def set_password(session: Session, account: StaffAccountRow, password: str, *, now: datetime) -> None:
    """New password; every session signed before it ends (``auth_epoch``) and every token is revoked."""
    account.password_hash = hash_password(password)
    account.auth_epoch += 1
    account.updated_at = now
    staff.revoke_tokens(session, account, now=now)


def issue_token(session: Session, settings: Settings, account: StaffAccountRow, *, now: datetime,
                label: str | None = None, days: int | None = None) -> tuple[str, datetime]:
    """A personal access token for the task API (shown once; only its hash is kept) and its expiry."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = now + timedelta(days=days or settings.token_days)
    staff.add_token(session, account, token=token, now=now, expires_at=expires, label=label)
    return token, expires


def reviewer(account: StaffAccountRow) -> Reviewer:
    return Reviewer(name=account.username, role=Role(account.role), skills=frozenset(account.skills or []))


def authenticate(session: Session, settings: Settings, *, username: str, password: str, ip: str,
                 now: datetime) -> StaffAccountRow:
    """The account if the password is right; throttled per account and per address.

    Raises:
        TooManyAttempts: too many failures for this name or from this address within the window.
        Unauthenticated: wrong name or password (the same answer for both).
    """
    since = now - timedelta(seconds=settings.login_window_s)
    if (staff.failures_since(session, since=since, name=username) >= settings.login_max_failures
            or staff.failures_since(session, since=since, ip=ip) >= settings.login_max_failures_per_ip):
        minutes = max(1, settings.login_window_s // 60)
        raise TooManyAttempts(f"登录失败次数过多,请 {minutes} 分钟后再试 (too many failed sign-ins)")
    account = staff.find(session, username)
    ok = _verify(account.password_hash if account and account.password_hash else _DUMMY_HASH, password)
    ok = ok and account is not None and account.active and account.password_hash is not None
    staff.record_attempt(session, name=username, ip=ip, success=ok, now=now)
    if not ok or account is None:
        raise Unauthenticated("用户名或密码错误 (wrong user name or password)", code="bad_credentials")
    if _HASHER.check_needs_rehash(account.password_hash or ""):
        account.password_hash = _HASHER.hash(password)
    account.last_login_at = now
    staff.prune_attempts(session, before=now - timedelta(days=1))
    return account


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password or "")
    except (VerificationError, InvalidHashError):
        return False
