"""The tax stand-in keeps Tencent's contract: signature and clock checks, per-kind rule, counts, RequestId."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from idp.adapters import tc3
from idp.standins.runner import BackgroundServer
from tests.authority_helpers import NORMAL_10, SECRET_ID, SECRET_KEY, TODAY_10, today


def _post(server: BackgroundServer, params: dict[str, object], *, key: str = SECRET_KEY, sid: str = SECRET_ID,
          timestamp: int | None = None, tamper: bytes | None = None) -> dict[str, object]:
    body = json.dumps(params).encode()
    host = f"{server.host}:{server.port}"
    headers = tc3.signed_headers(secret_id=sid, secret_key=key, service="ocr", host=host,
                                 action="VatInvoiceVerifyNew", version="2018-11-19",
                                 timestamp=int(time.time()) if timestamp is None else timestamp, body=body)
    resp = httpx.post(server.url + "/", content=tamper or body, headers=headers, timeout=5)
    assert resp.status_code == 200
    return dict(resp.json()["Response"])


def _query(invoice: tuple[str | None, str, str, str, str | None], **extra: object) -> dict[str, object]:
    code, number, kind, _, check = invoice
    params: dict[str, object] = {"InvoiceCode": code, "InvoiceNo": number, "InvoiceKind": kind,
                                 "InvoiceDate": (today() - timedelta(days=30)).isoformat(),
                                 "CheckCode": (check or "")[-6:]}
    params.update(extra)
    return params


def _code(response: dict[str, object]) -> str:
    error = response.get("Error")
    return str(error["Code"]) if isinstance(error, dict) else "ok"


def test_a_correctly_signed_request_is_answered_with_a_fresh_request_id(tax_server: BackgroundServer) -> None:
    first, second = _post(tax_server, _query(NORMAL_10)), _post(tax_server, _query(NORMAL_10))
    assert _code(first) == "ok" and first["Invoice"]["IsAbandoned"] == "N"  # type: ignore[index]
    assert uuid.UUID(str(first["RequestId"])) != uuid.UUID(str(second["RequestId"]))


def test_a_wrong_key_or_a_changed_body_fails_the_signature(tax_server: BackgroundServer) -> None:
    assert _code(_post(tax_server, _query(NORMAL_10), key="not-the-key")) == "AuthFailure.SignatureFailure"
    changed = json.dumps(_query(NORMAL_10, CheckCode="000000")).encode()
    assert _code(_post(tax_server, _query(NORMAL_10), tamper=changed)) == "AuthFailure.SignatureFailure"
    assert _code(_post(tax_server, _query(NORMAL_10), sid="someone-else")) == "AuthFailure.SecretIdNotFound"


def test_a_stale_or_future_timestamp_is_refused(tax_server: BackgroundServer) -> None:
    now = int(time.time())
    assert _code(_post(tax_server, _query(NORMAL_10), timestamp=now - 301)) == "AuthFailure.SignatureExpire"
    assert _code(_post(tax_server, _query(NORMAL_10), timestamp=now + 400)) == "AuthFailure.SignatureExpire"
    assert _code(_post(tax_server, _query(NORMAL_10), timestamp=now - 200)) == "ok"


def test_signed_headers_listing_x_tc_action_are_accepted(tax_server: BackgroundServer) -> None:
    """Newer SDKs also sign ``x-tc-action`` (lower-cased value); the stand-in rebuilds whatever is listed."""
    body = json.dumps(_query(NORMAL_10)).encode()
    stamp = int(time.time())
    day = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d")
    host = f"{tax_server.host}:{tax_server.port}"
    canonical = (f"POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:{host}\n"
                 f"x-tc-action:vatinvoiceverifynew\n\ncontent-type;host;x-tc-action\n"
                 f"{hashlib.sha256(body).hexdigest()}")
    sts = f"TC3-HMAC-SHA256\n{stamp}\n{day}/ocr/tc3_request\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = ("TC3" + SECRET_KEY).encode()
    for part in (day, "ocr", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json; charset=utf-8", "X-TC-Action": "VatInvoiceVerifyNew",
               "X-TC-Version": "2018-11-19", "X-TC-Timestamp": str(stamp),
               "Authorization": f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{day}/ocr/tc3_request, "
                                f"SignedHeaders=content-type;host;x-tc-action, Signature={sig}"}
    resp = httpx.post(tax_server.url + "/", content=body, headers=headers, timeout=5).json()["Response"]
    assert "Invoice" in resp


def test_the_per_kind_rule_decides_match_or_mismatch(tax_server: BackgroundServer) -> None:
    wrong_check = _post(tax_server, _query(NORMAL_10, CheckCode="999999"))
    assert _code(wrong_check) == "FailedOperation.InvoiceMismatch"
    special = ("044002412813", "10000002", "08", "normal", None)
    assert _code(_post(tax_server, _query(special, Amount="1000.00"))) == "ok"
    assert _code(_post(tax_server, _query(special, Amount="1130.00"))) == "FailedOperation.InvoiceMismatch"
    digital = (None, "25440010307430371341", "31", "normal", None)
    assert _code(_post(tax_server, _query(digital, Amount="1130.00"))) == "ok"  # 数电: amount with tax
    assert _code(_post(tax_server, _query(digital, Amount="1000.00"))) == "FailedOperation.InvoiceMismatch"


def test_unknown_same_day_and_over_the_daily_limit(tax_server: BackgroundServer) -> None:
    unknown = ("044002405111", "99999999", "10", "normal", "12345678901234567890")
    assert _code(_post(tax_server, _query(unknown))) == "ResourceNotFound.NoInvoice"
    same_day = _query(TODAY_10, InvoiceDate=today().isoformat())
    assert _code(_post(tax_server, same_day)) == "ResourceNotFound.NotSupportCurrentInvoiceQuery"
    assert _code(_post(tax_server, same_day | {"EnableTodayInvoice": True})) == "ok"
    codes = [_code(_post(tax_server, _query(NORMAL_10))) for _ in range(6)]
    assert codes == ["ok"] * 5 + ["FailedOperation.CountLimitError"]
    assert tax_server.app.state.calls.count("tencent", f"{NORMAL_10[0]}:{NORMAL_10[1]}") == 6


def test_baidu_token_endpoint_refuses_unknown_clients(tax_server: BackgroundServer) -> None:
    resp = httpx.post(tax_server.url + "/oauth/2.0/token", params={
        "grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, timeout=5)
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_client"
    resp = httpx.post(tax_server.url + "/rest/2.0/ocr/v1/vat_invoice_verification",
                      params={"access_token": "made-up"}, data={"invoice_num": "1"}, timeout=5)
    assert resp.json()["error_code"] == 110
