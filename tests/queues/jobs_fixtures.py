"""Job functions enqueued by tests and imported by real worker processes by dotted path (as rq's tests do)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from queues import pipeline
from queues.jobs import read_document


def slow_first_read(document_id: str, marker: str, delay: float) -> str:
    """A real read whose first attempt stalls mid-read (so a test can SIGKILL the worker there)."""
    path = Path(marker)
    original = pipeline.read_and_extract

    def stalled(*args: Any, **kwargs: Any) -> Any:
        if not path.exists():
            path.write_text("started")
            time.sleep(delay)
        else:
            path.write_text("retried")
        return original(*args, **kwargs)

    pipeline.read_and_extract = stalled
    try:
        return read_document(document_id)
    finally:
        pipeline.read_and_extract = original
