"""Shared state of the resilience wrapper: answer cache, quota counters, circuit breaker and rate limiter.

With a Redis client (embedded or server, from ``queues.connection.get_redis``) every worker shares the same
counters, so a quota is never spent twice across processes; without one, :class:`MemoryLedger` keeps them in
this process. Validity is judged against the caller's ``now``; Redis expiry is only garbage collection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis import Redis


class Ledger(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, *, ttl_s: int | None = None) -> None: ...

    def put_if_absent(self, key: str, value: str, *, ttl_s: int | None = None) -> bool: ...

    def delete(self, *keys: str) -> None: ...

    def incr(self, key: str, *, by: int = 1, ttl_s: int | None = None) -> int:
        """Add ``by`` atomically; the first increment sets the expiry."""
        ...

    def clock(self) -> float:
        """Seconds on the clock every user of this ledger shares (the Redis server's, else this host's)."""
        ...


class RedisLedger:
    """Keys under one prefix in a real Redis."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._r, self._p = redis, prefix.rstrip(":") + ":"

    def get(self, key: str) -> str | None:
        raw = self._r.get(self._p + key)
        return None if raw is None else raw.decode() if isinstance(raw, bytes) else str(raw)

    def put(self, key: str, value: str, *, ttl_s: int | None = None) -> None:
        self._r.set(self._p + key, value, ex=ttl_s)

    def put_if_absent(self, key: str, value: str, *, ttl_s: int | None = None) -> bool:
        return bool(self._r.set(self._p + key, value, ex=ttl_s, nx=True))

    def delete(self, *keys: str) -> None:
        if keys:
            self._r.delete(*(self._p + k for k in keys))

    def incr(self, key: str, *, by: int = 1, ttl_s: int | None = None) -> int:
        pipe = self._r.pipeline()  # MULTI/EXEC; SET NX sets the expiry once (EXPIRE NX needs Redis 7)
        if ttl_s:
            pipe.set(self._p + key, 0, ex=ttl_s, nx=True)
        pipe.incrby(self._p + key, by)
        return int(pipe.execute()[-1])

    def clock(self) -> float:
        seconds, micros = self._r.time()
        return float(seconds) + float(micros) / 1e6


class MemoryLedger:
    """The same operations in this process only (one worker, the CLI, a notebook)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _live(self, key: str) -> str | None:
        item = self._data.get(key)
        if item is None:
            return None
        if item[1] is not None and item[1] <= self._clock():
            del self._data[key]
            return None
        return item[0]

    def _expiry(self, ttl_s: int | None) -> float | None:
        return None if ttl_s is None else self._clock() + ttl_s

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def put(self, key: str, value: str, *, ttl_s: int | None = None) -> None:
        with self._lock:
            self._data[key] = (value, self._expiry(ttl_s))

    def put_if_absent(self, key: str, value: str, *, ttl_s: int | None = None) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._data[key] = (value, self._expiry(ttl_s))
            return True

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._data.pop(key, None)

    def incr(self, key: str, *, by: int = 1, ttl_s: int | None = None) -> int:
        with self._lock:
            current = self._live(key)
            expiry = self._data[key][1] if current is not None else self._expiry(ttl_s)
            value = int(current or 0) + by
            self._data[key] = (str(value), expiry)
            return value

    def clock(self) -> float:
        return self._clock()


class CircuitBreaker:
    """Opens after ``failures`` consecutive failed calls; after ``cooldown_s`` (by ``now``) one trial call may
    pass (half-open): its success closes the circuit, its failure opens it again."""

    def __init__(self, ledger: Ledger, name: str, *, failures: int, cooldown_s: float) -> None:
        self._l, self._k = ledger, f"breaker:{name}:"
        self.failures, self.cooldown_s = failures, cooldown_s

    def _opened_at(self) -> float | None:
        raw = self._l.get(self._k + "opened")
        return None if raw is None else float(raw)

    def state(self, now: datetime) -> str:
        """``closed``, ``open`` or ``half_open``."""
        opened = self._opened_at()
        if opened is None:
            return "closed"
        return "open" if now.timestamp() - opened < self.cooldown_s else "half_open"

    def reopens_at(self, now: datetime) -> datetime | None:
        opened = self._opened_at()
        return None if opened is None else datetime.fromtimestamp(opened + self.cooldown_s, now.tzinfo)

    def allow(self, now: datetime) -> bool:
        """May a call go out now? In half-open, only one caller gets the trial per cool-down."""
        state = self.state(now)
        if state == "closed":
            return True
        if state == "open":
            return False
        stamp = str(now.timestamp())
        if self._l.put_if_absent(self._k + "probe", stamp):
            return True
        probe = self._l.get(self._k + "probe")
        # the last trial never reported back: let another one go
        if probe is None or now.timestamp() - float(probe) >= self.cooldown_s:
            self._l.put(self._k + "probe", stamp)
            return True
        return False

    def record_success(self) -> None:
        self._l.delete(self._k + "failures", self._k + "opened", self._k + "probe")

    def record_failure(self, now: datetime) -> None:
        count = self._l.incr(self._k + "failures")
        half_open = self._l.get(self._k + "probe") is not None
        self._l.delete(self._k + "probe")
        if count >= self.failures or half_open:
            self._l.put(self._k + "opened", str(now.timestamp()))


class RateLimiter:
    """At most ``per_second`` calls in any one second of the ledger's clock, across all its processes.

    A caller over the limit sleeps until the next second, and gives up after ``max_wait_s``.
    """

    def __init__(self, ledger: Ledger, name: str, *, per_second: int, max_wait_s: float = 5.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._l, self._k = ledger, f"rate:{name}:"
        self.per_second, self.max_wait_s, self._sleep = per_second, max_wait_s, sleep

    def acquire(self) -> bool:
        waited = 0.0
        while True:
            now = self._l.clock()
            second = int(now)
            if self._l.incr(f"{self._k}{second}", ttl_s=2) <= self.per_second:
                return True
            pause = second + 1 - now + 0.001
            if waited + pause > self.max_wait_s:
                return False
            self._sleep(pause)
            waited += pause
