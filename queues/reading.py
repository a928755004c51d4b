"""Reading one upload within the input limits: check the file, then read and extract it in the bounded child.

The check (:func:`extractors.readers.limits.check_file`) looks only at headers and bounded inflations and
tells the page count, from which the time budget of the read follows
(``job_seconds_base + job_seconds_per_page × pages``, at most ``job_timeout_s - 30``). Both steps run in the
bounded child (:mod:`queues.sandbox`) unless ``job_sandbox`` is off; either way every failure that is the
file's fault is an :class:`idp.errors.InputRejected`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from idp.errors import InputRejected
from idp.settings import Settings, get_settings
from queues.docproc import ProcessedDocument

#: Seconds the header check may take (it reads headers and inflates at most the stream limits).
CHECK_TIMEOUT_S = 30.0


def process_upload(settings: Settings, path: Path, content_type: str | None, *,
                   now: datetime) -> list[ProcessedDocument]:
    """Every document in the file, read and extracted within the limits (raises InputRejected otherwise)."""
    if not settings.job_sandbox:
        from extractors.readers.limits import input_error

        try:
            check_upload(path)
            return read_and_process(path, content_type, now, settings.invoice_max_age_days)
        except Exception as exc:
            rejected = input_error(exc)
            if rejected is None:
                raise
            raise rejected from exc
    from queues.sandbox import run_bounded

    pages = run_bounded(check_upload, path, settings=settings, timeout_s=CHECK_TIMEOUT_S)
    return run_bounded(read_and_process, path, content_type, now, settings.invoice_max_age_days,
                       settings=settings, timeout_s=time_budget(settings, pages))


def time_budget(settings: Settings, pages: int) -> float:
    """Seconds a file of ``pages`` pages may take to read and extract."""
    cap = max(settings.job_seconds_base, settings.job_timeout_s - 30)
    return min(cap, settings.job_seconds_base + settings.job_seconds_per_page * max(1, pages))


def check_upload(path: Path) -> int:
    """The input limits on the raw file (child side); returns its page count (0 when unknown)."""
    from extractors.readers.limits import Limits, check_file

    return check_file(Path(path), Limits.from_settings(get_settings())).pages


def read_and_process(path: Path, content_type: str | None, now: datetime,
                     max_age_days: int) -> list[ProcessedDocument]:
    """Read, split, extract and validate (child side); a file without any readable text is an input failure."""
    from queues.docproc import process_file, read_file

    pages = read_file(Path(path), content_type)
    if not any(p.lines for p in pages):
        raise InputRejected("文档中没有可识别的文字 (no readable text in the document)", code="no_text",
                            pages=len(pages))
    return process_file(Path(path), now=now, content_type=content_type, pages=pages, max_age_days=max_age_days)
