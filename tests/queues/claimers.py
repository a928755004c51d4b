"""A claimer process for the parallel next-task test (importable by dotted path in a spawned child)."""

from __future__ import annotations

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
    barrier.wait(timeout=60)
    while (task := next_task(settings, name, now=now)) is not None:
        got.append(task.id)
    out.put((name, got))
