"""The API served by a real uvicorn server, as a lending system meets it: what one request commits is
visible to the very next request, whatever the client's timing and however many clients call at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from idp.app.main import create_app
from idp.standins.runner import BackgroundServer
from tests.helpers import make_client

PDF = b"%PDF-1.4\n% a body the worker will reject later\n"
BODY = {"borrower": {"name": "甲公司", "uscc": "91110000600037341L"}, "product": "订单贷"}

#: Clients calling at once, and create-then-upload pairs each makes (the issue's bench runs 1000 pairs).
_CLIENTS, _PAIRS_EACH = 10, 20
#: Seconds added to every commit by ``slow_commits``.
_COMMIT_DELAY_S = 0.02


def _create_then_upload(base: str, key: str, pairs: int) -> list[str]:
    """Create an application and upload to it at once, ``pairs`` times; every failure, as text."""
    errors: list[str] = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as http:
        for _ in range(pairs):
            try:
                errors.extend(_one_pair(http))
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    return errors


def _one_pair(http: httpx.Client) -> list[str]:
    created = http.post("/v1/applications", json=BODY)
    if created.status_code != 201:
        return [f"create {created.status_code} {created.text[:200]}"]
    app_id = created.json()["id"]
    uploaded = http.post(f"/v1/applications/{app_id}/documents",
                         files=[("files", ("a.pdf", PDF, "application/pdf"))])
    if uploaded.status_code != 201:
        return [f"upload {uploaded.status_code} {uploaded.text[:200]}"]
    return []


@pytest.fixture
def slow_commits() -> Iterator[None]:
    """Every commit takes a little longer (a busy disk's fsync): a commit that trailed its response would
    then reliably lose the race against the client's next request, instead of losing it now and then."""

    def _slow(_session: Session) -> None:
        time.sleep(_COMMIT_DELAY_S)

    event.listen(Session, "before_commit", _slow)
    yield
    event.remove(Session, "before_commit", _slow)


def test_an_application_is_visible_to_the_request_right_after_its_create(db_settings, slow_commits):
    _, key, _ = make_client(db_settings)
    with BackgroundServer(create_app(db_settings, migrate=False)) as server:
        with ThreadPoolExecutor(_CLIENTS) as pool:
            results = list(pool.map(lambda _: _create_then_upload(server.url, key, _PAIRS_EACH), range(_CLIENTS)))
    errors = [e for r in results for e in r]
    assert errors == [], f"{len(errors)} of {_CLIENTS * _PAIRS_EACH} pairs failed: {errors[:5]}"


def test_concurrent_creates_with_one_idempotency_key_make_one_application(db_settings):
    _, key, _ = make_client(db_settings)

    def create(_: int) -> httpx.Response:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            return http.post("/v1/applications", json=BODY, headers={"X-API-Key": key, "Idempotency-Key": "k-1"})

    with BackgroundServer(create_app(db_settings, migrate=False)) as server:
        with ThreadPoolExecutor(_CLIENTS) as pool:
            answers = list(pool.map(create, range(_CLIENTS * 3)))
        other_body = httpx.post(f"{server.url}/v1/applications", json={**BODY, "product": "另一个产品"},
                                headers={"X-API-Key": key, "Idempotency-Key": "k-1"})
    assert sorted({a.status_code for a in answers}) == [200, 201], [a.text for a in answers if a.status_code >= 300]
    assert [a.status_code for a in answers].count(201) == 1
    assert len({a.json()["id"] for a in answers}) == 1
    assert other_body.status_code == 422 and other_body.json()["code"] == "idempotency_key_reused"


def test_the_python_client_sends_the_statement_period_the_lender_needs(db_settings):
    from idp.app.client import ApiClient

    _, key, _ = make_client(db_settings)
    with BackgroundServer(create_app(db_settings, migrate=False)) as server:
        api = ApiClient(server.url, key)
        app_id = api.create_application(borrower_name="甲公司", borrower_uscc="91110000600037341L", product="订单贷",
                                        statement_period=("2024-01-01", "2024-06-30"))
        state = api.get(app_id)
    assert state["statement_period"] == {"start": "2024-01-01", "end": "2024-06-30"}
