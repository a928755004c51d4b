"""A webhook receiver that drips its answer is cut at the attempt's total deadline, and never holds back
another client's documents (webhooks have their own worker processes)."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from idp.adapters.webhook import DeliveryDeadline, HttpWebhookSender
from idp.storage import applications, webhooks
from idp.storage.db import session_scope
from tests.helpers import api, make_client, new_application, start_worker, stop_worker, submit, upload
from tests.queues.test_pipeline import _clean, _truth


class DripServer:
    """Answers every request with headers at once, then one body byte every ``every_s`` seconds."""

    def __init__(self, every_s: float, body_bytes: int) -> None:
        self.every_s, self.body_bytes = every_s, body_bytes
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.requests = 0
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            self.requests += 1
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % self.body_bytes)
                for _ in range(self.body_bytes):
                    if self._stop.wait(self.every_s):
                        return
                    conn.sendall(b".")
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self.sock.close()


@pytest.fixture
def drip() -> Iterator[DripServer]:
    server = DripServer(every_s=0.5, body_bytes=60)  # 30 s for the whole answer
    yield server
    server.close()


def test_a_dripping_receiver_is_cut_at_the_total_deadline_not_served_to_the_end(drip):
    with pytest.raises(DeliveryDeadline):
        HttpWebhookSender().send(drip.url, b"{}", {"content-type": "application/json"}, timeout=1.5)
    assert drip.requests == 1


def test_a_slow_receiver_never_holds_back_another_clients_documents(stack, drip, monkeypatch):
    monkeypatch.setenv("IDP_WEBHOOK_TIMEOUT_S", "60")  # the slow attempt outlives the whole test
    _, key_a, _ = make_client(stack, name="slow-receiver", webhook_url=drip.url)
    _, key_b, _ = make_client(stack, name="quick-client")
    worker = start_worker("main")
    try:
        with api(stack) as http:
            pdf = _clean()[0]
            buyer = _truth(pdf)["buyer"]
            app_a = new_application(http, key_a, name=buyer["name"], uscc=buyer["tax_id"])
            upload(http, key_a, app_a["id"], ("a.pdf", pdf.read_bytes()))
            submit(http, key_a, app_a["id"])
            assert _wait(lambda: drip.requests >= 1), "client A's webhook was never attempted"
            app_b = new_application(http, key_b)
            upload(http, key_b, app_b["id"], ("b.pdf", _clean()[1].read_bytes()))
            submit(http, key_b, app_b["id"])
            assert _wait(lambda: _status(stack, app_b["id"]) in ("completed", "review"))
        with session_scope(stack.effective_database_url) as s:
            (delivery,) = webhooks.for_application(s, app_a["id"])
            assert delivery.attempts == 0  # A's first attempt is still dripping while B is done
    finally:
        stop_worker(worker, sig=signal.SIGKILL)


def _status(settings, app_id: str) -> str:
    with session_scope(settings.effective_database_url) as s:
        return applications.get(s, app_id).status


def _wait(predicate, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
