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


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class BackgroundServer:
    """``start()`` returns once the port accepts connections; ``stop()`` once it no longer does."""

    def __init__(self, app: FastAPI, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.app, self.host, self.port = app, host, port or free_port(host)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        config = uvicorn.Config(self.app, host=self.host, port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"standin-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _WAIT_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"stand-in did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(_WAIT_S)
        self._server, self._thread = None, None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_for(settings: Settings, data: Path) -> tuple[BackgroundServer, BackgroundServer]:
    """Start the tax and registry stand-ins where the settings' base URLs point, with the settings' keys.

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
    tax_server = BackgroundServer(tax, host=tax_url.host, port=tax_url.port).start()
    try:
        registry_server = BackgroundServer(registry, host=registry_url.host, port=registry_url.port).start()
    except Exception:
        tax_server.stop()
        raise
    return tax_server, registry_server
