"""VAT invoice extractor (增值税电子普通/专用发票, 数电票): header, parties and totals from words with boxes.

Values are read beside their labels by position (labels and values are often separate text runs), parties by
block order (buyer top/left, seller bottom/right), so the 密码区 and stamps never mix into values.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from extractors._invoice_items import extract_items
from extractors._invoice_kind import infer_kind
from extractors._layout import Box, Layout, Span
from extractors._patterns import (
    DATE,
    MONEY,
    Normaliser,
    amount_words,
    cjk_text,
    digits,
    iso_date,
    money,
    tax_id,
)
from idp.errors import ExtractionFailed
from idp.models import DocumentKind, ExtractedDocument, ExtractedField, FieldSource, PageText

logger = logging.getLogger(__name__)

#: Confidence of a value found beside its label and in the expected format.
_SURE = 0.99
#: Confidence of a value found under its label (layouts that stack label and value).
_BELOW = 0.9
#: Confidence of a value found by a weak fallback (pattern without its label).
_WEAK = 0.7
#: Texts whose presence says "this is a VAT invoice"; ``score`` counts them.
_SIGNALS = tuple(
    re.compile(p)
    for p in (
        "发票号码",
        "开票日期",
        "价税合计",
        "纳税人识别号",
        "税额",
        "税率",
        "增值税|电子发票|普通发票|专用发票",
    )
)
#: Both must be present for ``score`` to accept the pages.
_REQUIRED = (re.compile(r"发票号码|发票代码"), re.compile(r"价税合计|开票日期"))
_CODE = re.compile(r"发票代码")
_NUMBER = re.compile(r"发票号码")
_DATE_LABEL = re.compile(r"开票日期")
_CHECK = re.compile(r"校验码")
_MACHINE = re.compile(r"机器编号")
_NAME = re.compile(r"(?<![目务物品户])名称")
_TAX_ID = re.compile(r"(?:统一社会信用代码/?)?纳税人识别号")
#: Vertical block labels: first character → the character printed under it.
_BLOCK_MARKERS = {"密": "码", "备": "注", "销": "售", "购": "买"}
#: Another label on the same row ends a party value (数电 prints buyer and seller side by side).
_OTHER_LABEL = re.compile(r"名\s*称|纳税人识别号|统一社会信用代码|销售方|购买方")
_SUBTOTAL = re.compile(r"(?<!税)合计")
_WORDS_LABEL = re.compile(r"价税合计[(（]?大写[)）]?")
_FIGURES_LABEL = re.compile(r"[(（]小写[)）]")
_TITLE = re.compile(r"发票|发\s*票")


class VatInvoiceExtractor:
    """Reads a VAT invoice page; sees only :class:`PageText`."""

    name = "vat_invoice"

    def score(self, pages: list[PageText]) -> int | None:
        """10 per invoice signal on the first pages; None (decline) without an invoice number and total."""
        text = "".join("".join(p.text.split()) for p in pages[:2])
        if not (_REQUIRED[0].search(text) and _REQUIRED[1].search(text)):
            return None
        return 10 * sum(1 for signal in _SIGNALS if signal.search(text))

    def extract(self, pages: list[PageText]) -> ExtractedDocument:
        """Header, party, total and line-item fields of the best-matching page."""
        if not any(p.lines for p in pages):
            raise ExtractionFailed("页面没有可读文字 (no text on the pages)", code="no_text")
        page = max(pages, key=lambda p: sum(1 for s in _SIGNALS if s.search("".join(p.text.split()))))
        layout = Layout(page)
        fields = _read_header(layout)
        fields.update(_read_parties(layout))
        fields.update(_read_totals(layout))
        kind = _kind_field(layout, fields)
        if kind is not None:
            fields["invoice_kind"] = kind
        items = extract_items(layout, _field)
        return ExtractedDocument(
            kind=DocumentKind.VAT_INVOICE,
            subtype=kind.value if kind else None,
            extractor=self.name,
            fields=fields,
            items=items,
        )


def _field(
    layout: Layout, name: str, value: str | None, span: Span | None, confidence: float
) -> ExtractedField:
    return ExtractedField(
        name=name,
        value=value,
        confidence=confidence,
        page=layout.page_no,
        bbox=layout.bbox(span.box) if span is not None and span.chars else None,
        source=FieldSource.TEXT_LAYER,
        raw=span.text if span is not None else None,
    )


def _labelled(
    layout: Layout, label: re.Pattern[str], normalise: Normaliser, **kw: Any
) -> tuple[str, Span] | None:
    """The first label occurrence with a fitting value right of it."""
    for found in layout.find(label):
        span = layout.right_of(found, **kw)
        value = normalise(span.text) if span is not None else None
        if span is not None and value is not None:
            return value, span
    return None


def _under(layout: Layout, label: re.Pattern[str], normalise: Normaliser) -> tuple[str, Span] | None:
    """The first label occurrence with a fitting value printed under it."""
    for found in layout.find(label):
        span = layout.below(found)
        value = normalise(span.text) if span is not None else None
        if span is not None and value is not None:
            return value, span
    return None


def _fallback(
    layout: Layout, pattern: re.Pattern[str], normalise: Normaliser, taken: set[str]
) -> tuple[str, Span] | None:
    """First match of ``pattern`` in any line whose normalised value is not already used by another field."""
    for line in range(len(layout.lines)):
        span = layout.line_span(line)
        for m in pattern.finditer(span.text):
            value = normalise(m.group(0))
            if value is not None and value not in taken:
                return value, span.part(m.start(), m.end())
    return None


def _read_header(layout: Layout) -> dict[str, ExtractedField]:
    rules = (
        ("invoice_code", _CODE, digits((10, 12)), re.compile(r"(?<!\d)\d{12}(?!\d)|(?<!\d)\d{10}(?!\d)")),
        ("invoice_number", _NUMBER, digits((8, 20)), re.compile(r"(?<!\d)\d{20}(?!\d)|(?<!\d)\d{8}(?!\d)")),
        ("issue_date", _DATE_LABEL, iso_date, DATE),
        ("check_code", _CHECK, digits((20,)), re.compile(r"(?<!\d)\d{5}\s?\d{5}\s?\d{5}\s?\d{5}(?!\d)")),
        ("machine_no", _MACHINE, digits((9, 12)), None),
    )
    out: dict[str, ExtractedField] = {}
    taken: set[str] = set()
    for name, label, normalise, weak in rules:
        found = _labelled(layout, label, normalise, first_gap=6.0, next_gap=2.0)
        confidence = _SURE
        if found is None:
            found, confidence = _under(layout, label, normalise), _BELOW
        if found is None and weak is not None and layout.find(label):
            found, confidence = _fallback(layout, weak, normalise, taken), _WEAK
        if found is not None:
            out[name] = _field(layout, name, found[0], found[1], confidence)
            taken.add(found[0])
    title = _read_title(layout)
    if title is not None:
        out["invoice_title"] = _field(layout, "invoice_title", cjk_text(title.text), title, _SURE)
    return out


def _read_title(layout: Layout) -> Span | None:
    """The tallest row of text in the top third of the page that reads as an invoice's name (has 发票)."""
    tall = sorted(
        (
            (box.h, i)
            for i, (text, box) in enumerate(layout.words)
            if box.y1 < layout.height / 3 and text.strip()
        ),
        reverse=True,
    )
    tried: list[int] = []
    for _, index in tall:
        anchor = layout.words[index][1]
        if anchor.h < 1.2 * layout.h or any(layout.words[t][1].same_row(anchor) for t in tried):
            continue
        tried.append(index)
        chars = [
            c
            for i, (_, box) in enumerate(layout.words)
            if box.same_row(anchor) and box.h >= 0.75 * anchor.h
            for c in layout.chars[i]
        ]
        title = layout.span(sorted(chars, key=lambda c: c.box.x0))
        if _TITLE.search(cjk_text(title.text)):
            return title
    return None


def _x_limit(layout: Layout, label: Span, edges: list[Box]) -> float:
    """Where the block of ``label`` ends: the nearest vertical block label (密码区, 备注, 销售方) after it."""
    box = label.box
    limits = [e.x0 for e in edges if e.x0 > box.x1 and e.y0 - 3 * layout.h <= box.cy <= e.y1 + 3 * layout.h]
    return min(limits, default=float("inf"))


def _read_parties(layout: Layout) -> dict[str, ExtractedField]:
    names = layout.find(_NAME)
    tax_labels = layout.find(_TAX_ID)
    edges = layout.block_edges(_BLOCK_MARKERS)
    out: dict[str, ExtractedField] = {}
    for role, label in zip(("buyer", "seller"), names[:2], strict=False):
        x_max = _x_limit(layout, label, edges)
        span = layout.right_of(label, first_gap=4.0, next_gap=2.0, x_max=x_max, stop=_OTHER_LABEL)
        if span is not None:
            out[f"{role}_name"] = _field(layout, f"{role}_name", cjk_text(span.text), span, _SURE)
        below = [
            t for t in tax_labels if t.box.y0 > label.box.cy and abs(t.box.x0 - label.box.x0) < 4 * layout.h
        ]
        if not below:
            continue
        tax_label = min(below, key=lambda t: t.box.y0)
        x_max = _x_limit(layout, tax_label, edges)
        span, confidence = layout.right_of(tax_label, first_gap=4.0, next_gap=1.0, x_max=x_max), _SURE
        if span is None or tax_id(span.text) is None:
            span, confidence = layout.below(tax_label, max_gap=1.0, reach=2.0), _BELOW
        value = tax_id(span.text) if span is not None else None
        out[f"{role}_tax_id"] = _field(layout, f"{role}_tax_id", value, span if value else None, confidence)
    return out


def _read_totals(layout: Layout) -> dict[str, ExtractedField]:
    out: dict[str, ExtractedField] = {}
    for label in layout.find(_SUBTOTAL):
        row = layout.span(layout.row_chars(label.box, x_min=label.box.x1))
        amounts = [(money(m.group(0)), row.part(m.start(), m.end())) for m in MONEY.finditer(row.text)]
        if amounts:
            out["amount_without_tax"] = _field(
                layout, "amount_without_tax", amounts[0][0], amounts[0][1], _SURE
            )
            if len(amounts) > 1:
                out["tax_amount"] = _field(layout, "tax_amount", amounts[-1][0], amounts[-1][1], _SURE)
            break
    words = _labelled(layout, _WORDS_LABEL, amount_words, first_gap=15.0, next_gap=3.0, stop=_FIGURES_LABEL)
    if words is not None:
        out["total_in_words"] = _field(layout, "total_in_words", words[0], words[1], _SURE)
    figures = _labelled(layout, _FIGURES_LABEL, money, first_gap=6.0, next_gap=1.0)
    confidence = _SURE
    if figures is None:
        for label in layout.find(_WORDS_LABEL):
            row = layout.span(layout.row_chars(label.box, x_min=label.box.x1))
            found = list(MONEY.finditer(row.text))
            if found:
                figures, confidence = (
                    (money(found[-1].group(0)) or "", row.part(found[-1].start(), found[-1].end())),
                    0.8,
                )
                break
    if figures is not None:
        out["total_with_tax"] = _field(layout, "total_with_tax", figures[0], figures[1], confidence)
    return out


def _kind_field(layout: Layout, fields: dict[str, ExtractedField]) -> ExtractedField | None:
    """invoice_kind, located where the title (or the code) it was read from is printed."""
    values = {
        n: fields[n].value if n in fields else None
        for n in ("invoice_title", "invoice_code", "invoice_number")
    }
    found = infer_kind(values["invoice_title"], values["invoice_code"], values["invoice_number"])
    if found is None:
        return None
    kind, confidence, source_name = found
    source = fields[source_name] if source_name in fields else None
    return ExtractedField(
        name="invoice_kind",
        value=kind,
        confidence=confidence,
        page=layout.page_no,
        bbox=source.bbox if source else None,
        source=FieldSource.TEXT_LAYER,
        raw=source.value if source else None,
    )
