"""A bounded child process for work on untrusted files: a memory ceiling, a time budget, and death with its parent.

The worker keeps one warm child per memory ceiling (the OCR engine loads once in it, not once per job) through
pebble's process pool. In the child, ``RLIMIT_DATA`` caps the heap (``RLIMIT_AS`` at a multiple of it caps
everything else) and ``PR_SET_PDEATHSIG`` ends it when the worker dies, even by SIGKILL. A call past its
time budget kills the child (pebble starts a fresh one); a child that dies or runs out of memory is replaced
too. Each of these is the file's fault and comes back as :class:`idp.errors.InputRejected` with an input code
(``processing_timeout``, ``memory_limit``, ``reader_crashed``), so it is never retried.

Usable by any worker-side caller: ``run_bounded(fn, *args, settings=..., timeout_s=...)`` with a module-level
``fn`` (it is imported by name in the child).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from idp.errors import InputRejected
from idp.settings import Settings, get_settings, reset_settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Jobs a child runs before it is replaced (heap fragmentation never accumulates for long).
MAX_TASKS_PER_CHILD = 200
#: RLIMIT_AS is this multiple of the data ceiling: shared libraries and thread stacks are address space too.
_AS_FACTOR = 3
#: Codes after which the child is replaced before the next call (its state can no longer be trusted).
_RECYCLE = {"memory_limit", "processing_timeout", "reader_crashed"}

_pools: dict[tuple[int, int], Any] = {}
_lock = threading.Lock()


def run_bounded(fn: Callable[..., T], *args: Any, settings: Settings | None = None, timeout_s: float,
                memory_mb: int | None = None) -> T:
    """``fn(*args)`` in the warm bounded child; input failures come back as ``InputRejected``.

    Other exceptions raised by ``fn`` are re-raised here as they are (transient: the job is retried).
    """
    from pebble import ProcessExpired

    settings = settings or get_settings()
    memory = memory_mb or settings.job_memory_mb
    env = {k: v for k, v in os.environ.items() if k.startswith("IDP_")}
    pool = _pool(memory)
    future = pool.schedule(_call, args=(env, fn.__module__, fn.__qualname__, args), timeout=timeout_s)
    try:
        tag, value = future.result()
    except FutureTimeout:
        _drop(memory)
        raise InputRejected(f"处理超时：超出 {timeout_s:.0f} 秒的时间预算 (processing time budget exceeded)",
                            code="processing_timeout", budget_s=round(timeout_s)) from None
    except ProcessExpired as exc:
        _drop(memory)
        died_of = f"signal {-exc.exitcode}" if exc.exitcode and exc.exitcode < 0 else f"exit {exc.exitcode}"
        raise InputRejected(f"读取程序异常退出 ({died_of})，文件可能已损坏或超出内存上限 (reader crashed)",
                            code="reader_crashed", exit=died_of) from None
    if tag == "rejected":
        code, message, detail = value
        if code in _RECYCLE:
            _drop(memory)
        raise InputRejected(message, code=code, **detail)
    return value  # type: ignore[no-any-return]


def shutdown() -> None:
    """Stop every child (the worker's exit; tests)."""
    with _lock:
        for key in list(_pools):
            _stop(_pools.pop(key))


def _pool(memory_mb: int) -> Any:
    from pebble import ProcessPool

    key = (os.getpid(), memory_mb)
    with _lock:
        pool = _pools.get(key)
        if pool is None or not pool.active:
            pool = ProcessPool(max_workers=1, max_tasks=MAX_TASKS_PER_CHILD, initializer=_init_child,
                               initargs=(memory_mb,), context=multiprocessing.get_context("spawn"))
            _pools[key] = pool
        return pool


def _drop(memory_mb: int) -> None:
    with _lock:
        pool = _pools.pop((os.getpid(), memory_mb), None)
    if pool is not None:
        _stop(pool)


def _stop(pool: Any) -> None:
    try:
        pool.stop()
        pool.join(timeout=10)
    except Exception:  # a pool whose child is already gone
        logger.debug("sandbox pool stop failed", exc_info=True)


def _init_child(memory_mb: int) -> None:
    """In the child: die with the parent, and cap memory."""
    import resource

    die_with_parent()
    ceiling = memory_mb * 1024 * 1024
    for limit, value in ((resource.RLIMIT_DATA, ceiling), (resource.RLIMIT_AS, ceiling * _AS_FACTOR)):
        soft, hard = resource.getrlimit(limit)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, hard))


def die_with_parent() -> None:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)``: this process ends when the thread that started it does (Linux;
    elsewhere the pool's own cleanup must do)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _call(env: dict[str, str], module: str, qualname: str, args: tuple[Any, ...]) -> tuple[str, Any]:
    """In the child: the parent's ``IDP_*`` environment, then the function; input failures as data."""
    import importlib

    from extractors.readers.limits import input_error

    _apply_env(env)
    fn: Any = importlib.import_module(module)
    for part in qualname.split("."):
        fn = getattr(fn, part)
    try:
        return "ok", fn(*args)
    except BaseException as exc:
        rejected = input_error(exc)
        if rejected is None:
            raise
        return "rejected", (rejected.code, rejected.message, {k: str(v) for k, v in rejected.detail.items()})


def _apply_env(env: dict[str, str]) -> None:
    current = {k: v for k, v in os.environ.items() if k.startswith("IDP_")}
    if current == env:
        return
    for key in current.keys() - env.keys():
        del os.environ[key]
    os.environ.update(env)
    reset_settings()


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB (run it in the child: ``run_bounded(peak_rss_mb, ...)``)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_up() -> bool:
    """In the child: load the readers and the OCR engine now, not on the first document."""
    from extractors.readers import dispatch  # noqa: F401 - the imports are the point
    from extractors.readers.ocr import get_engine

    get_engine()
    return True


def start_warm(settings: Settings) -> None:
    """Start this worker's child and load its engines before the first job (a worker is ready when it
    registers); a failure here is logged, and the first job starts the child instead."""
    try:
        run_bounded(warm_up, settings=settings, timeout_s=300)
    except Exception:
        logger.warning("could not warm the reading child", exc_info=True)
