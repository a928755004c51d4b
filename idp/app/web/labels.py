"""What a person reads for a field: ONE lookup (``field_label``) for every screen, fed from the label data the
policy keeps (``idp.policy.FIELD_LABELS``, ``ITEM_LABELS``) plus the names only the extractors use.

The document schema (``idp.models.schema``) will become the single source of these labels; only this module
changes then.
"""

from __future__ import annotations

import logging
import re

from idp.models import DocumentKind
from idp.policy import FIELD_LABELS, ITEM_LABELS

logger = logging.getLogger(__name__)

#: Names the extractors and checks use beyond the policy's list (contract and statement headers, layout facts).
_MORE: dict[str, str] = {
    "buyer": "买方", "seller": "卖方", "bank_branch": "开户网点", "valid_until": "有效期至",
    "delivery_terms": "交货条款", "delivery_place": "交货地点", "signature": "签字", "signed": "签署情况",
    "signatures": "签字", "seals": "印章", "title": "标题", "order": "排列顺序", "page_count": "页数",
    "transaction_count": "交易笔数", "total_credit": "贷方合计", "total_debit": "借方合计",
    "layout": "版式", "columns": "表格列", "invoice_kind_code": "发票种类代码", "tax_rate": "税率",
    "quantity": "数量", "goods": "货物", "goods_name": "货物名称", "unit_price": "单价", "price": "单价",
    "amount": "金额", "currency": "币种", "period": "期间", "account": "账户", "opening": "期初",
    "buyer_address": "买方地址", "seller_address": "卖方地址", "buyer_phone": "买方电话",
    "seller_phone": "卖方电话", "buyer_bank": "买方开户行", "seller_bank": "卖方开户行",
    "buyer_account": "买方账号", "seller_account": "卖方账号", "buyer_uscc": "买方统一社会信用代码",
    "seller_uscc": "卖方统一社会信用代码", "buyer_agent": "买方委托代理人", "seller_agent": "卖方委托代理人",
    "quality_terms": "质量标准", "acceptance_terms": "验收方式", "dispute_terms": "争议解决",
    "breach_terms": "违约责任", "transport_terms": "运输方式", "effective_date": "生效日期",
    "expiry_date": "到期日期", "total_amount_words": "合同总金额(大写)", "tax_included": "是否含税",
    "uscc": "统一社会信用代码", "name": "名称", "date": "日期", "time": "时间", "balance": "余额",
    "debit": "支出", "credit": "收入", "description": "摘要", "counterparty_name": "对方户名",
    "counterparty_account": "对方账号", "remark": "备注", "no": "序号", "file": "文件",
}
#: Prefixes of second sources: the label says where the value came from.
_SOURCES = {"qr": "二维码", "embedded": "电子数据", "authority": "查验结果", "registry": "工商登记"}
_ITEM = re.compile(r"items\[(\d+)\]\.(\w+)")
_KIND_LABELS = {DocumentKind.VAT_INVOICE.value: "增值税发票", DocumentKind.PURCHASE_CONTRACT.value: "购销合同",
                DocumentKind.BANK_STATEMENT.value: "银行流水", DocumentKind.UNKNOWN.value: "未识别文档",
                DocumentKind.OTHER.value: "其他文档"}
_SUBTYPE_LABELS = {"special": "专用发票", "normal": "普通发票", "digital": "数电发票", "electronic": "电子发票",
                   "roll": "卷式发票", "toll": "通行费发票"}


def field_label(kind: str | None, name: str) -> str:
    """The Chinese label of a field of a document of ``kind`` (line items as ``第 2 行 · 金额``)."""
    item = _ITEM.fullmatch(name)
    if item:
        return f"第 {int(item.group(1)) + 1} 行 · {item_label(item.group(2))}"
    if name.startswith("items."):
        return f"明细 · {item_label(name[6:])}"
    prefix, dot, rest = name.partition(".")
    if dot and prefix in _SOURCES:
        return f"{_SOURCES[prefix]} · {field_label(kind, rest)}"
    label = FIELD_LABELS.get(name) or _MORE.get(name)
    if label is None:
        logger.info("no label for field %r of %s", name, kind)
        return name
    return label


def item_label(column: str) -> str:
    return ITEM_LABELS.get(column) or _MORE.get(column) or column


def kind_label(kind: str | None, subtype: str | None = None) -> str:
    """"增值税发票 · 专用发票" for a document's kind and subtype (never the internal names)."""
    label = _KIND_LABELS.get(kind or "", "未识别文档")
    sub = _SUBTYPE_LABELS.get(subtype or "")
    return f"{label} · {sub}" if sub else label


def field_order() -> dict[str, int]:
    """Known fields in form order (the policy's list first)."""
    return {name: i for i, name in enumerate([*FIELD_LABELS, *_MORE])}
