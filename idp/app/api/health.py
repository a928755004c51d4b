"""Liveness and readiness: the database and Redis answer."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from idp.app.deps import SessionDep, SettingsDep
from queues.connection import get_redis

router = APIRouter(tags=["health"])


@router.get("/healthz")
def health(session: SessionDep, settings: SettingsDep) -> dict[str, str]:
    """Both stores reachable."""
    session.execute(text("SELECT 1"))
    get_redis(settings).ping()
    return {"status": "ok"}
