"""What the authorities say: the tax authority's record of an invoice, the registry's record of a company.

Also the question sent to 发票查验 (:class:`InvoiceQuery`) and the per-kind rule of domain.md §1.6 that
says which of the check code or which amount a verification needs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from idp.models.fields import ExtractedDocument

#: China has one time zone and no daylight saving; "today" for the tax authority is a Beijing date.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
#: 普票 family: the verification sends the last 6 digits of the 20-digit 校验码.
CHECK_CODE_KINDS = frozenset({"04", "10", "11", "14"})
#: 专票 family, 货运专票 and 机动车: the verification sends 合计金额 (excluding tax).
NET_AMOUNT_KINDS = frozenset({"01", "02", "03", "08"})
#: 数电票 kinds (no 发票代码, 20-digit number).
DIGITAL_KINDS = frozenset({"31", "32", "51", "61", "83", "84"})
#: 数电 sends 价税合计 and 二手车 sends 车价合计: both are the amount including tax.
GROSS_AMOUNT_KINDS = DIGITAL_KINDS | {"15"}
_CENT = Decimal("0.01")


def china_date(at: datetime) -> date:
    """The Beijing calendar date of an aware instant (naive instants are taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(CHINA_TZ).date()


def cents(value: Decimal | str) -> Decimal:
    """An amount rounded to the fen with ROUND_HALF_UP (the form sent to and compared with providers)."""
    try:
        return Decimal(str(value).strip().replace(",", "")).quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"金额格式不正确 (invalid amount): {value!r}") from exc


def verification_key(
    kind: str, *, check_code: str | None, amount_without_tax: Decimal | None, total_with_tax: Decimal | None
) -> tuple[str | None, Decimal | None]:
    """(last 6 of the check code, amount) that a verification of this kind needs (domain.md §1.6).

    Raises ValueError when the kind is not verifiable or the value it needs is missing.

    >>> verification_key("10", check_code="54679366021354323148",
    ...                  amount_without_tax=None, total_with_tax=None)
    ('323148', None)
    >>> verification_key("31", check_code=None,
    ...                  amount_without_tax=Decimal("1"), total_with_tax=Decimal("1.13"))
    (None, Decimal('1.13'))
    """
    if kind in CHECK_CODE_KINDS:
        digits = "".join(ch for ch in check_code or "" if ch.isdigit())
        if len(digits) < 6:
            raise ValueError(f"该类发票查验需要校验码后六位 (check code needed for kind {kind})")
        return digits[-6:], None
    if kind in NET_AMOUNT_KINDS:
        if amount_without_tax is None:
            raise ValueError(f"该类发票查验需要不含税金额 (amount without tax needed for kind {kind})")
        return None, cents(amount_without_tax)
    if kind in GROSS_AMOUNT_KINDS:
        if total_with_tax is None:
            raise ValueError(f"该类发票查验需要价税合计 (total with tax needed for kind {kind})")
        return None, cents(total_with_tax)
    raise ValueError(f"不支持查验的发票种类 (unsupported invoice kind {kind!r})")


class InvoiceQuery(BaseModel):
    """One question to 发票查验: which invoice, and the check code or amount that proves we hold it."""

    model_config = {"frozen": True}

    kind: str = Field(description="发票种类代码, e.g. 10, 08, 31")
    code: str | None = Field(default=None, description="发票代码 (10/12 digits; None for 数电)")
    number: str = Field(description="发票号码 (8 digits; 20 for 数电)")
    issue_date: date
    check_code: str | None = Field(default=None, description="last 6 digits of the 校验码 (普票 family)")
    amount: Decimal | None = Field(default=None, description="amount per the §1.6 per-kind rule")

    @field_validator("number")
    @classmethod
    def _number_digits(cls, value: str) -> str:
        if not value.isdigit() or len(value) not in (8, 20):
            raise ValueError("发票号码应为 8 位或 20 位数字 (invoice number must be 8 or 20 digits)")
        return value

    @classmethod
    def build(
        cls, *, kind: str, code: str | None, number: str, issue_date: date, check_code: str | None = None,
        amount_without_tax: Decimal | str | None = None, total_with_tax: Decimal | str | None = None,
    ) -> InvoiceQuery:
        """Apply the per-kind rule to the values printed on an invoice."""
        net = cents(amount_without_tax) if amount_without_tax not in (None, "") else None
        gross = cents(total_with_tax) if total_with_tax not in (None, "") else None
        check, amount = verification_key(kind, check_code=check_code, amount_without_tax=net,
                                         total_with_tax=gross)
        return cls(kind=kind, code=None if kind in DIGITAL_KINDS else (code or None), number=number,
                   issue_date=issue_date, check_code=check, amount=amount)

    @classmethod
    def from_document(cls, doc: ExtractedDocument) -> InvoiceQuery:
        """The query for an extracted VAT invoice (fields as the VAT extractor names them)."""
        kind, number, issued = doc.value("invoice_kind"), doc.value("invoice_number"), doc.value("issue_date")
        if not kind or not number or not issued:
            raise ValueError("查验需要发票种类、号码和开票日期 (kind, number and date needed)")
        return cls.build(kind=kind, code=doc.value("invoice_code"), number=number,
                         issue_date=date.fromisoformat(issued), check_code=doc.value("check_code"),
                         amount_without_tax=doc.value("amount_without_tax"),
                         total_with_tax=doc.value("total_with_tax"))

    @property
    def invoice_key(self) -> str:
        """Identifies the invoice (not the question): what the 5-a-day limit counts."""
        return f"{self.code or ''}:{self.number}"

    @property
    def cache_key(self) -> str:
        """Identifies the question: the same key means the same answer."""
        amount = "" if self.amount is None else str(cents(self.amount))
        day = self.issue_date.isoformat()
        return f"{self.kind}:{self.invoice_key}:{day}:{self.check_code or ''}:{amount}"


class InvoiceStatus(StrEnum):
    NORMAL = "normal"  #: 正常
    VOID = "void"  #: 作废
    RED_FLUSHED = "red_flushed"  #: 红冲 (全额)
    PARTIALLY_RED_FLUSHED = "partially_red_flushed"  #: 部分红冲
    #: 失控/异常凭证, or a status we do not know (an unknown status is never read as normal)
    ABNORMAL = "abnormal"


INVOICE_STATUS_LABELS: dict[InvoiceStatus, str] = {
    InvoiceStatus.NORMAL: "正常",
    InvoiceStatus.VOID: "作废",
    InvoiceStatus.RED_FLUSHED: "红冲",
    InvoiceStatus.PARTIALLY_RED_FLUSHED: "部分红冲",
    InvoiceStatus.ABNORMAL: "异常",
}


class TaxInvoiceItem(BaseModel):
    name: str
    spec: str | None = None
    unit: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    tax_rate: str | None = None
    tax_amount: Decimal | None = None


class TaxInvoiceRecord(BaseModel):
    """The invoice as the tax authority recorded it; a field the provider left empty is None."""

    kind: str | None = None
    code: str | None = None
    number: str
    issue_date: date | None = None
    buyer_name: str | None = None
    buyer_tax_id: str | None = None
    seller_name: str | None = None
    seller_tax_id: str | None = None
    amount_without_tax: Decimal | None = None
    tax_amount: Decimal | None = None
    total_with_tax: Decimal | None = None
    check_code: str | None = None
    machine_no: str | None = None
    remark: str | None = None
    items: list[TaxInvoiceItem] = Field(default_factory=list)
    status: InvoiceStatus
    status_raw: str | None = Field(default=None, description="the provider's own status (IsAbandoned …)")


class VerificationStatus(StrEnum):
    FOUND = "found"  #: the authority has the invoice and the key fields agree; see record.status
    NOT_FOUND = "not_found"  #: 查无此票
    MISMATCH = "mismatch"  #: 不一致: the invoice exists but the check code or amount differs
    NOT_YET_VERIFIABLE = "not_yet_verifiable"  #: issued today: check again from tomorrow
    TOO_OLD = "too_old"  #: older than the 5-year window: cannot be checked
    QUOTA_EXCEEDED = "quota_exceeded"  #: 超过查验次数 today: check again tomorrow
    UNAVAILABLE = "unavailable"  #: the provider could not answer now


#: Answers about the invoice itself; only these are cached.
FINAL_STATUSES = frozenset(
    {VerificationStatus.FOUND, VerificationStatus.NOT_FOUND, VerificationStatus.MISMATCH}
)


class VerificationOutcome(BaseModel):
    status: VerificationStatus
    record: TaxInvoiceRecord | None = None
    provider: str
    request_id: str | None = None
    checked_at: datetime
    provider_code: str | None = Field(default=None, description="the provider's result or error code")
    message: str = Field(default="", description="Chinese-first message a reviewer reads")
    retryable: bool = Field(default=False, description="unavailable: trying again soon may succeed")
    retry_at: datetime | None = Field(default=None, description="earliest time a new check makes sense")
    from_cache: bool = False

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES


class CompanyStatus(StrEnum):
    ACTIVE = "active"  #: 存续 / 在业 / 开业
    CANCELLED = "cancelled"  #: 注销
    REVOKED = "revoked"  #: 吊销
    OTHER = "other"  #: 迁出, 停业, 清算 … (not OK for lending)


def company_status(raw: str | None) -> CompanyStatus:
    """Map a registry's status text by substring (吊销 first: "吊销，未注销" is revoked)."""
    text = raw or ""
    if "吊销" in text:
        return CompanyStatus.REVOKED
    if "注销" in text:
        return CompanyStatus.CANCELLED
    if any(word in text for word in ("存续", "在业", "开业", "在营", "在册")):
        return CompanyStatus.ACTIVE
    return CompanyStatus.OTHER


class CompanyRecord(BaseModel):
    """A company as the business registry (工商) records it, normalised across providers (domain.md §7.3)."""

    name: str
    former_names: list[str] = Field(default_factory=list)
    uscc: str | None = None
    legal_rep: str | None = None
    status_raw: str | None = None
    status: CompanyStatus
    established: date | None = None
    term_from: date | None = None
    term_to: date | None = Field(default=None, description="None: no end (长期)")
    reg_capital_text: str | None = None
    scope: str | None = None
    address: str | None = None
    source: str
    fetched_at: datetime
