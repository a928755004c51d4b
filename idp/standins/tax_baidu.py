"""Baidu's 增值税发票验真 contract on the tax stand-in: an OAuth token endpoint and a form-encoded check.

Shares the fixtures, the per-invoice daily counter and the call log with the Tencent route, as one tax
authority behind two vendors would. Tokens are kept in ``app.state.baidu_tokens`` (clear it to expire them).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from idp.models.authority import china_date
from idp.standins.fixtures import AuthorityInvoice, Verdict, decide

#: Baidu ``invoice_type`` → 发票种类代码.
KINDS: dict[str, str] = {
    "special_vat_invoice": "01", "special_freight_transport_invoice": "02", "motor_vehicle_invoice": "03",
    "normal_invoice": "04", "elec_special_vat_invoice": "08", "elec_normal_invoice": "10",
    "roll_normal_invoice": "11", "toll_elec_normal_invoice": "14", "used_vehicle_invoice": "15",
    "elec_invoice_special": "31", "elec_invoice_normal": "32",
}
_VERIFY_RESULTS: dict[Verdict, tuple[str, str]] = {
    Verdict.FOUND: ("0001", "查验成功发票一致"),
    Verdict.NOT_FOUND: ("0009", "查无此票"),
    Verdict.MISMATCH: ("0006", "发票信息不一致"),
    Verdict.SAME_DAY: ("1014", "当日开具发票次日查验"),
    Verdict.TOO_OLD: ("1015", "超过五年的发票不能查验"),
    Verdict.COUNT_LIMIT: ("0002", "超过该张发票当日查验次数"),
}
#: 作废/红冲 as ``InvalidSign``; ``SK`` is this stand-in's word for 失控/异常.
_INVALID_SIGN = {"normal": "N", "void": "Y", "red_flushed": "QH", "partially_red_flushed": "BH",
                 "abnormal": "SK"}


def words_result(inv: AuthorityInvoice, kind: str) -> dict[str, Any]:
    def column(values: list[str | None]) -> list[dict[str, str]]:
        return [{"row": str(i), "word": v or ""} for i, v in enumerate(values, 1)]

    return {
        "InvoiceType": kind, "InvoiceCode": inv.invoice_code or "", "InvoiceNum": inv.invoice_number,
        "InvoiceDate": inv.issue_date.strftime("%Y%m%d"), "PurchaserName": inv.buyer_name or "",
        "PurchaserRegisterNum": inv.buyer_tax_id or "", "SellerName": inv.seller_name or "",
        "SellerRegisterNum": inv.seller_tax_id or "", "TotalAmount": f"{inv.amount_without_tax:.2f}",
        "TotalTax": f"{inv.tax_amount:.2f}", "AmountInFiguers": f"{inv.total_with_tax:.2f}",
        "CheckCode": inv.check_code or "", "MachineCode": inv.machine_no or "", "Remarks": inv.remark or "",
        "CommodityName": column([i.name for i in inv.items]),
        "CommodityType": column([i.spec for i in inv.items]),
        "CommodityUnit": column([i.unit for i in inv.items]),
        "CommodityNum": column([i.quantity for i in inv.items]),
        "CommodityPrice": column([i.price for i in inv.items]),
        "CommodityAmount": column([i.amount for i in inv.items]),
        "CommodityTaxRate": column([i.tax_rate for i in inv.items]),
        "CommodityTax": column([i.tax for i in inv.items]),
    }


def baidu_router(app: FastAPI, *, api_key: str, secret_key: str, daily_limit: int,
                 clock: Callable[[], float] = time.time) -> APIRouter:
    router = APIRouter()
    app.state.baidu_tokens = set()

    @router.post("/oauth/2.0/token")
    def token(grant_type: str = "", client_id: str = "", client_secret: str = "") -> JSONResponse:
        """Client-credentials token, valid 30 days."""
        if grant_type != "client_credentials" or client_id != api_key or client_secret != secret_key:
            return JSONResponse({"error": "invalid_client", "error_description": "unknown client id"}, 401)
        value = "24." + uuid.uuid4().hex
        app.state.baidu_tokens.add(value)
        return JSONResponse({"access_token": value, "expires_in": 2592000,
                             "scope": "vis-ocr_vat_invoice_verification"})

    @router.post("/rest/2.0/ocr/v1/vat_invoice_verification")
    async def verification(request: Request, access_token: str = "") -> JSONResponse:
        """增值税发票验真: form fields in, ``VerifyResult`` and ``words_result`` out."""
        log_id = uuid.uuid4().int % 10**19
        if access_token not in app.state.baidu_tokens:
            return JSONResponse({"error_code": 110, "error_msg": "Access token invalid or no longer valid",
                                 "log_id": log_id})
        form = await request.form()
        fields = {k: str(v) for k, v in form.items()}
        kind = KINDS.get(fields.get("invoice_type", ""), "")
        number, code = fields.get("invoice_num", ""), fields.get("invoice_code") or None
        try:
            raw_date = fields.get("invoice_date", "")
            issued = date(int(raw_date[:4]), int(raw_date[4:6]), int(raw_date[6:8]))
            amount = Decimal(fields["total_amount"]) if fields.get("total_amount") else None
        except (ValueError, InvalidOperation):
            return JSONResponse({"error_code": 216100, "error_msg": "invalid param", "log_id": log_id})
        if not kind or not number.isdigit():
            return JSONResponse({"error_code": 216100, "error_msg": "invalid param", "log_id": log_id})
        now = datetime.fromtimestamp(clock(), UTC)
        app.state.calls.record(now, "baidu", f"{code or ''}:{number}")
        verdict, found = decide(app.state.index, app.state.counter, code=code, number=number, kind=kind,
                                issue_date=issued, check_code=fields.get("check_code") or None, amount=amount,
                                today=china_date(now), daily_limit=daily_limit)
        result, message = _VERIFY_RESULTS[verdict]
        body: dict[str, Any] = {"log_id": log_id, "VerifyResult": result, "VerifyMessage": message}
        if found is not None:
            body["InvalidSign"] = _INVALID_SIGN.get(found.status, "SK")
            body["words_result"] = words_result(found, kind)
        return JSONResponse(body)

    return router
