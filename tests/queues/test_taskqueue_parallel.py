"""Reviewers asking for the next task at once never get the same one (threads, processes, both databases)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from idp.storage.db import session_scope
from idp.storage.tables import ReviewTaskRow
from queues.taskqueue import next_task
from tests.conftest import _teardown, configure
from tests.queue_world import local, make_queue_world
from tests.queues.claimers import claim_until_empty

START = local(2026, 3, 2, 9, 0)


def _seed(world, count: int) -> set[str]:
    app_id = world.application()
    return {world.task(app_id) for _ in range(count)}


def _check(world, seeded: set[str], claims: dict[str, list[str]]) -> None:
    all_claims = [t for got in claims.values() for t in got]
    assert Counter(all_claims).most_common(1)[0][1] == 1, "a task was handed out twice"
    assert set(all_claims) == seeded
    with session_scope(world.settings.effective_database_url) as s:
        holders = dict(s.execute(select(ReviewTaskRow.id, ReviewTaskRow.claimed_by)).all())
    assert all(holders[t] == name for name, got in claims.items() for t in got)
    assert sum(1 for got in claims.values() if got) > 1, "the claimers did not actually run side by side"


def test_parallel_threads_never_claim_the_same_task(db_settings):
    world = make_queue_world(db_settings, START)
    seeded = _seed(world, 60)
    barrier = threading.Barrier(8)

    def claimer(name: str) -> list[str]:
        got: list[str] = []
        next_task(db_settings, name, now=START, kind="warm-up")  # connect before the race (claims nothing)
        barrier.wait(timeout=30)
        while (task := next_task(db_settings, name, now=START)) is not None:
            got.append(task.id)
            time.sleep(0.005)  # a moment's work between claims, as a reviewer would
        return got

    names = [f"审核员{i}" for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = dict(zip(names, pool.map(claimer, names), strict=True))
    _check(world, seeded, claims)


@pytest.fixture
def sqlite_settings(short_tmp, monkeypatch):
    settings = configure(monkeypatch, short_tmp, "sqlite", "embedded")
    yield settings
    _teardown(settings)


def test_parallel_processes_never_claim_the_same_task_on_sqlite(sqlite_settings):
    """SQLite locks the file, not rows: separate processes matter most there (PostgreSQL is covered above)."""
    db_settings = sqlite_settings
    world = make_queue_world(db_settings, START)
    seeded = _seed(world, 90)
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(3), ctx.Queue()
    url, data_dir = db_settings.effective_database_url, str(db_settings.data_dir)
    procs = [ctx.Process(target=claim_until_empty,
                         args=(url, data_dir, f"进程{i}", START.isoformat(), barrier, out)) for i in range(3)]
    for p in procs:
        p.start()
    claims = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    _check(world, seeded, claims)
