"""Line items of a VAT invoice: the table between the column header (金额 … 税额) and the 合计 row.

Text columns are assigned by the header's geometry; numbers by their order around the tax rate
(… 数量 单价 金额 税率 税额), since right-aligned numbers often sit under the next column's header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from extractors._layout import Box, Char, Layout, Span
from extractors._patterns import cjk_text
from idp.models import ExtractedField

#: Header texts of the item table's columns.
_COLUMNS = {
    "name": re.compile(r"项目名称|货物或应税劳务、?服务名称|货物或应税劳务名称|服务名称"),
    "spec": re.compile(r"规格型号"),
    "unit": re.compile(r"单位"),
    "quantity": re.compile(r"数量"),
    "price": re.compile(r"单价"),
    "amount": re.compile(r"金额"),
    "tax_rate": re.compile(r"税率(?:/征收率)?|征收率"),
    "tax": re.compile(r"税额"),
    "other": re.compile(r"车牌号|类型|通行日期起|通行日期止"),
}
_SUBTOTAL = re.compile(r"(?<!税)合计")
_RATE = re.compile(r"^(?:\d+(?:\.\d+)?[%％]|免税|不征税)$")
_NUMBER = re.compile(r"^[-−－]?[¥￥]?[-−－]?\d[\d,]*(?:\.\d+)?$")
_TEXT_COLUMNS = ("name", "spec", "unit")

FieldFactory = Callable[[Layout, str, "str | None", "Span | None", float], ExtractedField]


def extract_items(layout: Layout, make_field: FieldFactory) -> list[dict[str, ExtractedField]]:
    """One dict of fields per item row; continuation lines extend the previous item's texts."""
    header = _header(layout)
    if header is None:
        return []
    header_line, columns = header
    bottom = min((s.box.y0 for s in layout.find(_SUBTOTAL) if s.box.y0 > columns["amount"].y1), default=None)
    if bottom is None:
        return []
    bounds = _bounds(columns)
    rows: list[dict[str, list[Char]]] = []
    for line in range(header_line + 1, len(layout.lines)):
        words = layout.lines[line]
        if not words or layout.words[words[0]][1].cy >= bottom:
            continue
        if layout.words[words[0]][1].cy <= columns["amount"].y1:
            continue
        cells = _cells(layout, words, bounds)
        if "amount" in cells or "tax_rate" in cells:
            rows.append(cells)
        elif rows:
            for key in _TEXT_COLUMNS:
                rows[-1].setdefault(key, []).extend(cells.get(key, []))
    return [_item(layout, row, make_field) for row in rows]


def _header(layout: Layout) -> tuple[int, dict[str, Box]] | None:
    for line in range(len(layout.lines)):
        span = layout.line_span(line)
        compact = span.text.replace(" ", "")
        if not ("金额" in compact and "税额" in compact and ("税率" in compact or "征收率" in compact)):
            continue
        columns = {}
        for key, pattern in _COLUMNS.items():
            for n, m in enumerate(pattern.finditer(span.text.replace(" ", ""))):
                part = _compact_part(span, m.start(), m.end())
                columns[key if n == 0 else f"{key}{n}"] = part.box
        if "amount" in columns and "tax" in columns:
            return line, columns
    return None


def _compact_part(span: Span, start: int, end: int) -> Span:
    return Span(chars=span.chars[start:end], text="".join(c.ch for c in span.chars[start:end]))


def _bounds(columns: dict[str, Box]) -> list[tuple[float, str]]:
    """Column keys with the x where each column starts (midway between neighbouring header texts)."""
    ordered = sorted(columns.items(), key=lambda kv: kv[1].x0)
    out = [(float("-inf"), ordered[0][0])]
    for (_, prev), (key, box) in zip(ordered, ordered[1:], strict=False):
        out.append(((prev.x1 + box.x0) / 2, key))
    return out


def _column(x: float, bounds: list[tuple[float, str]]) -> str:
    key = bounds[0][1]
    for start, name in bounds:
        if x >= start:
            key = name
    return re.sub(r"\d+$", "", key)


def _cells(layout: Layout, words: list[int], bounds: list[tuple[float, str]]) -> dict[str, list[Char]]:
    """Assign a row's words to columns: texts by position, numbers by order around the rate."""
    cells: dict[str, list[Char]] = {}
    numbers: list[int] = []
    rate_at = None
    for w in words:
        text, box = layout.words[w]
        column = _column(box.cx, bounds)
        if _RATE.match(text.strip()):
            rate_at = len(numbers)
            cells["tax_rate"] = list(layout.chars[w])
        elif (_NUMBER.match(text.strip()) or text.strip() == "***") and column not in _TEXT_COLUMNS:
            numbers.append(w)
        else:
            cells.setdefault(column, []).extend(layout.chars[w])
    if rate_at is None:
        for w in numbers:
            key = _column(layout.words[w][1].cx, bounds)
            cells.setdefault(key, []).extend(layout.chars[w])
        return {k: v for k, v in cells.items() if k in _TEXT_COLUMNS or k in ("amount", "tax")}
    if rate_at < len(numbers):
        cells["tax"] = list(layout.chars[numbers[rate_at]])
    left = numbers[:rate_at]
    if left:
        cells["amount"] = list(layout.chars[left[-1]])
        rest = [
            w for w in left[:-1] if _column(layout.words[w][1].cx, bounds) in ("quantity", "price", "unit")
        ]
        if len(rest) >= 2:
            cells["quantity"], cells["price"] = list(layout.chars[rest[-2]]), list(layout.chars[rest[-1]])
        elif rest:
            key = _column(layout.words[rest[0]][1].cx, bounds)
            cells["price" if key == "price" else "quantity"] = list(layout.chars[rest[0]])
    return {k: v for k, v in cells.items() if k != "other"}


def _item(layout: Layout, row: dict[str, list[Char]], make_field: FieldFactory) -> dict[str, ExtractedField]:
    item: dict[str, ExtractedField] = {}
    for key, chars in row.items():
        if not chars:
            continue
        span = layout.span(chars)
        text = span.text.strip()
        if key in _TEXT_COLUMNS:
            value: str | None = cjk_text(text)
        elif key == "tax_rate":
            value = text.replace(" ", "").replace("％", "%")
        elif key in ("amount", "tax"):
            value = _decimal(text, places=True)
        else:
            value = _decimal(text, places=False)
        item[key] = make_field(layout, key, value, span, 0.95)
    return item


def _decimal(text: str, *, places: bool) -> str | None:
    raw = re.sub(r"[\s¥￥,]", "", text).replace("−", "-").replace("－", "-")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return str(value.quantize(Decimal("0.01"))) if places else str(value)
