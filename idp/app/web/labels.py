"""What a person reads for a field, a document kind or a reason's value: ONE lookup for every screen.

Field and column labels come from the document schema (``idp.models.schema``), the one home of the vocabulary.
What is not a document field — the values a finding carries to explain itself (the borrower, a derived figure,
a row number) — is named in ``FINDING_VALUE_LABELS`` below, the only other table.
"""

from __future__ import annotations

import logging
import re

from idp.models import DocumentKind
from idp.models import schema as _schema

logger = logging.getLogger(__name__)

#: Keys of a finding's ``values`` that are not document fields (they explain the finding), in Chinese.
FINDING_VALUE_LABELS: dict[str, str] = {
    "borrower": "借款人", "buyer": "买方", "seller": "卖方", "today": "核对日期", "row": "行号",
    "derived": "推算值", "previous_balance": "上一笔余额", "expected": "应为", "difference": "差额",
    "invoice_seller": "发票销售方", "invoice_buyer": "发票购买方", "contract_seller": "合同卖方",
    "contract_buyer": "合同买方", "other_applications": "其他申请", "uscc": "统一社会信用代码",
    "service": "外部服务", "kind": "类型", "policy_version": "策略版本", "registry_name": "工商登记名称",
    "status": "状态", "invoiced": "发票合计", "contract_total": "合同总金额", "period": "期间",
    "window_days": "付款期限(天)", "goods": "货物", "words": "大写金额", "figures": "小写金额",
}
_ITEM = re.compile(r"items\[(\d+)\]\.(\w+)")
_KIND_LABELS = {DocumentKind.VAT_INVOICE.value: "增值税发票", DocumentKind.PURCHASE_CONTRACT.value: "购销合同",
                DocumentKind.BANK_STATEMENT.value: "银行流水", DocumentKind.UNKNOWN.value: "未识别文档",
                DocumentKind.OTHER.value: "其他文档"}


def field_label(kind: str | None, name: str) -> str:
    """The Chinese label of a field of a document of ``kind`` (line items as ``第 2 行 · 金额``)."""
    item = _ITEM.fullmatch(name)
    if item:
        return f"第 {int(item.group(1)) + 1} 行 · {item_label(item.group(2), kind)}"
    if name.startswith("items."):
        return f"明细 · {item_label(name[6:], kind)}"
    if _schema.field_spec(name, kind) is not None or name.partition(".")[0] in _schema.SECOND_SOURCES:
        return _schema.field_label(name, kind)
    label = FINDING_VALUE_LABELS.get(name)
    if label is None:
        logger.info("no label for field %r of %s", name, kind)
        return "其他信息"
    return label


def item_label(column: str, kind: str | None = None) -> str:
    spec = _schema.field_spec(f"items.{column}", kind)
    return spec.label if spec else FINDING_VALUE_LABELS.get(column, "其他列")


def kind_label(kind: str | None, subtype: str | None = None) -> str:
    """"增值税发票 · 数电票（增值税专用发票）" for a document's kind and subtype (never the internal names)."""
    label = _KIND_LABELS.get(kind or "", "未识别文档")
    sub = _schema.KIND_NAMES.get(subtype or "") if kind == DocumentKind.VAT_INVOICE.value else None
    return f"{label} · {sub}" if sub else label


def field_order(kind: str | None = None) -> dict[str, int]:
    """Known fields in form order (the schema's order for ``kind``, else every schema's in turn)."""
    schemas = [_schema.SCHEMAS[kind]] if kind in _schema.SCHEMAS else list(_schema.SCHEMAS.values())
    names = [f.name for s in schemas for f in s.fields]
    return {name: i for i, name in enumerate(dict.fromkeys(names))}
