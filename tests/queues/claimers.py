"""A claimer process for the parallel next-task test (importable by dotted path in a spawned child)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any


def claim_until_empty(database_url: str, data_dir: str, name: str, now_iso: str, barrier: Any,
                      out: Any) -> None:
    """Claim next tasks until none is left; put ``(name, [task ids])`` on ``out``."""
    from idp.settings import Settings
    from queues.taskqueue import next_task

    settings = Settings(database_url=database_url, data_dir=data_dir)
    now = datetime.fromisoformat(now_iso)
    got: list[str] = []
    next_task(settings, name, now=now, kind="warm-up")  # connect and compile before the race (claims nothing)
    barrier.wait(timeout=60)
    while (task := next_task(settings, name, now=now)) is not None:
        got.append(task.id)
        time.sleep(0.005)  # a moment's work, as a reviewer would: SQLite's busy wait is not fair to the others
    out.put((name, got))
