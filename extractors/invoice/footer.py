"""The foot of a VAT invoice: 备注 (remarks, e.g. the blue invoice a red one reverses) and the clerks
收款人 / 复核 / 开票人 (数电 keeps only 开票人).
"""

from __future__ import annotations

import re

from extractors.invoice.fields import SURE, make_field, right_of_clean
from extractors.text.layout import Box, Layout
from extractors.text.patterns import squash
from idp.models import ExtractedField

#: (field, label, labels that end its value).
_CLERKS = (
    ("payee", re.compile(r"收款人"), re.compile(r"复核|开票人|销售方|销货单位|[(（]章[)）]")),
    ("reviewer", re.compile(r"复核"), re.compile(r"开票人|销售方|销货单位|[(（]章[)）]")),
    ("drawer", re.compile(r"开票人"), re.compile(r"销售方|销货单位|[(（]章[)）]|收款人|复核")),
)
#: Remarks are several rows of free text: less sure than a labelled value.
_REMARKS_CONFIDENCE = 0.97
_REMARK_LABEL = re.compile(r"^备注$")
_TOTALS_LABEL = re.compile(r"价税合计|[(（]小写[)）]")


def read_footer(layout: Layout) -> dict[str, ExtractedField]:
    """``remarks``, ``payee``, ``reviewer`` and ``drawer`` where printed."""
    out: dict[str, ExtractedField] = {}
    for name, label, stop in _CLERKS:
        for found in reversed(layout.find(label)):  # the footer row is the lowest
            span = right_of_clean(layout, found, first_gap=4.0, next_gap=2.0, stop=stop)
            value = squash(span.text).strip(":：;；") if span is not None else ""
            if span is not None and value:
                out[name] = make_field(layout, name, value, span, SURE)
                break
    remarks = _remarks(layout)
    if remarks is not None:
        out["remarks"] = remarks
    return out


def _remark_edge(layout: Layout) -> Box | None:
    edges = [e for e in layout.block_edges({"备": "注"}) if e.y0 > layout.height / 2]
    if not edges:  # joined by the reader, or one of the two characters lost (under a seal)
        edges = [box for text, box in layout.words if _REMARK_LABEL.match(text.strip())]
        edges = edges or [box for text, box in layout.words
                          if text.strip() in ("备", "注") and box.y0 > layout.height / 2]
    return min(edges, key=lambda e: e.y0) if edges else None


def _remarks(layout: Layout) -> ExtractedField | None:
    """The text right of the vertical 备注 label, over the rows of its block (above the clerks' row)."""
    edge = _remark_edge(layout)
    if edge is None:
        return None
    clerks = [s.box.y0 for _, label, _ in _CLERKS for s in layout.find(label) if s.box.y0 > edge.y0]
    bottom = min([*clerks, edge.y1 + 3.0 * layout.h])
    totals = [s.box.y1 for s in layout.find(_TOTALS_LABEL) if s.box.y1 <= edge.y0 + layout.h]
    top = max([edge.y0 - 1.5 * layout.h, *totals])  # never above the 价税合计 row
    chars = [
        c
        for i, (_, box) in enumerate(layout.words)
        if box.x0 > edge.cx and top <= box.cy < bottom and box.y0 >= top
        for c in layout.chars[i]
    ]
    if not chars:
        return None
    chars.sort(key=lambda c: (round(c.box.cy / layout.h), c.box.x0))
    span = layout.span(chars)
    value = squash(span.text)
    return make_field(layout, "remarks", value, span, _REMARKS_CONFIDENCE) if value else None
