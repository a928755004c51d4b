"""The decision policy: which fields must be present and confident, and which findings stop straight-through.

A wrong value must never pass straight through, so the default is strict: every required field present with
confidence at or above its threshold, and no finding of a blocking severity.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from idp.models import Decision, DecisionOutcome, Document, DocumentKind, DocumentStatus, Reason, Severity

#: Header fields a VAT invoice needs before anything can rely on it.
_INVOICE_REQUIRED = [
    "invoice_number",
    "issue_date",
    "buyer_name",
    "buyer_tax_id",
    "seller_name",
    "seller_tax_id",
    "amount_without_tax",
    "tax_amount",
    "total_with_tax",
    "total_in_words",
]

FIELD_LABELS: dict[str, str] = {
    "invoice_title": "发票名称",
    "invoice_kind": "发票种类",
    "invoice_code": "发票代码",
    "invoice_number": "发票号码",
    "issue_date": "开票日期",
    "check_code": "校验码",
    "machine_no": "机器编号",
    "buyer_name": "购买方名称",
    "buyer_tax_id": "购买方纳税人识别号",
    "seller_name": "销售方名称",
    "seller_tax_id": "销售方纳税人识别号",
    "amount_without_tax": "合计金额",
    "tax_amount": "合计税额",
    "total_with_tax": "价税合计(小写)",
    "total_in_words": "价税合计(大写)",
    "buyer_address_phone": "购买方地址、电话",
    "buyer_bank_account": "购买方开户行及账号",
    "seller_address_phone": "销售方地址、电话",
    "seller_bank_account": "销售方开户行及账号",
    "remarks": "备注",
    "payee": "收款人",
    "reviewer": "复核",
    "drawer": "开票人",
    "contract_number": "合同编号",
    "sign_date": "签订日期",
    "sign_place": "签订地点",
    "buyer_legal_rep": "买方法定代表人",
    "seller_legal_rep": "卖方法定代表人",
    "total_amount": "合同总金额",
    "delivery_date": "交货日期",
    "payment_terms": "付款方式",
    "seal_buyer": "买方盖章",
    "seal_seller": "卖方盖章",
    "account_holder": "户名",
    "account_number": "账号",
    "bank": "开户行",
    "currency": "币种",
    "period_start": "起始日期",
    "period_end": "截止日期",
    "opening_balance": "期初余额",
    "closing_balance": "期末余额",
}


#: Labels of line-item fields (``items[i].<key>``).
ITEM_LABELS: dict[str, str] = {
    "name": "项目名称",
    "spec": "规格型号",
    "unit": "单位",
    "quantity": "数量",
    "price": "单价",
    "amount": "金额",
    "tax_rate": "税率",
    "tax": "税额",
}
#: Buyer names that mean a private individual (printed instead of a company name).
_PRIVATE_BUYERS = frozenset({"个人", "个人(个人)"})
#: Field-name prefixes of second sources (QR code, embedded data): evidence to compare, not output.
_EVIDENCE_PREFIXES = ("qr.", "embedded.")


_KIND_LABELS = {
    DocumentKind.VAT_INVOICE: "增值税发票",
    DocumentKind.PURCHASE_CONTRACT: "购销合同",
    DocumentKind.BANK_STATEMENT: "银行流水",
}


class DecisionPolicy(BaseModel):
    version: str = "default-1"
    required_fields: dict[DocumentKind, list[str]] = Field(
        default_factory=lambda: {DocumentKind.VAT_INVOICE: list(_INVOICE_REQUIRED)}
    )
    #: Calibrated on the evaluation sets (``idp eval``): no wrong value at or above it.
    default_threshold: float = 0.95
    field_thresholds: dict[str, float] = Field(default_factory=dict)
    #: Every extracted value (not only the required ones, line items included) must reach its threshold:
    #: a wrong value anywhere must not pass straight through.
    check_all_fields: bool = True
    #: Threshold of line-item fields (``items[i].<key>``); None = ``default_threshold``.
    item_threshold: float | None = None
    blocking_severities: set[Severity] = Field(default_factory=lambda: {Severity.ERROR, Severity.WARNING})
    #: Document kinds that may pass without a person (others always go to review).
    automatable_kinds: set[DocumentKind] = Field(default_factory=lambda: {DocumentKind.VAT_INVOICE})

    def threshold(self, field: str) -> float:
        return self.field_thresholds.get(field, self.default_threshold)


def document_reasons(doc: Document, policy: DecisionPolicy) -> list[Reason]:
    """Everything that stops this document from passing straight through (empty list = it may pass)."""
    if doc.status == DocumentStatus.FAILED:
        return [
            Reason(
                code="document.processing_failed",
                message=f"文档处理失败: {doc.error or '未知错误'}",
                document_id=doc.id,
                severity="error",
            )
        ]
    extraction = doc.extraction
    if extraction is None or doc.kind in (DocumentKind.UNKNOWN, DocumentKind.OTHER):
        return [
            Reason(
                code="document.unclassified",
                message=f"无法识别文档类型 ({doc.filename}),需人工分类",
                document_id=doc.id,
                values={"kind": doc.kind.value},
                severity="warning",
            )
        ]
    reasons: list[Reason] = []
    if doc.kind not in policy.automatable_kinds:
        label = _KIND_LABELS.get(doc.kind, doc.kind.value)
        reasons.append(
            Reason(
                code="policy.manual_kind",
                message=f"按当前策略,{label}需人工审核 ({doc.filename})",
                document_id=doc.id,
                values={"kind": doc.kind.value, "policy_version": policy.version},
                severity="warning",
            )
        )
    for name in policy.required_fields.get(doc.kind, []):
        field = extraction.fields.get(name)
        label = FIELD_LABELS.get(name, name)
        if field is None or field.value in (None, ""):
            if name == "invoice_code" and _is_digital(extraction.value("invoice_number")):
                continue
            if name == "buyer_tax_id" and extraction.value("buyer_name") in _PRIVATE_BUYERS:
                continue  # a private individual has no taxpayer id
            reasons.append(
                Reason(
                    code="field.missing",
                    message=f"缺少必填字段: {label}",
                    fields=[name],
                    document_id=doc.id,
                    severity="error",
                )
            )
        elif field.confidence < policy.threshold(name):
            reasons.append(
                Reason(
                    code="field.low_confidence",
                    message=f"字段置信度不足: {label} = {field.value} (置信度 {field.confidence:.2f} < "
                    f"{policy.threshold(name):.2f})",
                    fields=[name],
                    values={name: field.value},
                    document_id=doc.id,
                    severity="warning",
                )
            )
    if policy.check_all_fields:
        reasons += _other_fields(doc, policy)
    for finding in doc.findings:
        if finding.severity in policy.blocking_severities:
            reasons.append(
                Reason(
                    code=finding.rule_id,
                    message=finding.message,
                    fields=finding.fields,
                    values=finding.values,
                    document_id=doc.id,
                    severity=finding.severity.value,
                )
            )
    return reasons


def decide(documents: list[Document], policy: DecisionPolicy, *, now: datetime) -> Decision:
    """Straight through only if no document has a reason to stop; otherwise review, with every reason."""
    reasons: list[Reason] = []
    if not documents:
        reasons.append(Reason(code="application.no_documents", message="申请未上传任何文档", severity="error"))
    for doc in documents:
        if doc.status == DocumentStatus.DUPLICATE:
            continue
        reasons.extend(document_reasons(doc, policy))
    outcome = DecisionOutcome.REVIEW if reasons else DecisionOutcome.STRAIGHT_THROUGH
    return Decision(outcome=outcome, reasons=reasons, policy_version=policy.version, decided_at=now)


def _low(
    doc: Document, name: str, label: str, value: str | None, confidence: float, threshold: float
) -> Reason:
    return Reason(
        code="field.low_confidence",
        message=f"字段置信度不足: {label} = {value} (置信度 {confidence:.2f} < {threshold:.2f})",
        fields=[name],
        values={name: value},
        document_id=doc.id,
        severity="warning",
    )


def _other_fields(doc: Document, policy: DecisionPolicy) -> list[Reason]:
    """Low-confidence reasons for the values the required-field loop did not look at, items included."""
    assert doc.extraction is not None
    required = set(policy.required_fields.get(doc.kind, []))
    out = []
    for name, field in doc.extraction.fields.items():
        if name in required or name.startswith(_EVIDENCE_PREFIXES) or field.value in (None, ""):
            continue
        if field.confidence < policy.threshold(name):
            out.append(_low(doc, name, FIELD_LABELS.get(name, name), field.value, field.confidence,
                            policy.threshold(name)))
    limit = policy.item_threshold if policy.item_threshold is not None else policy.default_threshold
    for index, item in enumerate(doc.extraction.items):
        for key, field in item.items():
            threshold = policy.field_thresholds.get(f"items.{key}", limit)
            if field.value not in (None, "") and field.confidence < threshold:
                label = f"第{index + 1}行{ITEM_LABELS.get(key, key)}"
                name = f"items[{index}].{key}"
                out.append(_low(doc, name, label, field.value, field.confidence, threshold))
    return out


def _is_digital(number: str | None) -> bool:
    return bool(number) and len(number or "") == 20


class CrossCheckParams(BaseModel):
    """Tolerances of cross-document checks (domain.md §6.1); part of the policy, so per client/product."""

    #: invoices may exceed the contract total by this share before it is a finding
    invoice_over_contract_tolerance: Decimal = Decimal("0")
    #: a payment may come this many days before / after its invoice date
    payment_window_days_before: int = 30
    payment_window_days_after: int = 90
    #: money difference still counted as the same payment
    payment_amount_tolerance: Decimal = Decimal("0.01")
    #: most payments summed to match one invoice (instalments)
    max_instalments: int = 4
    #: similarity (0..1) at which an invoice line's goods match a contract line
    goods_similarity: float = 0.5
