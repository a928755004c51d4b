"""Buyer and seller blocks of a VAT invoice: name, taxpayer id, address/phone, bank and account.

Each label (the schema's party words: 名称, 纳税人识别号 …) belongs to the party whose role marker (购/销 of
购买方, 购货单位, 销售方 …, printed down the block's left edge or as a heading) is nearest to its left on its
band of rows; with no markers on the page, the first occurrence of a label is the buyer's and the second the
seller's. Each value is read right of its label and never across a vertical block label (密码区, 备注, 销售方),
so the cipher block stays out.
"""

from __future__ import annotations

import re

from extractors.invoice.fields import BELOW, SURE, band_chars, make_field, right_of_clean
from extractors.text.layout import Box, Layout, Span
from extractors.text.patterns import squash
from idp.models import ExtractedField
from idp.models.schema import BUYER_WORDS, SELLER_WORDS
from idp.models.schema.values import normalise_name

#: A 名称 label (not 项目名称 / 货物名称); a lone 称: whose 名 the reader lost or moved to another row.
_NAME = re.compile(r"(?<![目务物品户])名\s*称|(?<![名目务物品户称])称(?=[:：;；])")
_TAX_ID = re.compile(r"(?:统一社会信用代码/?)?纳.人识别号")
_ADDRESS = re.compile(r"地址、?电话")
_BANK = re.compile(r"开户(?:银)?行及[账帐]号")
#: A taxpayer id anywhere in the text right of its label (a stray character may come first).
_TAX_ID_VALUE = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{15,20}(?![0-9A-Z])")
#: Vertical block labels: first character → the characters that may be printed under it.
BLOCK_MARKERS = {"密": "码", "备": "注", "销": "售货", "购": "买货"}
#: Another label on the same row ends a party value (数电 prints buyer and seller side by side).
_OTHER_LABEL = re.compile(r"名\s*称|纳税人识别号|统一社会信用代码|销售方|购买方|地\s*址|开户行|密\s*码")
#: How far (text heights) a party's lower labels may sit left or right of its 名称 label.
_ALIGN = 4.0
#: First characters of the role words (购 of 购买方/购货单位/购方, 销 of 销售方/销货单位/销方).
_ROLE_START = {"buyer": "购", "seller": "销"}
#: A role marker's block reaches this many text heights below its first character (a word printed downwards).
_BLOCK_REACH = 5.5
_KEYS = (("name", _NAME), ("tax_id", _TAX_ID), ("address_phone", _ADDRESS), ("bank_account", _BANK))


def x_limit(layout: Layout, label: Span, edges: list[Box]) -> float:
    """Where the block of ``label`` ends: the nearest vertical block label (密码区, 备注, 销售方) after it."""
    box = label.box
    limits = [e.x0 for e in edges if e.x0 > box.x1 and e.y0 - 3 * layout.h <= box.cy <= e.y1 + 3 * layout.h]
    return min(limits, default=float("inf"))


def read_parties(layout: Layout) -> dict[str, ExtractedField]:
    """``buyer_*`` and ``seller_*`` fields: name, tax_id, address_phone, bank_account."""
    edges = layout.block_edges(BLOCK_MARKERS)
    anchors = _role_anchors(layout)
    out: dict[str, ExtractedField] = {}
    for key, pattern in _KEYS:
        found = layout.find(pattern)
        roles = [_role_of(layout, span, anchors) for span in found] if anchors else []
        if not anchors or None in roles:
            roles = ["buyer", "seller"][: len(found)]  # no markers: buyer first, seller second
        elif len(found) == 2 and roles[0] == roles[1]:
            roles = _in_marker_order(found, anchors)  # both within one marker's reach: one label each
        for role, label in zip(roles, found, strict=False):
            name = f"{role}_{key}"
            if name in out:
                continue
            field = _read_value(layout, key, name, label, edges)
            if field is not None:
                note = [f"右邻标签「{label.text}」", _role_note(role, anchors)]
                out[name] = field.model_copy(update={"evidence": note})
    return out


def _in_marker_order(labels: list[Span], anchors: list[tuple[str, Box]]) -> list[str]:
    """The roles of two labels of one key that the markers' reach could not tell apart (a role word printed
    across the middle of its block reaches the next block's first row): the labels in the order the markers
    are printed, down the page when the blocks are stacked, else across it."""
    first = dict(reversed(anchors))  # each role's first marker
    buyer, seller = first["buyer"], first["seller"]
    across = abs(buyer.cx - seller.cx) > abs(buyer.cy - seller.cy)

    def at(box: Box) -> float:
        return box.cx if across else box.cy

    order = ["buyer", "seller"] if at(buyer) <= at(seller) else ["seller", "buyer"]
    return order if at(labels[0].box) <= at(labels[1].box) else order[::-1]


def _role_note(role: str, anchors: list[tuple[str, Box]]) -> str:
    word = "购买方" if role == "buyer" else "销售方"
    return f"{word}区块（角色标记）" if anchors else f"{word}（标签出现顺序）"


def _role_anchors(layout: Layout) -> list[tuple[str, Box]]:
    """(role, box) of each role marker: a word starting with 购 / 销 that reads as a role word, or a lone
    character of a vertical block label."""
    out = []
    for text, box in layout.words:
        word = text.strip()
        for role, start in _ROLE_START.items():
            words = BUYER_WORDS if role == "buyer" else SELLER_WORDS
            if word[:1] == start and (len(word) == 1 or any(word.startswith(w) for w in words)):
                out.append((role, box))
    roles = {r for r, _ in out}
    return out if roles == {"buyer", "seller"} else []


def _role_of(layout: Layout, label: Span, anchors: list[tuple[str, Box]]) -> str | None:
    """The role whose marker is left of ``label`` on its band of rows, nearest first by rows then by x."""
    box = label.box
    best: tuple[float, float, str] | None = None
    for role, anchor in anchors:
        if anchor.x0 > box.x0 + layout.h:
            continue
        top, bottom = anchor.y0 - 1.5 * layout.h, anchor.y0 + _BLOCK_REACH * max(layout.h, anchor.h)
        rows = 0.0 if top <= box.cy <= bottom else min(abs(box.cy - top), abs(box.cy - bottom))
        key = (rows, box.x0 - anchor.x1, role)
        if best is None or key < best:
            best = key
    return best[2] if best is not None and best[0] <= 3 * layout.h else None


def _read_value(layout: Layout, key: str, name: str, label: Span, edges: list[Box]) -> ExtractedField | None:
    x_max = x_limit(layout, label, edges)
    if key == "tax_id":
        span, confidence = right_of_clean(layout, label, first_gap=4.0, next_gap=1.0, x_max=x_max), SURE
        found = _tax_id_in(span)
        if found is None:  # a stray character (a label's lost half) between the label and the id
            band = [c for c in band_chars(layout, label.box, x_min=label.box.x1) if c.box.cx <= x_max]
            span = layout.span(band) if band else None
            found = _tax_id_in(span)
        if found is None:
            span, confidence = layout.below(label, max_gap=1.0, reach=2.0), BELOW
            found = _tax_id_in(span)
        if found is None or span is None:
            return make_field(layout, name, None, None, confidence)
        value, start, end = found
        return make_field(layout, name, value, span.part(start, end), confidence)
    if key == "name":
        span = right_of_clean(layout, label, first_gap=4.0, next_gap=2.0, x_max=x_max, stop=_OTHER_LABEL)
        if span is None:
            return None
        return make_field(layout, name, normalise_name(span.text), span, SURE)
    span = right_of_clean(layout, label, first_gap=4.0, next_gap=3.0, x_max=x_max, stop=_OTHER_LABEL)
    if span is None or not span.text.strip():
        return None
    return make_field(layout, name, squash(span.text), span, SURE)


def _tax_id_in(span: Span | None) -> tuple[str, int, int] | None:
    """The taxpayer id in a span's text (upper-cased), with where it is in the text; None if there is none."""
    if span is None:
        return None
    text = span.text.upper()
    compact_to_text = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = "".join(text[i] for i in compact_to_text)
    m = _TAX_ID_VALUE.search(compact)
    if not m:
        return None
    return m.group(0), compact_to_text[m.start()], compact_to_text[m.end() - 1] + 1
