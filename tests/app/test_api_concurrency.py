"""Sixteen lending systems at once on the embedded default (SQLite, embedded Redis): create → upload → submit
never times out and never answers 5xx (the issue saw 148 of 160 creates time out at 20 s)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from idp.app.main import create_app
from idp.standins.runner import BackgroundServer
from tests.helpers import make_client, start_worker, stop_worker

PDF = b"%PDF-1.4\n% a body the worker will reject later\n%%EOF\n"
BODY = {"borrower": {"name": "甲公司", "uscc": "91110000600037341L"}, "product": "订单贷"}
_CLIENTS, _ROUNDS = 16, 4
#: The issue's client timeout.
_TIMEOUT_S = 20.0


def _rounds(base: str, key: str, worker: int) -> list[str]:
    errors: list[str] = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=_TIMEOUT_S) as http:
        for i in range(_ROUNDS):
            try:
                created = http.post("/v1/applications", json={**BODY, "external_id": f"c{worker}-{i}"})
                if created.status_code != 201:
                    errors.append(f"create {created.status_code} {created.text[:200]}")
                    continue
                app_id = created.json()["id"]
                files = [("files", (f"{worker}-{i}.pdf", PDF + f"{worker}-{i}".encode(), "application/pdf"))]
                uploaded = http.post(f"/v1/applications/{app_id}/documents", files=files)
                submitted = http.post(f"/v1/applications/{app_id}/submit")
                errors += [f"{what} {r.status_code} {r.text[:200]}" for what, r in
                           (("upload", uploaded), ("submit", submitted)) if r.status_code >= 300]
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    return errors


def test_sixteen_clients_create_upload_and_submit_on_sqlite_without_a_timeout(short_tmp, monkeypatch):
    from tests.conftest import _teardown, configure

    settings = configure(monkeypatch, short_tmp, "sqlite", "embedded")
    worker = start_worker("busy")  # its writes contend for the same SQLite file
    try:
        keys = [make_client(settings, name=f"bank-{i}")[1] for i in range(_CLIENTS)]
        with BackgroundServer(create_app(settings, migrate=False)) as server:
            with ThreadPoolExecutor(_CLIENTS) as pool:
                results = list(pool.map(lambda i: _rounds(server.url, keys[i], i), range(_CLIENTS)))
    finally:
        stop_worker(worker)
        _teardown(settings)
    errors = [e for r in results for e in r]
    assert errors == [], f"{len(errors)} of {_CLIENTS * _ROUNDS} rounds failed: {errors[:5]}"
