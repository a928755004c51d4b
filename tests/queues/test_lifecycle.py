"""The application's lifecycle has one owner: moves follow the core's table, exactly one racer wins a move,
and no other module writes an application's status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idp.models import ApplicationStatus, Borrower
from idp.models.application import APPLICATION_MOVES, moves_into
from idp.storage import applications, clients
from idp.storage.db import session_scope
from queues import lifecycle
from queues.clock import utcnow

REPO = Path(__file__).resolve().parents[2]
_S = ApplicationStatus


def _new(settings) -> str:
    with session_scope(settings.effective_database_url) as s:
        client, _ = clients.create_client(s, name="bank", webhook_url=None, now=utcnow())
        row, _ = applications.create_application(s, client_id=client.id, borrower=Borrower(
            name="甲公司", uscc="91110000600037341L"), product="订单贷", now=utcnow())
        return row.id


def _status(settings, app_id: str) -> str:
    with session_scope(settings.effective_database_url) as s:
        return applications.get(s, app_id).status


def test_an_application_walks_its_lifecycle_and_a_move_not_in_the_table_is_refused(db_settings):
    app_id = _new(db_settings)
    url, now = db_settings.effective_database_url, utcnow()
    with session_scope(url) as s:
        assert not lifecycle.all_documents_read(s, app_id, now=now)  # not submitted yet
        assert lifecycle.submit(s, app_id, now=now)
        assert not lifecycle.submit(s, app_id, now=now)  # a second submit finds it moved
        assert lifecycle.all_documents_read(s, app_id, now=now)
        assert lifecycle.await_verification(s, app_id, now=now)
        assert lifecycle.verification_due(s, app_id, now=now)
        assert lifecycle.hold_for_review(s, app_id, now=now)
        assert not lifecycle.complete(s, app_id, now=now)  # never from review straight to completed
        assert lifecycle.review_done(s, app_id, now=now)
        assert lifecycle.complete(s, app_id, now=now)
        assert not lifecycle.step_failed(s, app_id, now=now)  # a completed application stays completed
    assert _status(db_settings, app_id) == _S.COMPLETED.value
    with pytest.raises(ValueError):
        with session_scope(url) as s:
            lifecycle.move(s, app_id, _S.RECEIVING, now=now)


def test_the_table_has_one_way_in_and_completed_is_final():
    assert APPLICATION_MOVES[_S.COMPLETED] == frozenset()
    assert moves_into(_S.RECEIVING) == frozenset()
    assert all(moves_into(status) for status in _S if status != _S.RECEIVING)


def test_no_module_but_the_lifecycle_writes_an_applications_status():
    writes = re.compile(r"applications\.transition\(|ApplicationRow\)\s*\.where.*\.values\(status|"
                        r"(app|app_row|application|row)\.status\s*=\s*ApplicationStatus")
    offenders = []
    for package in ("queues", "idp", "extractors", "validators"):
        for path in (REPO / package).rglob("*.py"):
            rel = path.relative_to(REPO).as_posix()
            if rel in ("queues/lifecycle.py", "idp/storage/applications.py"):
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if writes.search(line):
                    offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
