"""Row locks that work on both databases: ``FOR UPDATE`` on PostgreSQL, a write transaction on SQLite.

SQLite has no row locks. ``BEGIN IMMEDIATE`` takes the database's write lock before the first read, so a
read-then-update cannot interleave with another writer (and never fails with a stale read snapshot).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from idp.errors import NotFound
from idp.storage.tables import ReviewTaskRow


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (SQLite); call before the session's first statement."""
    if not is_sqlite(session):
        return
    conn = session.connection()
    dbapi = conn.connection.dbapi_connection
    # pysqlite opens a transaction only before a write; if one is open, this session already holds the lock.
    if dbapi is not None and not dbapi.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


_Stmt = TypeVar("_Stmt", bound=Select[Any])


def lock(session: Session, stmt: _Stmt, *, skip_locked: bool = False) -> _Stmt:
    """``stmt`` with a row lock where the database has them."""
    if is_sqlite(session):
        return stmt
    return stmt.with_for_update(skip_locked=skip_locked)


def task_for_update(session: Session, task_id: str) -> ReviewTaskRow:
    """The task, locked against concurrent changes until the session commits."""
    begin_write(session)
    row = session.scalar(lock(session, select(ReviewTaskRow).where(ReviewTaskRow.id == task_id)))
    if row is None:
        raise NotFound("未找到该任务 (task not found)", code="task_not_found")
    return row
