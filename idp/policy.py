"""The decision policy: which fields must be present and confident, and which findings stop straight-through.

A wrong value must never pass straight through, so the default is strict: every required field present with
confidence at or above its threshold, and no finding of a blocking severity.
"""

from __future__ import annotations

from datetime import datetime

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
}


class DecisionPolicy(BaseModel):
    version: str = "default-1"
    required_fields: dict[DocumentKind, list[str]] = Field(
        default_factory=lambda: {DocumentKind.VAT_INVOICE: list(_INVOICE_REQUIRED)}
    )
    default_threshold: float = 0.90
    field_thresholds: dict[str, float] = Field(default_factory=dict)
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
    if extraction is None or doc.kind not in policy.automatable_kinds:
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
    for name in policy.required_fields.get(doc.kind, []):
        field = extraction.fields.get(name)
        label = FIELD_LABELS.get(name, name)
        if field is None or field.value in (None, ""):
            if name == "invoice_code" and _is_digital(extraction.value("invoice_number")):
                continue
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


def _is_digital(number: str | None) -> bool:
    return bool(number) and len(number or "") == 20
