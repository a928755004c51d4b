"""Storage on SQLite and PostgreSQL: migrations, UTC timestamps, atomic transitions, the file store."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from idp.models import Borrower
from idp.storage import applications, clients, documents
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from idp.storage.migrate import current_revision, upgrade


def test_migrations_reach_head_and_are_idempotent(db_settings):
    url = db_settings.effective_database_url
    upgrade(url)
    assert current_revision(url) == "0004w"


def test_the_migrations_build_the_schema_the_models_describe(db_settings):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from idp.storage.db import get_engine
    from idp.storage.tables import Base

    with get_engine(db_settings.effective_database_url).connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # SQLite reflects "sla_rank DESC" index expressions as plain columns: those indexes are compared on PostgreSQL
    if db_settings.effective_database_url.startswith("sqlite"):
        diffs = [d for d in diffs if not (d[0] in ("add_index", "remove_index") and d[1].name in {
            "ix_review_tasks_next", "ix_review_tasks_active_kind", "ix_review_tasks_active_rank"})]
    assert diffs == []


def test_timestamps_come_back_aware_utc(db_settings):
    url = db_settings.effective_database_url
    shanghai = timezone(timedelta(hours=8))
    at = datetime(2026, 3, 2, 9, 30, tzinfo=shanghai)
    with session_scope(url) as s:
        row, _ = clients.create_client(s, name="c", now=at)
        cid = row.id
    with session_scope(url) as s:
        got = s.get(clients.ClientRow, cid).created_at
    assert got.tzinfo is not None and got == at and got.utcoffset() == timedelta(0)


def test_status_transition_happens_once(db_settings):
    url = db_settings.effective_database_url
    now = datetime.now(UTC)
    with session_scope(url) as s:
        c, _ = clients.create_client(s, name="c", now=now)
        app, _ = applications.create_application(
            s, client_id=c.id, borrower=Borrower(name="甲", uscc="91110000600037341L"),
                                                 product="p", now=now)
        app_id = app.id
    with session_scope(url) as s:
        assert applications.transition(s, app_id, from_={"receiving"}, to="processing", now=now)
    with session_scope(url) as s:
        assert not applications.transition(s, app_id, from_={"receiving"}, to="processing", now=now)


def test_same_bytes_same_application_is_one_document(db_settings):
    url = db_settings.effective_database_url
    now = datetime.now(UTC)
    with session_scope(url) as s:
        c, _ = clients.create_client(s, name="c", now=now)
        app, _ = applications.create_application(
            s, client_id=c.id, borrower=Borrower(name="甲", uscc="91110000600037341L"),
                                                 product="p", now=now)
        kw = {"application_id": app.id, "content_type": None, "sha256": "a" * 64, "size": 1, "storage_key": "k",
              "now": now}
        d1, created1 = documents.add_document(s, filename="a.pdf", **kw)
        d2, created2 = documents.add_document(s, filename="b.pdf", **kw)
    assert created1 and not created2 and d1.id == d2.id


def test_file_store_is_content_addressed(tmp_path):
    store = FileStore(tmp_path)
    sha, key = store.put(b"hello")
    assert sha == hashlib.sha256(b"hello").hexdigest()
    assert store.read(key) == b"hello"
    assert store.put(b"hello") == (sha, key)
    assert not list(tmp_path.rglob(".upload-*"))


@pytest.mark.parametrize("data", [b"", b"\x00" * 10])
def test_file_store_keeps_even_empty_or_junk_files(tmp_path, data):
    store = FileStore(tmp_path)
    _, key = store.put(data)
    assert store.read(key) == data
