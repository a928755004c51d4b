"""发票查验 through Tencent Cloud OCR ``VatInvoiceVerifyNew`` (domain.md §7.1), signed with TC3-HMAC-SHA256.

Provider trouble comes back as an ``unavailable`` outcome (``retryable`` for network, throttling and internal
errors); :mod:`idp.adapters.resilience` retries those. The request timestamp is the real clock (the provider
rejects a skew over 5 minutes); ``now`` is business time and only stamps the answer.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from idp.adapters import tc3
from idp.adapters._common import day, money, text, transport_code, unavailable
from idp.models.authority import (
    InvoiceQuery,
    InvoiceStatus,
    TaxInvoiceItem,
    TaxInvoiceRecord,
    VerificationOutcome,
    VerificationStatus,
)

logger = logging.getLogger(__name__)

ACTION = "VatInvoiceVerifyNew"
VERSION = "2018-11-19"
SERVICE = "ocr"

#: Invoice-level error codes → (status, Chinese message). These are answers, not failures.
_ANSWERS: dict[str, tuple[VerificationStatus, str]] = {
    "ResourceNotFound.NoInvoice": (VerificationStatus.NOT_FOUND, "查无此票"),
    "FailedOperation.InvoiceMismatch": (VerificationStatus.MISMATCH, "发票信息不一致"),
    "ResourceNotFound.NotSupportCurrentInvoiceQuery": (VerificationStatus.NOT_YET_VERIFIABLE,
                                                       "当日开具的发票次日才能查验"),
    "FailedOperation.CountLimitError": (VerificationStatus.QUOTA_EXCEEDED, "该发票今日查验次数已达上限"),
}
#: Codes (or code prefixes) where trying again soon may succeed.
_RETRYABLE = ("ResourceUnavailable.TaxNetworkError", "RequestLimitExceeded", "InternalError",
              "FailedOperation.UnKnowError", "FailedOperation.UnknownError")
#: 作废/红冲 flags of ``IsAbandoned``; any other value is read as abnormal, never as normal.
_ABANDONED: dict[str, InvoiceStatus] = {
    "N": InvoiceStatus.NORMAL,
    "Y": InvoiceStatus.VOID,
    "H": InvoiceStatus.RED_FLUSHED,
    "HF": InvoiceStatus.RED_FLUSHED,
    "HP": InvoiceStatus.PARTIALLY_RED_FLUSHED,
}


def request_body(query: InvoiceQuery) -> dict[str, str]:
    """The JSON parameters of one verification (amount per the §1.6 rule, already in the query)."""
    body = {"InvoiceNo": query.number, "InvoiceDate": query.issue_date.isoformat(), "InvoiceKind": query.kind}
    if query.code:
        body["InvoiceCode"] = query.code
    if query.check_code:
        body["CheckCode"] = query.check_code
    if query.amount is not None:
        body["Amount"] = f"{query.amount:.2f}"
    return body


def invoice_status(raw: str | None) -> InvoiceStatus:
    return _ABANDONED.get((raw or "").strip().upper(), InvoiceStatus.ABNORMAL)


def parse_invoice(invoice: dict[str, Any], query: InvoiceQuery) -> TaxInvoiceRecord:
    """``Response.Invoice`` (all values strings, empty when unknown) → the authority's record."""
    items = [
        TaxInvoiceItem(name=text(row.get("Name")) or "", spec=text(row.get("Spec")),
                       unit=text(row.get("Unit")), quantity=money(row.get("Quantity")),
                       unit_price=money(row.get("UnitPrice")),
                       amount=money(row.get("AmountWithoutTax")), tax_rate=text(row.get("TaxRate")),
                       tax_amount=money(row.get("TaxAmount")))
        for row in invoice.get("Items") or []
    ]
    raw_status = text(invoice.get("IsAbandoned"))
    return TaxInvoiceRecord(
        kind=query.kind, code=text(invoice.get("Code")) or query.code,
        number=text(invoice.get("Number")) or query.number, issue_date=day(invoice.get("Date")),
        buyer_name=text(invoice.get("BuyerName")), buyer_tax_id=text(invoice.get("BuyerTaxCode")),
        seller_name=text(invoice.get("SellerName")), seller_tax_id=text(invoice.get("SellerTaxCode")),
        amount_without_tax=money(invoice.get("AmountWithoutTax")), tax_amount=money(invoice.get("TaxAmount")),
        total_with_tax=money(invoice.get("AmountWithTax")), check_code=text(invoice.get("CheckCode")),
        machine_no=text(invoice.get("MachineNo")), remark=text(invoice.get("Remark")), items=items,
        status=invoice_status(raw_status), status_raw=raw_status,
    )


def parse_response(payload: dict[str, Any], query: InvoiceQuery, *, now: datetime) -> VerificationOutcome:
    """Map ``{"Response": …}`` to an outcome: an invoice, an invoice-level answer, or a failure."""
    response = payload.get("Response") or {}
    request_id = text(response.get("RequestId"))
    error = response.get("Error")
    if error:
        code, message = str(error.get("Code", "")), str(error.get("Message", ""))
        if code in _ANSWERS:
            status, zh = _ANSWERS[code]
            return VerificationOutcome(status=status, provider="tencent", request_id=request_id,
                                       checked_at=now, provider_code=code, message=zh)
        retryable = code.startswith(_RETRYABLE)
        zh = "税务查验服务暂时不可用" if retryable else "查验请求被拒绝"
        return unavailable("tencent", now=now, code=code, request_id=request_id, retryable=retryable,
                           message=f"{zh}：{code} {message}".strip())
    invoice = response.get("Invoice")
    if not isinstance(invoice, dict):
        return unavailable("tencent", now=now, request_id=request_id, retryable=True, code="EmptyResponse",
                           message="查验结果为空 (no invoice in the response)")
    record = parse_invoice(invoice, query)
    return VerificationOutcome(status=VerificationStatus.FOUND, record=record, provider="tencent",
                               request_id=request_id, checked_at=now, provider_code="Success",
                               message="查验一致")


class TencentTaxVerifier:
    """A :class:`idp.ports.TaxInvoiceVerifier` over Tencent Cloud's HTTP API (or the tax stand-in)."""

    name = "tencent"

    def __init__(
        self, *, base_url: str, secret_id: str, secret_key: str, timeout: httpx.Timeout, region: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        url = httpx.URL(base_url)
        self._url = url.copy_with(path="/")
        self._host = url.netloc.decode("ascii").lower()
        self._secret_id, self._secret_key, self._region = secret_id, secret_key, region
        self._clock = clock
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def verify(self, query: InvoiceQuery, *, now: datetime) -> VerificationOutcome:
        body = json.dumps(request_body(query), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = tc3.signed_headers(secret_id=self._secret_id, secret_key=self._secret_key, service=SERVICE,
                                     host=self._host, action=ACTION, version=VERSION,
                                     timestamp=int(self._clock()), body=body, region=self._region)
        try:
            resp = self._client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            logger.warning("tencent verify %s: %r", query.invoice_key, exc)
            return unavailable("tencent", now=now, code=transport_code(exc), retryable=True,
                               message=f"无法连接发票查验服务 ({type(exc).__name__})")
        try:
            payload = resp.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or "Response" not in payload:
            return unavailable("tencent", now=now, code=f"HTTP{resp.status_code}",
                               retryable=resp.status_code >= 500 or resp.status_code == 429,
                               message=f"发票查验服务返回异常 (HTTP {resp.status_code})")
        return parse_response(payload, query, now=now)
