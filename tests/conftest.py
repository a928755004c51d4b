"""Shared fixtures: real databases and real Redis only (SQLite file or PostgreSQL; embedded or server Redis).

``IDP_TEST_DATABASE_URL`` (e.g. postgresql://postgres@127.0.0.1:5432/test) adds PostgreSQL runs and
``IDP_TEST_REDIS_URL`` (e.g. redis://127.0.0.1:6379/15) adds server-Redis runs; `.ci/run` sets both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from idp.settings import Settings, get_settings, reset_settings
from idp.storage.db import dispose_all, get_engine
from idp.storage.migrate import upgrade
from idp.storage.tables import Base

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_INVOICES = SHARED / "real" / "invoices"
SAMPLES = REPO / "samples"

PG_URL = os.environ.get("IDP_TEST_DATABASE_URL")
REDIS_SERVER_URL = os.environ.get("IDP_TEST_REDIS_URL")

#: (database, redis) combinations the stack tests run on.
STACKS = [("sqlite", "embedded")]
if PG_URL and REDIS_SERVER_URL:
    STACKS.append(("postgresql", "server"))
elif PG_URL:
    STACKS.append(("postgresql", "embedded"))
elif REDIS_SERVER_URL:
    STACKS.append(("sqlite", "server"))

DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])

#: The tax and registry stand-ins every stack talks to (started once per test process, on free ports,
#: loaded with the demo's authority data): the pipeline's application step verifies through them.
_STANDINS: list = []


def authority_urls() -> tuple[str, str]:
    if not _STANDINS:
        import atexit

        from idp.standins.runner import free_port, start_for

        # one stand-in serves the whole run: its per-invoice daily limit (5, like the authority's) would
        # otherwise count every test's checks of the same sample invoices; each test's own adapter
        # still applies the limit of 5 through its fresh Redis
        base = Settings(tax_base_url=f"http://127.0.0.1:{free_port()}",
                        registry_base_url=f"http://127.0.0.1:{free_port()}", verify_daily_limit=1_000_000)
        _STANDINS.extend(start_for(base, SAMPLES / "authority" / "authority.json"))
        atexit.register(lambda: [server.stop() for server in _STANDINS])
    return _STANDINS[0].url, _STANDINS[1].url


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A short temp dir (unix socket paths must stay under 108 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="idpt"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


_PG_FRESH: set[str] = set()


def _reset_pg(url: str) -> None:
    """First use in a session: a fresh schema from the migrations; later uses: empty the tables."""
    engine = get_engine(url)
    if url not in _PG_FRESH:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        _PG_FRESH.add(url)
    upgrade(url)
    names = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def database_url(kind: str, data_dir: Path) -> str:
    if kind == "postgresql":
        assert PG_URL
        _reset_pg(PG_URL)
        return PG_URL
    url = f"sqlite:///{data_dir / 'idp.sqlite3'}"
    upgrade(url)
    return url


def configure(monkeypatch: pytest.MonkeyPatch, data_dir: Path, db: str, redis: str, **extra: str) -> Settings:
    """Point the environment (read by workers and job functions) at this test's stores."""
    monkeypatch.setenv("IDP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("IDP_DATABASE_URL", database_url(db, data_dir))
    if redis == "server":
        assert REDIS_SERVER_URL
        monkeypatch.setenv("IDP_REDIS_URL", REDIS_SERVER_URL)
        from redis import Redis

        Redis.from_url(REDIS_SERVER_URL).flushdb()
    else:
        monkeypatch.delenv("IDP_REDIS_URL", raising=False)
    tax_url, registry_url = authority_urls()
    monkeypatch.setenv("IDP_TAX_BASE_URL", tax_url)
    monkeypatch.setenv("IDP_REGISTRY_BASE_URL", registry_url)
    monkeypatch.setenv("IDP_JOB_RETRY_INTERVALS_S", "[0]")
    monkeypatch.setenv("IDP_WEBHOOK_RETRY_INTERVALS_S", "[0]")
    for key, value in extra.items():
        monkeypatch.setenv(f"IDP_{key.upper()}", value)
    reset_settings()
    return get_settings()


@pytest.fixture(params=STACKS, ids=lambda p: f"{p[0]}-{p[1]}")
def stack(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, short_tmp: Path) -> Iterator[Settings]:
    """Settings for a full stack (database + Redis) on one of the supported combinations."""
    db, redis = request.param
    settings = configure(monkeypatch, short_tmp, db, redis)
    yield settings
    _teardown(settings)


@pytest.fixture(params=DATABASES)
def db_settings(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, short_tmp: Path) -> Iterator[Settings]:
    """Settings with a migrated, empty database of each kind (and embedded Redis)."""
    settings = configure(monkeypatch, short_tmp, request.param, "embedded")
    yield settings
    _teardown(settings)


def _teardown(settings: Settings) -> None:
    from queues.connection import stop_embedded_redis

    if settings.uses_embedded_redis:
        stop_embedded_redis(settings.redis_dir)
    dispose_all()
    reset_settings()
