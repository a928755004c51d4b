"""Buyer and seller blocks of a VAT invoice: name, taxpayer id, address/phone, bank and account.

Parties are told apart by block order (buyer top/left, seller bottom/right); each value is read right of its
label and never across a vertical block label (密码区, 备注, 销售方), so the cipher block stays out.
"""

from __future__ import annotations

import re

from extractors.invoice.fields import BELOW, SURE, make_field
from extractors.text.layout import Box, Layout, Span
from extractors.text.patterns import cjk_text, squash, tax_id
from idp.models import ExtractedField

_NAME = re.compile(r"(?<![目务物品户])名称")
_TAX_ID = re.compile(r"(?:统一社会信用代码/?)?纳.人识别号")
_ADDRESS = re.compile(r"地址、?电话")
_BANK = re.compile(r"开户行及[账帐]号")
#: Vertical block labels: first character → the characters that may be printed under it.
BLOCK_MARKERS = {"密": "码", "备": "注", "销": "售货", "购": "买货"}
#: Another label on the same row ends a party value (数电 prints buyer and seller side by side).
_OTHER_LABEL = re.compile(r"名\s*称|纳税人识别号|统一社会信用代码|销售方|购买方|地\s*址|开户行|密\s*码")
#: How far (text heights) a party's lower labels may sit left or right of its 名称 label.
_ALIGN = 4.0


def x_limit(layout: Layout, label: Span, edges: list[Box]) -> float:
    """Where the block of ``label`` ends: the nearest vertical block label (密码区, 备注, 销售方) after it."""
    box = label.box
    limits = [e.x0 for e in edges if e.x0 > box.x1 and e.y0 - 3 * layout.h <= box.cy <= e.y1 + 3 * layout.h]
    return min(limits, default=float("inf"))


def read_parties(layout: Layout) -> dict[str, ExtractedField]:
    """``buyer_*`` and ``seller_*`` fields: name, tax_id, address_phone, bank_account."""
    names = layout.find(_NAME)
    edges = layout.block_edges(BLOCK_MARKERS)
    out: dict[str, ExtractedField] = {}
    labels = {
        key: layout.find(pattern)
        for key, pattern in (("tax_id", _TAX_ID), ("address_phone", _ADDRESS), ("bank_account", _BANK))
    }
    for role, label in zip(("buyer", "seller"), names[:2], strict=False):
        x_max = x_limit(layout, label, edges)
        span = layout.right_of(label, first_gap=4.0, next_gap=2.0, x_max=x_max, stop=_OTHER_LABEL)
        if span is not None:
            out[f"{role}_name"] = make_field(layout, f"{role}_name", cjk_text(span.text), span, SURE)
        others = [n for n in names[:2] if n is not label]
        for key, found in labels.items():
            below = _own_label(layout, label, found, others)
            if below is None:
                continue
            field = _read_value(layout, key, f"{role}_{key}", below, edges)
            if field is not None:
                out[field.name] = field
    return out


def _own_label(layout: Layout, name: Span, found: list[Span], others: list[Span]) -> Span | None:
    """The nearest label under this party's 名称 (same column, above the other party's block if below it)."""
    limit = min((o.box.y0 for o in others if o.box.y0 > name.box.cy + layout.h), default=float("inf"))
    below = [
        t for t in found if name.box.cy < t.box.y0 < limit and abs(t.box.x0 - name.box.x0) < _ALIGN * layout.h
    ]
    return min(below, key=lambda t: t.box.y0) if below else None


def _read_value(layout: Layout, key: str, name: str, label: Span, edges: list[Box]) -> ExtractedField | None:
    x_max = x_limit(layout, label, edges)
    if key == "tax_id":
        span, confidence = layout.right_of(label, first_gap=4.0, next_gap=1.0, x_max=x_max), SURE
        if span is None or tax_id(span.text) is None:
            span, confidence = layout.below(label, max_gap=1.0, reach=2.0), BELOW
        value = tax_id(span.text) if span is not None else None
        return make_field(layout, name, value, span if value else None, confidence)
    span = layout.right_of(label, first_gap=4.0, next_gap=3.0, x_max=x_max, stop=_OTHER_LABEL)
    if span is None or not span.text.strip():
        return None
    return make_field(layout, name, squash(span.text), span, SURE)
