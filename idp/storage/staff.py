"""Staff accounts, their access tokens and sign-in attempts (the data; hashing and policy live in idp.app.auth)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from idp.errors import Conflict, NotFound
from idp.models.staff import clean_name, name_key
from idp.storage.tables import LoginAttemptRow, StaffAccountRow, StaffTokenRow


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find(session: Session, name: str) -> StaffAccountRow | None:
    """The account of a user name, compared by :func:`idp.models.staff.name_key`."""
    key = name_key(name)
    if not key:
        return None
    return session.scalar(select(StaffAccountRow).where(StaffAccountRow.name_key == key))


def get(session: Session, account_id: str) -> StaffAccountRow | None:
    return session.get(StaffAccountRow, account_id)


def require(session: Session, name: str) -> StaffAccountRow:
    row = find(session, name)
    if row is None:
        raise NotFound(f"没有该员工账号: {name} (no such staff account)", code="staff_not_found")
    return row


def by_subject(session: Session, subject: str) -> StaffAccountRow | None:
    return session.scalar(select(StaffAccountRow).where(StaffAccountRow.oidc_subject == subject))


def add(session: Session, *, username: str, role: str, now: datetime, skills: list[str] | None = None,
        display_name: str | None = None, password_hash: str | None = None, source: str = "local",
        oidc_subject: str | None = None) -> StaffAccountRow:
    name = clean_name(username)
    if not name or len(name) > 100:
        raise Conflict("用户名不能为空,且不超过 100 字 (bad user name)", code="bad_username")
    if find(session, name) is not None:
        raise Conflict(f"员工账号已存在: {name} (account exists)", code="staff_exists", username=name)
    row = StaffAccountRow(id=str(uuid.uuid4()), username=name, name_key=name_key(name),
                          display_name=clean_name(display_name or "") or None, role=role,
                          skills=sorted(set(skills or [])), password_hash=password_hash, source=source,
                          oidc_subject=oidc_subject, active=True, auth_epoch=0, created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row


def everyone(session: Session, *, active_only: bool = False) -> list[StaffAccountRow]:
    query = select(StaffAccountRow).order_by(StaffAccountRow.role, StaffAccountRow.name_key)
    if active_only:
        query = query.where(StaffAccountRow.active.is_(True))
    return list(session.scalars(query))


def display_names(session: Session) -> dict[str, str]:
    """User name → the name people see (their display name, else the user name)."""
    rows = session.execute(select(StaffAccountRow.username, StaffAccountRow.display_name))
    return {username: display or username for username, display in rows}


def add_token(session: Session, account: StaffAccountRow, *, token: str, now: datetime,
              expires_at: datetime | None, label: str | None = None) -> StaffTokenRow:
    row = StaffTokenRow(id=str(uuid.uuid4()), account_id=account.id, token_hash=token_hash(token), label=label,
                        created_at=now, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row


def account_for_token(session: Session, token: str, *, now: datetime) -> StaffAccountRow | None:
    """The active account a live (unrevoked, unexpired) token belongs to; the token's last use is noted."""
    row = session.scalar(select(StaffTokenRow).where(StaffTokenRow.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    account = session.get(StaffAccountRow, row.account_id)
    if account is None or not account.active:
        return None
    row.last_used_at = now
    return account


def revoke_tokens(session: Session, account: StaffAccountRow, *, now: datetime) -> int:
    rows = session.scalars(select(StaffTokenRow).where(StaffTokenRow.account_id == account.id,
                                                       StaffTokenRow.revoked_at.is_(None)))
    count = 0
    for row in rows:
        row.revoked_at = now
        count += 1
    return count


def record_attempt(session: Session, *, name: str, ip: str, success: bool, now: datetime) -> None:
    session.add(LoginAttemptRow(at=now, name_key=name_key(name)[:100], ip=ip[:64], success=success))


def failures_since(session: Session, *, since: datetime, name: str | None = None, ip: str | None = None) -> int:
    """Failed attempts since ``since`` for one account name or one address (after its last success)."""
    clauses = [LoginAttemptRow.at >= since]
    if name is not None:
        clauses.append(LoginAttemptRow.name_key == name_key(name)[:100])
    if ip is not None:
        clauses.append(LoginAttemptRow.ip == ip[:64])
    last_ok = session.scalar(select(func.max(LoginAttemptRow.at)).where(*clauses, LoginAttemptRow.success.is_(True)))
    if last_ok is not None and name is not None:
        clauses.append(LoginAttemptRow.at > last_ok)
    return int(session.scalar(select(func.count()).select_from(LoginAttemptRow)
                              .where(*clauses, LoginAttemptRow.success.is_(False))) or 0)


def prune_attempts(session: Session, *, before: datetime) -> None:
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
