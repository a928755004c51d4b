"""Functions the bounded child runs in tests (imported there by dotted path)."""

from __future__ import annotations

import os
import signal
import time


def sleep_for(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def fail_transiently() -> None:
    raise ConnectionError("the store is unreachable")


def pdfium_refuses() -> None:
    import pypdfium2

    raise pypdfium2.PdfiumError("Failed to load page.")


def setting(name: str) -> object:
    from idp.settings import get_settings

    return getattr(get_settings(), name)
