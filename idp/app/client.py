"""A small HTTP client for the idp API (used by ``idp submit`` and ``idp demo``)."""

from __future__ import annotations

import mimetypes
import time
from pathlib import Path
from typing import Any

import httpx

#: Application states after which nothing more happens without a person.
SETTLED = {"review", "completed"}


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body
        super().__init__(f"HTTP {status}: {body.get('code')}: {body.get('message')}")


class ApiClient:
    def __init__(self, base_url: str, api_key: str, timeout: float = 60.0) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers={"X-API-Key": api_key}, timeout=timeout)

    def _check(self, resp: httpx.Response) -> Any:
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {"code": f"http_{resp.status_code}", "message": resp.text}
            raise ApiError(resp.status_code, body)
        return resp.json()

    def create_application(self, *, borrower_name: str, borrower_uscc: str, product: str,
                           external_id: str | None = None, idempotency_key: str | None = None,
                           statement_period: tuple[str, str] | None = None) -> str:
        """Create an application; ``statement_period`` (start, end as YYYY-MM-DD) is the window the lender
        needs the bank statement to cover."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        body: dict[str, Any] = {"borrower": {"name": borrower_name, "uscc": borrower_uscc}, "product": product,
                                "external_id": external_id}
        if statement_period is not None:
            body["statement_period"] = {"start": statement_period[0], "end": statement_period[1]}
        return str(self._check(self._http.post("/v1/applications", json=body, headers=headers))["id"])

    def upload(self, application_id: str, files: list[Path]) -> list[dict[str, Any]]:
        parts = [
            ("files", (p.name, p.read_bytes(), mimetypes.guess_type(p.name)[0] or "application/octet-stream"))
            for p in files
        ]
        resp = self._http.post(f"/v1/applications/{application_id}/documents", files=parts)
        return list(self._check(resp)["documents"])

    def submit(self, application_id: str) -> dict[str, Any]:
        return dict(self._check(self._http.post(f"/v1/applications/{application_id}/submit")))

    def get(self, application_id: str) -> dict[str, Any]:
        return dict(self._check(self._http.get(f"/v1/applications/{application_id}")))

    def result(self, application_id: str) -> dict[str, Any]:
        return dict(self._check(self._http.get(f"/v1/applications/{application_id}/result")))

    def wait(self, application_id: str, *, timeout: float = 300.0, poll: float = 0.3) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            state = self.get(application_id)
            if state["status"] in SETTLED or time.monotonic() > deadline:
                return state
            time.sleep(poll)
