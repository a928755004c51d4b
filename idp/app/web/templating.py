"""The review UI's templates and what every page shows: who is signed in, their role, the CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from idp.app.auth.sessions import CSRF_FIELD, csrf_token
from idp.models import ROLE_LABELS, Reviewer, Role

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True))
ROLE_NAMES = {role.value: label for role, label in ROLE_LABELS.items()}


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200,
           people: dict[str, str] | None = None) -> Response:
    """A page with the signed-in person (``me``), the CSRF token and ``person(name)`` (display names)."""
    me: Reviewer | None = getattr(request.state, "reviewer", None)
    names = people or {}

    def person(name: str | None) -> str:
        return names.get(name, name) if name else "—"

    ctx = {"me": me, "me_name": person(me.name) if me else "", "me_role": ROLE_NAMES.get(me.role.value, "")
           if me else "", "is_watcher": bool(me and me.role in (Role.TEAM_LEAD, Role.SUPERVISOR, Role.HEAD)),
           "csrf": csrf_token(request), "csrf_field": CSRF_FIELD, "person": person, "role_names": ROLE_NAMES,
           **context}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
