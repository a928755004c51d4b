"""VAT invoice extractor (增值税专用/普通发票 paper, 电子普通/专用发票, 数电票 PDF/OFD): every
field with its page, box, source and confidence.

Values are read beside their labels by position (labels and values are often separate text runs, cells or OCR
lines), parties by block order, items from the table rows (销货清单 pages included); the QR code and the data
an OFD embeds are added as second sources for the validators to compare.
"""

from __future__ import annotations

import logging
import re

from extractors.invoice.fields import BELOW, SURE, WEAK, fallback, labelled, make_field, under
from extractors.invoice.footer import read_footer
from extractors.invoice.items import extract_items
from extractors.invoice.labels import label as schema_label
from extractors.invoice.parties import read_parties
from extractors.invoice.sources import embedded_fields, merge, merge_items, qr_fields
from extractors.invoice.totals import item_sums, read_totals
from extractors.text.layout import Layout, Span
from extractors.text.patterns import DATE, cjk_text, digits, iso_date
from idp.errors import ExtractionFailed
from idp.models import DocumentKind, ExtractedDocument, ExtractedField, FieldSource, PageText
from idp.models.schema import field_label, infer_kind, kind_from_title

logger = logging.getLogger(__name__)

#: Texts whose presence says "this is a VAT invoice"; ``score`` counts them.
_SIGNALS = tuple(
    re.compile(p)
    for p in (
        "发票号码|N[oO0º]\\.?\\d{8}",
        "开票日期",
        "价税合计",
        "纳税人识别号",
        "税额",
        "税率",
        "增值税|电子发票|普通发票|专用发票",
    )
)
#: Both must be present for ``score`` to accept the pages.
_REQUIRED = (
    re.compile(r"发票号码|发票代码|专用发票|普通发票|N[oO0º]\.?\d{8}"),
    # the labels, or (a poor photo OCR garbled them on) a printed date and a ¥ amount
    re.compile(r"价税合计|开票日期|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日.*[¥￥]\d|[¥￥]\d.*(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"),
)
_CODE = schema_label("invoice_code")
_NUMBER = schema_label("invoice_number", without=("No",))  # "No 12345678": _PAPER_NUMBER, digits end there
_DATE_LABEL = schema_label("issue_date")
_CHECK = schema_label("check_code")
_MACHINE = schema_label("machine_no")
#: The pre-printed number of a paper invoice: "No 12345678" (OCR may read the o as O, 0 or º).
_PAPER_NUMBER = re.compile(r"N[oO0º]\.?\s*[:：]?\s*(\d{8})(?!\d)")
_TWENTY = re.compile(r"(?<![0-9])\d{20}(?![0-9])")
#: A run of digits (letters may touch it once spaces are gone: "1100094140No87654321").
_DIGIT_RUN = re.compile(r"(?<![0-9])\d{10,20}(?![0-9])")
_PARTY_LABEL = re.compile(r"名称|纳税人识别号")
_TITLE = re.compile(r"发票|发\s*票")


class VatInvoiceExtractor:
    """Reads a VAT invoice; sees only :class:`PageText`."""

    name = "vat_invoice"
    kind = DocumentKind.VAT_INVOICE

    def score(self, pages: list[PageText]) -> int | None:
        """10 per invoice signal on the first pages; None (decline) without an invoice number and total."""
        text = "".join("".join(p.text.split()) for p in pages[:2])
        if not (_REQUIRED[0].search(text) and _REQUIRED[1].search(text)):
            return None
        return 10 * sum(1 for signal in _SIGNALS if signal.search(text))

    def extract(self, pages: list[PageText]) -> ExtractedDocument:
        """Header, party, total, footer and item fields, with the QR and embedded data as second sources."""
        if not any(p.lines for p in pages):
            raise ExtractionFailed("页面没有可读文字 (no text on the pages)", code="no_text")
        layouts = [Layout(p) for p in pages]
        main = max(layouts, key=lambda lay: sum(1 for s in _SIGNALS if s.search(_compact(lay))))
        fields = _read_header(main)
        fields.update(read_parties(main))
        fields.update(read_footer(main))
        embedded, embedded_items = embedded_fields(pages)
        items = merge_items(extract_items(layouts, main, make_field), embedded_items)
        fields.update(_totals(layouts, main, items))
        merge(fields, qr_fields(pages))
        merge(fields, embedded)
        kind = _kind_field(main, fields)
        if kind is not None:
            fields["invoice_kind"] = kind
        return ExtractedDocument(
            kind=DocumentKind.VAT_INVOICE,
            subtype=kind.value if kind else None,
            extractor=self.name,
            fields=fields,
            items=items,
        )


def _totals(layouts: list[Layout], main: Layout, items: list[dict[str, ExtractedField]]) -> dict[str, ExtractedField]:
    """The totals of the main page, or of the last page that has them (a table continued over pages ends with
    its 合计 on the last one)."""
    sums = item_sums(items)
    found = read_totals(main, *sums)
    if "total_with_tax" in found or "amount_without_tax" in found:
        return found
    for layout in reversed(layouts):
        other = read_totals(layout, *sums) if layout is not main else {}
        if "total_with_tax" in other or "amount_without_tax" in other:
            return other
    return found


def _compact(layout: Layout) -> str:
    return "".join(text for text, _ in layout.words).replace(" ", "")


def _read_header(layout: Layout) -> dict[str, ExtractedField]:
    rules = (
        ("invoice_code", _CODE, digits((10, 12)), None),
        ("invoice_number", _NUMBER, digits((8, 20)), re.compile(r"(?<!\d)(\d{20}|\d{8})(?!\d)")),
        ("issue_date", _DATE_LABEL, iso_date, DATE),
        ("check_code", _CHECK, digits((20,)), re.compile(r"(?<!\d)(\d{5}\s?\d{5}\s?\d{5}\s?\d{5})(?!\d)")),
        ("machine_no", _MACHINE, digits((9, 12)), None),
    )
    out: dict[str, ExtractedField] = {}
    taken: set[str] = set()
    for name, label, normalise, weak in rules:
        found = labelled(layout, label, normalise, first_gap=6.0, next_gap=2.0)
        confidence, how = SURE, "右邻标签"
        if found is None:
            found, confidence, how = under(layout, label, normalise), BELOW, "标签下方"
        if found is None and weak is not None and layout.find(label):
            found, confidence, how = fallback(layout, weak, normalise, taken), WEAK, "无标签的同型数值"
        if found is not None:
            field = make_field(layout, name, found[0], found[1], confidence)
            out[name] = field.model_copy(update={"evidence": [f"{how}「{field_label(name, 'vat_invoice')}」"]})
            taken.add(found[0])
    title = _read_title(layout)
    if title is not None:
        out["invoice_title"] = make_field(layout, "invoice_title", cjk_text(title.text), title, SURE)
    _paper_header(layout, out, taken)
    return out


def _paper_header(layout: Layout, out: dict[str, ExtractedField], taken: set[str]) -> None:
    """Paper invoices print the number as "No 12345678" and the code without a label, above the parties."""
    names = layout.find(_PARTY_LABEL)
    top = min([layout.height / 3, *(n.box.y0 for n in names)])
    if "invoice_number" not in out:
        found = fallback(layout, _PAPER_NUMBER, digits((8,)), taken, y_max=top)
        if found is not None:
            field = make_field(layout, "invoice_number", found[0], found[1], SURE)
            out["invoice_number"] = field.model_copy(update={"evidence": ["「No」后的8位号码"]})
            taken.add(found[0])
    if "invoice_number" not in out:
        digital = _digital_number(layout, top)
        if digital is not None and "invoice_code" not in out:  # a 数电票: its number, and no code to look for
            field = make_field(layout, "invoice_number", digital[0], digital[1], BELOW)
            out["invoice_number"] = field.model_copy(update={"evidence": ["页首20位数字（数电票号码）"]})
            return
    number = out.get("invoice_number")
    title = out.get("invoice_title")
    if "invoice_code" in out or (number is not None and len(number.value or "") == 20):
        return
    if title is not None and kind_from_title(title.value) in ("31", "32"):
        return  # 电子发票（…）: a 数电票 has no code, whatever digits its header shows
    seen: dict[str, list[Span]] = {}
    for row in range(len(layout.lines)):
        span = layout.line_span(row)
        if not span.chars or span.box.y1 > top:
            continue
        compact = span.text.replace(" ", "")
        for m in _DIGIT_RUN.finditer(compact):
            run = m.group(0)
            if number is not None and run.endswith(number.value or "-") and len(run) - 8 in (10, 12):
                run = run[:-8]  # the device prints "code number" and OCR may join them
            if len(run) in (10, 12) and run not in taken:
                start, end = _unspaced(span.text, m.start(), m.start() + len(run))
                seen.setdefault(run, []).append(span.part(start, end))
    if seen:
        title = out.get("invoice_title")
        code, spans = max(seen.items(), key=lambda kv: (len(kv[1]), _fits_title(kv[0], title)))
        # printed twice (pre-printed and by the tax device): two reads agree
        confidence = SURE if len(spans) > 1 else BELOW
        note = "无标签，页首两处印出相同" if len(spans) > 1 else "无标签，页首唯一的10/12位数字"
        out["invoice_code"] = make_field(layout, "invoice_code", code, spans[0], confidence).model_copy(
            update={"evidence": [note]}
        )


def _digital_number(layout: Layout, top: float) -> tuple[str, Span] | None:
    """A 20-digit run (spaces ignored) in the header rows: a 数电票's number whose label was not read."""
    for row in range(len(layout.lines)):
        span = layout.line_span(row)
        if not span.chars or span.box.y1 > top:
            continue
        for m in _TWENTY.finditer(span.text.replace(" ", "")):
            start, end = _unspaced(span.text, m.start(), m.end())
            part = span.part(start, end)
            gaps = [b.box.x0 - a.box.x1 for a, b in zip(part.chars, part.chars[1:], strict=False)]
            if max(gaps, default=0.0) < layout.h:  # one printed number, not a code beside a number
                return m.group(0), part
    return None


def _fits_title(code: str, title: ExtractedField | None) -> bool:
    found = infer_kind(title.value if title else None, code, None)
    return found is not None and found[2] == "invoice_title" and found[1] >= 0.99


def _unspaced(text: str, start: int, end: int) -> tuple[int, int]:
    """Indexes into ``text`` of the ``start:end`` slice of its space-free form."""
    positions = [i for i, ch in enumerate(text) if ch != " "]
    return positions[start], positions[end - 1] + 1


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
    basis = {"invoice_title": "发票名称", "invoice_code": "发票代码", "invoice_number": "20位发票号码"}
    return ExtractedField(
        name="invoice_kind",
        value=kind,
        confidence=min(confidence, source.confidence) if source else confidence,
        page=source.page if source else layout.page_no,
        bbox=source.bbox if source else None,
        source=source.source if source else FieldSource.DERIVED,
        raw=source.value if source else None,
        evidence=[f"由{basis.get(source_name, source_name)}推定"]
        + (["20位号码且无发票代码：数电票"] if kind in ("31", "32") and not values["invoice_code"] else []),
    )
