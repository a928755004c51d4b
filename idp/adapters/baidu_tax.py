"""发票查验 through Baidu OCR ``vat_invoice_verification`` (domain.md §7.2): an OAuth token, then a form POST.

The token lives 30 days and is cached per adapter until shortly before it expires; an "invalid/expired token"
error (110/111) fetches a new one once. ``VerifyResult`` is read at the top level or under ``words_result``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

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

#: 发票种类代码 → Baidu ``invoice_type``.
INVOICE_TYPES: dict[str, str] = {
    "01": "special_vat_invoice", "02": "special_freight_transport_invoice", "03": "motor_vehicle_invoice",
    "04": "normal_invoice", "08": "elec_special_vat_invoice", "10": "elec_normal_invoice",
    "11": "roll_normal_invoice", "14": "toll_elec_normal_invoice", "15": "used_vehicle_invoice",
    "31": "elec_invoice_special", "32": "elec_invoice_normal",
}
#: ``VerifyResult`` → (status, Chinese message, retryable).
_RESULTS: dict[str, tuple[VerificationStatus, str, bool]] = {
    "0001": (VerificationStatus.FOUND, "查验一致", False),
    "0006": (VerificationStatus.MISMATCH, "发票信息不一致", False),
    "0009": (VerificationStatus.NOT_FOUND, "查无此票", False),
    "0002": (VerificationStatus.QUOTA_EXCEEDED, "该发票今日查验次数已达上限", False),
    "1014": (VerificationStatus.NOT_YET_VERIFIABLE, "当日开具的发票次日才能查验", False),
    "1015": (VerificationStatus.TOO_OLD, "超过五年的发票不能查验", False),
    "1021": (VerificationStatus.UNAVAILABLE, "税务查验服务超时", True),
    "9999": (VerificationStatus.UNAVAILABLE, "税务查验服务暂时不可用", True),
    "1005": (VerificationStatus.UNAVAILABLE, "该发票暂不支持查验", False),
    "1006": (VerificationStatus.UNAVAILABLE, "该发票暂不支持查验", False),
}
#: ``InvalidSign``: N 正常, Y 作废, H/QH 全额红冲, BH 部分红冲; anything else is read as abnormal.
_SIGNS: dict[str, InvoiceStatus] = {
    "N": InvoiceStatus.NORMAL, "Y": InvoiceStatus.VOID, "H": InvoiceStatus.RED_FLUSHED,
    "QH": InvoiceStatus.RED_FLUSHED, "BH": InvoiceStatus.PARTIALLY_RED_FLUSHED,
}
#: Platform error codes: token invalid/expired; and the ones worth retrying (QPS limit, internal errors).
_TOKEN_ERRORS = frozenset({110, 111})
_RETRYABLE_ERRORS = frozenset({2, 18, 282000})
#: Seconds before the token's stated expiry at which a new one is fetched.
_TOKEN_MARGIN_S = 3600.0


def form(query: InvoiceQuery) -> dict[str, str]:
    """The form fields of one verification (amount per the §1.6 rule, already in the query)."""
    if query.kind not in INVOICE_TYPES:
        raise ValueError(f"no Baidu invoice_type for kind {query.kind}")
    return {
        "invoice_code": query.code or "", "invoice_num": query.number,
        "invoice_date": query.issue_date.strftime("%Y%m%d"), "invoice_type": INVOICE_TYPES[query.kind],
        "check_code": query.check_code or "",
        "total_amount": "" if query.amount is None else f"{query.amount:.2f}",
    }


def _column(words: dict[str, Any], key: str) -> list[str | None]:
    """One ``Commodity*`` column: a list of ``{"row", "word"}`` or of plain strings."""
    cells = words.get(key) or []
    return [text(c.get("word")) if isinstance(c, dict) else text(c) for c in cells]


def _items(words: dict[str, Any]) -> list[TaxInvoiceItem]:
    names = _column(words, "CommodityName")
    cols = {k: _column(words, k) for k in ("CommodityType", "CommodityUnit", "CommodityNum", "CommodityPrice",
                                           "CommodityAmount", "CommodityTaxRate", "CommodityTax")}

    def cell(key: str, i: int) -> str | None:
        return cols[key][i] if i < len(cols[key]) else None

    return [
        TaxInvoiceItem(name=name or "", spec=cell("CommodityType", i), unit=cell("CommodityUnit", i),
                       quantity=money(cell("CommodityNum", i)), unit_price=money(cell("CommodityPrice", i)),
                       amount=money(cell("CommodityAmount", i)), tax_rate=cell("CommodityTaxRate", i),
                       tax_amount=money(cell("CommodityTax", i)))
        for i, name in enumerate(names)
    ]


def parse_response(payload: dict[str, Any], query: InvoiceQuery, *, now: datetime) -> VerificationOutcome:
    """Map a verification answer (``VerifyResult`` top-level or under ``words_result``) to an outcome."""
    nested = payload.get("words_result")
    words: dict[str, Any] = nested if isinstance(nested, dict) else {}
    request_id = text(payload.get("log_id"))
    code = text(payload.get("VerifyResult")) or text(words.get("VerifyResult"))
    if code not in _RESULTS:
        said = text(payload.get("VerifyMessage")) or ""
        return unavailable("baidu", now=now, code=code or "NoVerifyResult", request_id=request_id,
                           retryable=False, message=f"无法识别的查验结果：{code} {said}".strip())
    status, zh, retryable = _RESULTS[code]
    if status is not VerificationStatus.FOUND:
        return VerificationOutcome(status=status, provider="baidu", request_id=request_id, checked_at=now,
                                   provider_code=code, message=zh, retryable=retryable)
    sign = text(payload.get("InvalidSign")) or text(words.get("InvalidSign"))
    record = TaxInvoiceRecord(
        kind=query.kind, code=text(words.get("InvoiceCode")) or query.code,
        number=text(words.get("InvoiceNum")) or query.number, issue_date=day(words.get("InvoiceDate")),
        buyer_name=text(words.get("PurchaserName")), buyer_tax_id=text(words.get("PurchaserRegisterNum")),
        seller_name=text(words.get("SellerName")), seller_tax_id=text(words.get("SellerRegisterNum")),
        amount_without_tax=money(words.get("TotalAmount")), tax_amount=money(words.get("TotalTax")),
        total_with_tax=money(words.get("AmountInFiguers")), check_code=text(words.get("CheckCode")),
        machine_no=text(words.get("MachineCode")), remark=text(words.get("Remarks")), items=_items(words),
        status=_SIGNS.get((sign or "").upper(), InvoiceStatus.ABNORMAL), status_raw=sign,
    )
    return VerificationOutcome(status=status, record=record, provider="baidu", request_id=request_id,
                               checked_at=now, provider_code=code, message=zh)


class _TokenError(Exception):
    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable


class BaiduTaxVerifier:
    """A :class:`idp.ports.TaxInvoiceVerifier` over Baidu's OCR API (or the tax stand-in's Baidu routes)."""

    name = "baidu"

    def __init__(
        self, *, base_url: str, api_key: str, secret_key: str, timeout: httpx.Timeout,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._api_key, self._secret_key = api_key, secret_key
        self._clock = clock
        self._client = httpx.Client(timeout=timeout, follow_redirects=False)
        self._token: tuple[str, float] | None = None  #: (access token, clock value when it stops being used)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def _access_token(self) -> str:
        with self._lock:
            if self._token and self._clock() < self._token[1]:
                return self._token[0]
            params = {"grant_type": "client_credentials", "client_id": self._api_key,
                      "client_secret": self._secret_key}
            resp = self._client.post(f"{self._base}/oauth/2.0/token", params=params)
            try:
                body = resp.json()
            except ValueError as exc:
                raise _TokenError(f"HTTP {resp.status_code}", retryable=True) from exc
            if not isinstance(body, dict) or "access_token" not in body:
                reason = body
                if isinstance(body, dict):
                    reason = body.get("error_description") or body.get("error")
                raise _TokenError(str(reason), retryable=resp.status_code >= 500)
            lifetime = float(body.get("expires_in", 2592000))
            self._token = (str(body["access_token"]), self._clock() + max(lifetime - _TOKEN_MARGIN_S, 60.0))
            return self._token[0]

    def verify(self, query: InvoiceQuery, *, now: datetime) -> VerificationOutcome:
        try:
            fields = form(query)
        except ValueError:
            return unavailable("baidu", now=now, code="UnsupportedKind", retryable=False,
                               message=f"该服务不支持此发票种类：{query.kind}")
        for _ in range(2):  # the second round only after an invalid/expired token
            try:
                token = self._access_token()
                resp = self._client.post(f"{self._base}/rest/2.0/ocr/v1/vat_invoice_verification",
                                         params={"access_token": token}, data=fields)
            except _TokenError as exc:
                return unavailable("baidu", now=now, code="TokenError", retryable=exc.retryable,
                                   message=f"查验服务鉴权失败：{exc}")
            except httpx.HTTPError as exc:
                logger.warning("baidu verify %s: %r", query.invoice_key, exc)
                return unavailable("baidu", now=now, code=transport_code(exc), retryable=True,
                                   message=f"无法连接发票查验服务 ({type(exc).__name__})")
            try:
                payload = resp.json()
            except ValueError:
                payload = None
            if not isinstance(payload, dict):
                return unavailable("baidu", now=now, code=f"HTTP{resp.status_code}", retryable=True,
                                   message=f"发票查验服务返回异常 (HTTP {resp.status_code})")
            error = payload.get("error_code")
            if error is None:
                return parse_response(payload, query, now=now)
            if int(error) in _TOKEN_ERRORS:
                with self._lock:
                    self._token = None
                continue
            said = str(payload.get("error_msg", ""))
            return unavailable("baidu", now=now, code=str(error), retryable=int(error) in _RETRYABLE_ERRORS,
                               request_id=text(payload.get("log_id")),
                               message=f"发票查验服务返回错误：{error} {said}".strip())
        return unavailable("baidu", now=now, code="TokenExpired", retryable=True,
                           message="查验服务访问令牌连续失效")
