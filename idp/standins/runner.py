"""Run a stand-in app with uvicorn in a background thread (tests, the demo) and stop it on demand."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from idp.settings import Settings

#: Seconds to wait for the server to start listening or to finish stopping.
_WAIT_S = 10.0


class PortTaken(RuntimeError):
    """The port asked for is held by another program."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        super().__init__(f"端口 {port} 已被其他程序占用 (port {port} on {host} is taken)")


def free_port(host: str = "127.0.0.1") -> int:
    """A port free at this instant (another program may take it before it is bound: prefer ``hold_port``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def hold_port(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket bound to ``port`` (0: any free one), held until the server that gets it closes it,
    so nothing can take the port between choosing it and serving on it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortTaken(host, port) from exc
    sock.listen(2048)
    return sock


class BackgroundServer:
    """``start()`` returns once the port accepts connections; ``stop()`` once it no longer does.

    The port is bound when the server is made (``PortTaken`` names it when it is not free) and handed to
    uvicorn as a socket, so the port a caller prints is always the one being served.
    """

    def __init__(self, app: FastAPI, *, host: str = "127.0.0.1", port: int | None = None,
                 lifespan: str = "off") -> None:
        self.app, self.host, self.lifespan = app, host, lifespan
        self._socket = hold_port(host, port or 0)
        self.port = int(self._socket.getsockname()[1])
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        if self._socket.fileno() < 0:  # started again after a stop: the same port once more
            self._socket = hold_port(self.host, self.port)
        config = uvicorn.Config(self.app, host=self.host, port=self.port, log_level="warning",
                                lifespan=self.lifespan)  # type: ignore[arg-type]
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name=f"server-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _WAIT_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"服务未能在 {self.url} 启动 (server did not start on {self.url})")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            self._socket.close()
            return
        self._server.should_exit = True
        self._thread.join(_WAIT_S)
        self._socket.close()
        self._server, self._thread = None, None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_for(settings: Settings, data: Path, *,
              any_port_if_taken: bool = False) -> tuple[BackgroundServer, BackgroundServer]:
    """Start the tax and registry stand-ins where the settings' base URLs point, with the settings' keys
    (``any_port_if_taken``: on a free port when that one is taken; the servers' ``url`` tells where).

    This is how the demo runs offline: the real adapters, configured as in production, talk to these.
    """
    from idp.standins.registry import create_registry_app
    from idp.standins.tax import create_tax_app

    tax_url, registry_url = httpx.URL(settings.tax_base_url), httpx.URL(settings.registry_base_url)
    tax = create_tax_app(data, secret_id=settings.tencent_secret_id,
                         secret_key=settings.tencent_secret_key.get_secret_value(),
                         baidu_api_key=settings.baidu_api_key,
                         baidu_secret_key=settings.baidu_secret_key.get_secret_value(),
                         daily_limit=settings.verify_daily_limit)
    registry = create_registry_app(data, token=settings.tianyancha_token.get_secret_value())
    tax_server = _server(tax, tax_url, any_port_if_taken).start()
    try:
        registry_server = _server(registry, registry_url, any_port_if_taken).start()
    except Exception:
        tax_server.stop()
        raise
    return tax_server, registry_server


def _server(app: FastAPI, url: httpx.URL, any_port_if_taken: bool) -> BackgroundServer:
    try:
        return BackgroundServer(app, host=url.host, port=url.port)
    except PortTaken:
        if not any_port_if_taken:
            raise
        return BackgroundServer(app, host=url.host)
