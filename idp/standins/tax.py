"""A local 发票查验 service honouring Tencent's ``VatInvoiceVerifyNew`` contract (and Baidu's, see tax_baidu).

Same path and headers as ocr.tencentcloudapi.com; the TC3 signature is checked by this module's own
implementation of the documented algorithm (canonical headers rebuilt from ``SignedHeaders``), so an adapter
bug cannot hide behind shared code. Invoices come from an authority.json; 作废/红冲 map to ``IsAbandoned``
Y/HF/HP and, as this stand-in's extension for 失控/异常 (which Tencent does not expose), ``SK``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from idp.models.authority import DIGITAL_KINDS, china_date
from idp.standins.fixtures import (
    AuthorityIndex,
    AuthorityInvoice,
    CallLog,
    DailyCounter,
    Verdict,
    decide,
    is_red,
)
from idp.standins.tax_baidu import baidu_router

#: Largest accepted difference between ``X-TC-Timestamp`` and this server's clock.
MAX_SKEW_S = 300
_AUTH = re.compile(r"^TC3-HMAC-SHA256 Credential=(?P<sid>[^/\s]+)/(?P<date>\d{4}-\d{2}-\d{2})"
                   r"/(?P<service>[a-z]+)/tc3_request, SignedHeaders=(?P<signed>[a-z0-9;-]+),"
                   r" Signature=(?P<sig>[0-9a-f]{64})$")
_IS_ABANDONED = {"normal": "N", "void": "Y", "red_flushed": "HF", "partially_red_flushed": "HP",
                 "abnormal": "SK"}
_VERDICT_ERRORS: dict[Verdict, tuple[str, str]] = {
    Verdict.NOT_FOUND: ("ResourceNotFound.NoInvoice", "查无此票"),
    Verdict.MISMATCH: ("FailedOperation.InvoiceMismatch", "发票信息不一致"),
    Verdict.SAME_DAY: ("ResourceNotFound.NotSupportCurrentInvoiceQuery", "暂不支持当日发票查验"),
    Verdict.TOO_OLD: ("InvalidParameterValue.TicketDateParameterValueLimit", "开票日期超过五年"),
    Verdict.COUNT_LIMIT: ("FailedOperation.CountLimitError", "超过该张发票当日查验次数"),
}


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def check_signature(
    headers: Mapping[str, str], body: bytes, *, path: str, query: str, secret_id: str, secret_key: str,
    now_s: float, max_skew_s: int = MAX_SKEW_S,
) -> tuple[str, str] | None:
    """None when the request is signed with our key within the skew; else (error code, message)."""
    match = _AUTH.match(headers.get("authorization", ""))
    stamp = headers.get("x-tc-timestamp", "")
    if match is None or not stamp.isdigit():
        return "AuthFailure.SignatureFailure", "Authorization 或 X-TC-Timestamp 格式不正确"
    if abs(now_s - int(stamp)) > max_skew_s:
        return "AuthFailure.SignatureExpire", "签名过期：时间戳与服务器时间相差超过五分钟"
    if match["sid"] != secret_id:
        return "AuthFailure.SecretIdNotFound", "密钥不存在"
    signed = match["signed"].split(";")
    if match["date"] != datetime.fromtimestamp(int(stamp), UTC).strftime("%Y-%m-%d") or not {
            "content-type", "host"} <= set(signed):
        return "AuthFailure.SignatureFailure", "签名范围不正确"
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip().lower()}\n" for name in signed)
    canonical = (f"POST\n{path}\n{query}\n{canonical_headers}\n{match['signed']}\n"
                 f"{hashlib.sha256(body).hexdigest()}")
    scope = f"{match['date']}/{match['service']}/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), match["date"]), match["service"]), "tc3_request")
    if not hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), match["sig"]):
        return "AuthFailure.SignatureFailure", "签名错误"
    return None


def tencent_invoice(inv: AuthorityInvoice, kind: str) -> dict[str, Any]:
    """The ``Response.Invoice`` object for one fixture invoice (every value a string, as Tencent sends)."""
    kind = inv.kind or kind
    items = [{"LineNo": str(i), "Name": it.name, "Spec": it.spec or "", "Unit": it.unit or "",
              "Quantity": it.quantity or "", "UnitPrice": it.price or "", "AmountWithoutTax": it.amount or "",
              "TaxRate": it.tax_rate or "", "TaxAmount": it.tax or ""} for i, it in enumerate(inv.items, 1)]
    return {
        "Code": inv.invoice_code or "", "Number": inv.invoice_number,
        "Date": inv.issue_date.strftime("%Y%m%d"),
        "BuyerName": inv.buyer_name or "", "BuyerTaxCode": inv.buyer_tax_id or "",
        "SellerName": inv.seller_name or "", "SellerTaxCode": inv.seller_tax_id or "",
        "AmountWithoutTax": f"{inv.amount_without_tax:.2f}", "TaxAmount": f"{inv.tax_amount:.2f}",
        "AmountWithTax": f"{inv.total_with_tax:.2f}", "CheckCode": inv.check_code or "",
        "MachineNo": inv.machine_no or "", "Remark": inv.remark or "",
        "IsAbandoned": _IS_ABANDONED.get(inv.status, "SK"), "Items": items, "Type": kind,
        "ElectronicType": {"31": "01", "32": "02"}.get(kind, ""), "RedLetterInvoiceMark": is_red(inv),
    }


def _error(code: str, message: str, request_id: str) -> JSONResponse:
    return JSONResponse({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id}})


def _parse(params: dict[str, Any]) -> tuple[str | None, str, str, date, str | None, Decimal | None] | None:
    """(code, number, kind, date, check code, amount) from the request, or None when malformed."""
    try:
        number, kind = str(params["InvoiceNo"]), str(params.get("InvoiceKind") or "")
        issued = date.fromisoformat(str(params["InvoiceDate"]))
        amount = Decimal(str(params["Amount"])) if params.get("Amount") not in (None, "") else None
    except (KeyError, ValueError, InvalidOperation):
        return None
    code = str(params.get("InvoiceCode") or "") or None
    if not number.isdigit() or len(number) not in (8, 20) or (code is None and kind not in DIGITAL_KINDS
                                                              and len(number) != 20):
        return None
    return code, number, kind, issued, str(params.get("CheckCode") or "") or None, amount


def create_tax_app(
    data: AuthorityIndex | Path, *, secret_id: str, secret_key: str,
    baidu_api_key: str = "standin-api-key", baidu_secret_key: str = "standin-secret-key",
    daily_limit: int = 5, clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The stand-in app; ``app.state.calls`` logs every check, ``app.state.index`` holds the fixtures."""
    index = data if isinstance(data, AuthorityIndex) else AuthorityIndex.from_file(data)
    app = FastAPI(title="发票查验替身服务 (tax stand-in)", docs_url=None, redoc_url=None)
    app.state.index, app.state.counter, app.state.calls = index, DailyCounter(), CallLog()

    @app.post("/")
    async def verify(request: Request) -> JSONResponse:
        """``VatInvoiceVerifyNew``: the signed JSON POST of Tencent Cloud API 3.0."""
        request_id, body, now_s = str(uuid.uuid4()), await request.body(), clock()
        failure = check_signature(request.headers, body, path=request.url.path, query=request.url.query,
                                  secret_id=secret_id, secret_key=secret_key, now_s=now_s)
        if failure:
            return _error(*failure, request_id)
        if request.headers.get("x-tc-action") != "VatInvoiceVerifyNew":
            return _error("InvalidAction", "接口不存在", request_id)
        try:
            params = json.loads(body)
        except ValueError:
            params = None
        parsed = _parse(params) if isinstance(params, dict) else None
        if parsed is None:
            return _error("InvalidParameterValue.TicketSnParameterValueLimit", "发票参数不正确", request_id)
        code, number, kind, issued, check_code, amount = parsed
        now = datetime.fromtimestamp(now_s, UTC)
        app.state.calls.record(now, "tencent", f"{code or ''}:{number}")
        verdict, found = decide(index, app.state.counter, code=code, number=number, kind=kind,
                                issue_date=issued, check_code=check_code, amount=amount,
                                today=china_date(now), daily_limit=daily_limit,
                                allow_today=bool(params.get("EnableTodayInvoice")))
        if found is None:
            return _error(*_VERDICT_ERRORS[verdict], request_id)
        return JSONResponse({"Response": {"Invoice": tencent_invoice(found, kind), "RequestId": request_id}})

    app.include_router(baidu_router(app, api_key=baidu_api_key, secret_key=baidu_secret_key,
                                    daily_limit=daily_limit, clock=clock))
    return app
