"""The decision, made once from every finding under a policy: straight through only when no document and nothing
about the application as a whole has a reason to stop; otherwise review, with every reason (rule id, fields,
values). What a policy says is :mod:`idp.policy`; which values the decision rests on is the schema's.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from idp.models import (
    Confirmation,
    Decision,
    DecisionOutcome,
    Document,
    DocumentKind,
    DocumentStatus,
    ExtractedField,
    FieldSource,
    Finding,
    Reason,
)
from idp.models.schema import SECOND_READINGS, ValueType, field_label, field_spec, schema_for
from idp.policy import DecisionPolicy

#: Buyer names that mean a private individual (printed instead of a company name).
_PRIVATE_BUYERS = frozenset({"个人", "个人(个人)"})
_KIND_LABELS = {
    DocumentKind.VAT_INVOICE: "增值税发票",
    DocumentKind.PURCHASE_CONTRACT: "购销合同",
    DocumentKind.BANK_STATEMENT: "银行流水",
}


def document_reasons(doc: Document, policy: DecisionPolicy, payments: Collection[int] | None = None) -> list[Reason]:
    """Everything that stops this document from passing straight through (empty list = it may pass).

    ``payments``: a statement's rows (0-based) the application's decision takes as invoices' payments; None when
    the document is judged alone (every row's amount then counts)."""
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
        # a part of a split file names its pages in the file (第3–4页), so the reviewer knows which to classify
        span = "" if doc.page_from is None else f"第{doc.page_from}页"
        if doc.page_from is not None and doc.page_to not in (None, doc.page_from):
            span = f"第{doc.page_from}–{doc.page_to}页"
        return [
            Reason(
                code="document.unclassified",
                message=f"{span}无法识别文档类型 ({doc.filename}),需人工分类",
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
        label = field_label(name, doc.kind.value)
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
        else:
            reasons += _unsure(doc, name, field, policy.threshold(name), policy)
    if policy.check_all_fields:
        reasons += _other_fields(doc, policy, payments)
    if doc.kind in policy.confirm_decisive:
        reasons += _unconfirmed_decisive(doc, policy)
    reasons += [_finding_reason(f, doc.id) for f in doc.findings if policy.blocks(f)]
    return reasons


def _unconfirmed_decisive(doc: Document, policy: DecisionPolicy) -> list[Reason]:
    """Decisive values no independent source confirmed (one reason per field; line items per column)."""
    assert doc.extraction is not None
    schema = schema_for(doc.kind.value)
    if schema is None:
        return []
    out: list[Reason] = []
    for spec in schema.fields:
        field = doc.extraction.fields.get(spec.name)
        if spec.decisive and spec.type is not ValueType.FLAG and field is not None and field.value \
                and not field.confirmed_by:
            out.append(_unconfirmed(doc, spec.name, field.value))
    for column in (c for c in schema.items if c.decisive):
        rows = [i for i, item in enumerate(doc.extraction.items)
                if item.get(column.name) is not None and item[column.name].value and not item[column.name].confirmed_by]
        if rows:
            name = f"items[{rows[0]}].{column.name}"
            out.append(_unconfirmed(doc, name, doc.extraction.items[rows[0]][column.name].value,
                                    more=len(rows) - 1))
    return out


def _unconfirmed(doc: Document, name: str, value: str | None, *, more: int = 0) -> Reason:
    label = field_label(name, doc.kind.value)
    extra = f" (另有 {more} 行同列未经印证)" if more else ""
    return Reason(code="field.unconfirmed",
                  message=f"决策依据的值未经任何独立来源印证: {label} = {value}{extra}",
                  fields=[name], values={name: value}, document_id=doc.id, severity="warning")


def decide(documents: list[Document], policy: DecisionPolicy, *, now: datetime,
           application_findings: Sequence[Finding] = (),
           payments: Mapping[str, Collection[int]] | None = None) -> Decision:
    """The decision, made once from every finding: straight through only if no document and nothing about
    the application as a whole has a reason to stop; otherwise review, with every reason. ``payments``: per
    statement id, the rows taken as invoices' payments (see :func:`document_reasons`)."""
    reasons: list[Reason] = []
    if not documents:
        reasons.append(Reason(code="application.no_documents", message="申请未上传任何文档", severity="error"))
    for doc in documents:
        if doc.status == DocumentStatus.DUPLICATE:
            continue
        reasons.extend(document_reasons(doc, policy, None if payments is None else payments.get(doc.id, ())))
    reasons += [_finding_reason(f) for f in application_findings if policy.blocks(f)]
    outcome = DecisionOutcome.REVIEW if reasons else DecisionOutcome.STRAIGHT_THROUGH
    return Decision(outcome=outcome, reasons=reasons, policy_version=policy.version, decided_at=now)


def _finding_reason(finding: Finding, document_id: str | None = None) -> Reason:
    return Reason(code=finding.rule_id, message=finding.message, fields=finding.fields, values=finding.values,
                  document_id=document_id if document_id is not None else finding.document_id,
                  severity=finding.severity.value)
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




def _gates(name: str, kind: str, policy: DecisionPolicy) -> bool:
    """Whether a value stops straight-through when unsure: everything but the schema's free text, unless the
    policy names it."""
    spec = field_spec(name, kind)
    column = f"items.{name.rsplit('.', 1)[-1]}" if name.startswith("items") else name
    return spec is None or not spec.informational or column in policy.gated_fields


def _verified_with(doc: Document, name: str) -> bool:
    """A verification credential (校验码) of an invoice whose number and date the tax authority's record
    confirmed: the verification it exists for is done."""
    spec = field_spec(name, doc.kind.value)
    if spec is None or not spec.verification_key or doc.extraction is None:
        return False
    fields = doc.extraction.fields
    return all(key in fields and Confirmation.TAX_AUTHORITY in fields[key].confirmed_by
               for key in ("invoice_number", "issue_date"))


def _unused_amount(name: str, kind: str, index: int, payments: Collection[int] | None,
                   policy: DecisionPolicy) -> bool:
    """A transaction's amount on a row the decision does not take as a payment (nothing uses it)."""
    spec = field_spec(name, kind)
    return spec is not None and spec.payment and payments is not None and index not in payments \
        and not policy.unmatched_amounts_gate


def _other_fields(doc: Document, policy: DecisionPolicy, payments: Collection[int] | None) -> list[Reason]:
    """Low-confidence reasons for the gating values the required-field loop did not look at, items included
    (a transaction's amount only where the row is taken as a payment, when ``payments`` is known)."""
    assert doc.extraction is not None
    kind = doc.kind.value
    required = set(policy.required_fields.get(doc.kind, []))
    out = []
    for name, field in doc.extraction.fields.items():
        if name in required or name.startswith(SECOND_READINGS) or field.value in (None, ""):
            continue
        if _gates(name, kind, policy) and not _verified_with(doc, name):
            out += _unsure(doc, name, field, policy.threshold(name), policy)
    limit = policy.item_threshold if policy.item_threshold is not None else policy.default_threshold
    for index, item in enumerate(doc.extraction.items):
        for key, field in item.items():
            name = f"items[{index}].{key}"
            if field.value not in (None, "") and _gates(name, kind, policy) and \
                    not _unused_amount(name, kind, index, payments, policy):
                out += _unsure(doc, name, field, policy.field_thresholds.get(f"items.{key}", limit), policy)
    return out


def _unsure(doc: Document, name: str, field: ExtractedField, threshold: float,
            policy: DecisionPolicy) -> list[Reason]:
    """Why a value may not pass: under its threshold, or read by OCR alone with nothing confirming it."""
    label = field_label(name, doc.kind.value)
    if field.confidence < threshold:
        return [_low(doc, name, label, field.value, field.confidence, threshold)]
    if policy.ocr_needs_confirmation and field.source == FieldSource.OCR and not field.confirmed_by:
        return [Reason(code="field.ocr_unconfirmed",
                       message=f"仅凭文字识别(OCR)读出、未经任何独立来源印证: {label} = {field.value}",
                       fields=[name], values={name: field.value}, document_id=doc.id, severity="warning")]
    return []


def _is_digital(number: str | None) -> bool:
    return bool(number) and len(number or "") == 20
