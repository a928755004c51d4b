"""``idp staff add|list|passwd|token|disable``: local staff accounts, their passwords and API tokens."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from idp.models.staff import ACCOUNT_ROLES
from idp.settings import get_settings

console = Console()
staff_app = typer.Typer(help="Staff accounts (local sign-in; the bank's SSO creates its own on first sign-in).",
                        no_args_is_help=True)
_ROLES = ", ".join(r.value for r in ACCOUNT_ROLES)


def register(app: typer.Typer) -> None:
    app.add_typer(staff_app, name="staff")


def _scope():  # type: ignore[no-untyped-def]
    from idp.storage.db import session_scope
    from idp.storage.migrate import upgrade

    settings = get_settings()
    upgrade(settings.effective_database_url)
    return settings, session_scope(settings.effective_database_url)


def _password(given: str | None) -> tuple[str, bool]:
    """The password given (or typed twice at a prompt), else a random one to print."""
    from idp.app.auth.accounts import new_password

    if given:
        return given, False
    if not typer.get_text_stream("stdin").isatty():
        return new_password(), True
    return typer.prompt("密码 password (empty: generate one)", default="", hide_input=True,
                        confirmation_prompt=True, show_default=False) or new_password(), True


@staff_app.command("add")
def add(username: str,
        role: Annotated[str, typer.Option(help=f"one of {_ROLES}")] = "reviewer",
        skills: Annotated[str, typer.Option(help="comma-separated document kinds; empty = any")] = "",
        display_name: Annotated[str | None, typer.Option(help="the name people see (default: user name)")] = None,
        password: Annotated[str | None, typer.Option(help="default: prompt, or generate one")] = None) -> None:
    """Create a local account; prints the password when it was generated."""
    from idp.app.auth import accounts
    from queues.clock import utcnow

    secret, show = _password(password)
    settings, scope = _scope()
    with scope as s:
        row = accounts.create(s, username=username, role=role, password=secret, now=utcnow(),
                              skills=[k for k in skills.split(",") if k.strip()], display_name=display_name)
        out = {"username": row.username, "role": row.role, "skills": row.skills}
    console.print_json(json.dumps({**out, **({"password": secret} if show else {})}, ensure_ascii=False))


@staff_app.command("list")
def list_accounts() -> None:
    """Every account: role, skills, source, active, last sign-in."""
    from idp.storage import staff

    settings, scope = _scope()
    table = Table("用户名", "姓名", "角色", "技能", "来源", "状态", "最近登录")
    with scope as s:
        for row in staff.everyone(s):
            table.add_row(row.username, row.display_name or "", row.role, ",".join(row.skills) or "全部",
                          row.source, "启用" if row.active else "停用",
                          row.last_login_at.isoformat(timespec="minutes") if row.last_login_at else "—")
    console.print(table)


@staff_app.command("passwd")
def passwd(username: str,
           password: Annotated[str | None, typer.Option(help="default: prompt, or generate one")] = None) -> None:
    """Set a new password: every session and token of the account ends."""
    from idp.app.auth import accounts
    from idp.storage import staff
    from queues.clock import utcnow

    secret, show = _password(password)
    settings, scope = _scope()
    with scope as s:
        row = staff.require(s, username)
        accounts.set_password(s, row, secret, now=utcnow())
        name = row.username
    console.print_json(json.dumps({"username": name, **({"password": secret} if show else {})},
                                  ensure_ascii=False))


@staff_app.command("token")
def token(username: str, label: Annotated[str | None, typer.Option()] = None,
          days: Annotated[int | None, typer.Option(help="default: IDP_TOKEN_DAYS")] = None) -> None:
    """Issue a personal access token for the task API (``Authorization: Bearer``); shown once."""
    from idp.app.auth import accounts
    from idp.storage import staff
    from queues.clock import utcnow

    settings, scope = _scope()
    with scope as s:
        row = staff.require(s, username)
        value, expires = accounts.issue_token(s, settings, row, now=utcnow(), label=label, days=days)
        name = row.username
    console.print_json(json.dumps({"username": name, "token": value, "expires_at": expires.isoformat()},
                                  ensure_ascii=False))


@staff_app.command("disable")
def disable(username: str) -> None:
    """Deactivate an account: its sessions end and its tokens stop working at once."""
    from idp.storage import staff
    from queues.clock import utcnow

    settings, scope = _scope()
    with scope as s:
        row = staff.require(s, username)
        row.active, row.auth_epoch, row.updated_at = False, row.auth_epoch + 1, utcnow()
        staff.revoke_tokens(s, row, now=utcnow())
    console.print(f"已停用 {username}")
