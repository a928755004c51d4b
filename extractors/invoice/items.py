"""Line items of a VAT invoice: the table between the column header (金额 … 税额) and the 合计/小计 row.

Works on visual rows (a text layer, OFD runs and OCR lines all give the same rows). Text columns are assigned
by the header's geometry; numbers by their order around the tax rate (… 数量 单价 金额 税率 税额), since
right-aligned numbers often sit under the next column's header. A multi-page invoice whose first page says
(详见销货清单) takes its items from the 销货清单 pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from extractors.invoice.fields import BAND
from extractors.invoice.item_text import TEXT_COLUMNS, category_marks, name_block, overflow, unstack
from extractors.invoice.labels import column
from extractors.invoice.repairs import repair
from extractors.text.layout import Box, Char, Layout, Span
from extractors.text.patterns import cjk_text
from idp.models import ExtractedField
from idp.models.schema.values import parse_decimal

#: Header texts of the item table's columns.
_COLUMNS = {
    "name": column("name", ocr=r"货物或应税劳务、?服务名称"),
    "spec": column("spec"),
    "unit": column("unit"),
    "quantity": column("quantity"),
    "price": column("price"),
    "amount": column("amount"),
    "tax_rate": column("tax_rate", ocr=r"[税兑脱说锐]率(?:/[征证]收[率手])?|[征证]收率"),  # misread under a seal
    "tax": column("tax"),
    # columns that are no field of the schema: row numbers, toll invoices' plate, vehicle type and dates
    "other": re.compile(r"序号|车牌号|类型|通行日期起|通行日期止"),
}
#: Header words of the money columns (a seal may hide some of them).
_MONEY_LABELS = ("金额", "税额", "税率", "征收率", "单价", "数量", "额")
#: The row that ends the table: 合计 on the invoice (台计 where OCR read 合 as 台, at the row's start, as the
#: totals reader takes it too; a widely spaced 合 计 may come with a stray mark between: 合☑计, 合i计),
#: 小计/总计 on a 销货清单 page.
_END = re.compile(r"(?<!税)合[^\u4e00-\u9fff\d]?计|^台[^\u4e00-\u9fff\d]?计|小计|总计|价税合计")
_LIST_TITLE = re.compile(r"清单")
#: The header of a table printed under the items (the travellers of a 旅客运输服务 invoice): ends the items.
_NEXT_TABLE = re.compile(r"出行人|有效身份证件号|出发地.{0,4}到达地")
_SEE_LIST = re.compile(r"详见.{0,2}清单")
_RATE = re.compile(r"^(?:-?\d+(?:\.\d+)?[%％]|免税|不征税)$")
_RATE_JUNK = re.compile(r"^[/|丨\[lI]")
#: A number, or digits an OCR slip made unparsable ("3.6993746.32", "1,234,5"): placed like a number.
_NUMBER = re.compile(r"^[-−－]?[¥￥]?[-−－]?\d[\d,.]*$")
_TEXT_COLUMNS = TEXT_COLUMNS
#: Confidence of an item value read in its column (before the reader's own confidence is applied).
ITEM_CONFIDENCE = 0.97
#: Ceiling of a quantity and price whose order the headers do not tell, or whose product is not the amount:
#: low enough that the checks' boost (quantity × price = amount holds either way round) keeps it under review.
UNSURE_CONFIDENCE = 0.5
#: The numbers must sit this many text heights nearer their own headers than the other way round.
SWAP_MARGIN = 1.0
#: Marker in a row's cells: its quantity and price were placed by order only.
UNSURE_ORDER = "?order"

FieldFactory = Callable[[Layout, str, "str | None", "Span | None", float], ExtractedField]
Item = dict[str, ExtractedField]


def extract_items(layouts: list[Layout], main: Layout, make_field: FieldFactory) -> list[Item]:
    """The items of the 销货清单 pages when there are any, else those of the main page."""
    listed = [
        item
        for layout in layouts
        if layout is not main and _is_list(layout)
        for item in page_items(layout, make_field)
    ]
    own = page_items(main, make_field)
    if listed and (not own or any(_SEE_LIST.search(i["name"].value or "") for i in own if "name" in i)):
        return listed
    # a table continued over several pages (a long 数电票 repeats its header on each): every page's rows in order
    return [
        item
        for layout in layouts
        if layout is main or not _is_list(layout)
        for item in (own if layout is main else page_items(layout, make_field))
    ]


def _is_list(layout: Layout) -> bool:
    return any(
        _LIST_TITLE.search(layout.line_span(r).text.replace(" ", ""))
        for r in range(min(6, len(layout.lines)))
    )


def page_items(layout: Layout, make_field: FieldFactory) -> list[Item]:
    """One dict of fields per item row of one page; continuation rows extend the previous item's texts."""
    header = _header(layout)
    if header is None:
        return []
    header_row, columns = header
    bounds = _bounds(columns)
    rows: list[dict[str, list[Char]]] = []
    end = _end_row(layout, header_row)
    for words in (part for r in range(header_row + 1, end) for part in unstack(layout, layout.lines[r])):
        if not words:
            continue
        cells = _cells(layout, words, bounds, columns)
        if _is_item(layout, cells):
            rows.append(cells)
        elif rows and layout.words[words[0]][1].cy - _bottom(layout, rows[-1]) < 2.5 * layout.h:
            for key, chars in overflow(cells, rows[-1], layout.h).items():
                rows[-1].setdefault(key, []).extend(chars)
    return [_item(layout, row, make_field) for row in rows]


def _end_row(layout: Layout, header_row: int) -> int:
    """The first row after the table: the 合计/小计 row, or the row of amounts printed just above its label
    (half a line off it, as on some forms), or the header of a following table (出行人 … on ride-hailing)."""
    for r in range(header_row + 1, len(layout.lines)):
        compact = layout.line_span(r).text.replace(" ", "")
        if _END.search(compact) or _NEXT_TABLE.search(compact):
            label_cy = layout.line_span(r).box.cy
            while r - 1 > header_row and label_cy - layout.line_span(r - 1).box.cy < BAND * layout.h:
                r -= 1
            return r
    return len(layout.lines)


def _is_item(layout: Layout, cells: dict[str, list[Char]]) -> bool:
    """A row with a readable amount (or a rate): texts that drift into a number column (seal remnants,
    printer's marks) make no item."""
    if "tax_rate" in cells:
        return True
    chars = cells.get("amount")
    return bool(chars) and _decimal(layout.span(chars).text, places=True) is not None


def _bottom(layout: Layout, row: dict[str, list[Char]]) -> float:
    return max(c.box.y1 for chars in row.values() for c in chars)


def _header(layout: Layout) -> tuple[int, dict[str, Box]] | None:
    """The table's header row and its column boxes; a header label lost under a seal is put back between its
    neighbours (the numbers are placed by their order around the rate anyway)."""
    for r in range(len(layout.lines)):
        span = layout.line_span(r)
        compact = span.text.replace(" ", "")
        if not _COLUMNS["name"].search(compact) or sum(1 for k in _MONEY_LABELS if k in compact) < 1:
            continue
        columns = {}
        for key, pattern in _COLUMNS.items():
            for n, m in enumerate(pattern.finditer(compact)):
                part = span.chars[m.start() : m.end()]
                box = part[0].box
                for c in part[1:]:
                    box = box.union(c.box)
                columns[key if n == 0 else f"{key}{n}"] = box
        if (
            sum(1 for k in ("spec", "unit", "quantity", "price", "amount", "tax_rate", "tax") if k in columns)
            < 3
        ):
            continue
        if "tax_rate" not in columns:  # under a seal: right of whatever was read last
            right = max(b.x1 for b in columns.values())
            columns["tax_rate"] = Box(right + 2 * layout.h, span.box.y0, right + 3 * layout.h, span.box.y1)
        rate = columns["tax_rate"]
        if "amount" not in columns:
            left = max(
                (b.x1 for k, b in columns.items() if b.x1 < rate.x0 and k != "tax_rate"), default=rate.x0
            )
            columns["amount"] = Box((left + rate.x0) / 2 - 0.1, rate.y0, (left + rate.x0) / 2 + 0.1, rate.y1)
        if "tax" not in columns:
            columns["tax"] = Box(rate.x1 + 2 * layout.h, rate.y0, rate.x1 + 3 * layout.h, rate.y1)
        return r, columns
    return None


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


#: Text no unit of measure holds (digits, ×, *, /): under 单位, the spec's run-on.
_SPEC_LIKE = re.compile(r"[\d*×/]")
#: A unit read together with the quantity after it ("盘46.829"): split into the two.
_UNIT_AND_NUMBER = re.compile(r"^([^\d\-.]{1,3})(-?\d[\d.,]*)$")
Token = tuple[str, list[Char]]


def _tokens(layout: Layout, words: list[int], bounds: list[tuple[float, str]]) -> list[Token]:
    out: list[Token] = []
    for w in words:
        text, chars = layout.words[w][0].strip(), list(layout.chars[w])
        m = _UNIT_AND_NUMBER.match(text.replace(" ", ""))
        if m and chars and _column(chars[0].box.cx, bounds) == "unit" and len(chars) == len(m.group(0)):
            cut = len(m.group(1))
            out += [(m.group(1), chars[:cut]), (m.group(2), chars[cut:])]
        else:
            out.append((text, chars))
    return [(t, c) for t, c in out if c]


def _cx(chars: list[Char]) -> float:
    return (chars[0].box.x0 + chars[-1].box.x1) / 2


def _cells(
    layout: Layout, words: list[int], bounds: list[tuple[float, str]], columns: dict[str, Box]
) -> dict[str, list[Char]]:
    """Assign a row's words to columns: texts by position, numbers by order around the rate (quantity and unit
    price by their headers' places, since layouts print them in either order)."""
    cells: dict[str, list[Char]] = {}
    numbers: list[Token] = []
    rate_at = None
    for text, chars in _tokens(layout, words, bounds):
        token = text.replace("¥", "").replace("￥", "")
        column = _column(_cx(chars), bounds)
        junk = _RATE_JUNK.match(token)
        if junk and _RATE.match(token[junk.end() :]) and len(chars) == len(token):
            chars, token = chars[junk.end() :], token[junk.end() :]  # a table rule read as "/" or "|"
        if _RATE.match(token):
            rate_at = len(numbers)
            cells["tax_rate"] = chars
        elif (_NUMBER.match(token) or token == "***") and column not in ("name", "spec", "other"):
            numbers.append((text, chars))
        elif column == "unit" and _SPEC_LIKE.search(token) and "spec" in cells:
            cells["spec"].extend(chars)  # a long spec ("YJV22-8.7/15kV 3*240") runs on under 单位: no unit has digits
        elif column != "other" or not _NUMBER.match(token):
            cells.setdefault(column, []).extend(chars)
    if rate_at is None:
        for _, chars in numbers:
            cells.setdefault(_column(_cx(chars), bounds), []).extend(chars)
        return {
            k: v
            for k, v in cells.items()
            if k in _TEXT_COLUMNS or k in ("quantity", "price", "amount", "tax")
        }
    if rate_at < len(numbers):
        cells["tax"] = numbers[rate_at][1]
    left = numbers[:rate_at]
    if left:
        cells["amount"] = left[-1][1]
        rest = [
            chars for _, chars in left[:-1] if _column(_cx(chars), bounds) not in ("name", "spec", "other")
        ]
        if len(rest) >= 2:
            cells["quantity"], cells["price"], sure = _quantity_and_price(rest[-2], rest[-1], columns, layout.h)
            if not sure:
                cells[UNSURE_ORDER] = []
        elif rest:
            key = _column(_cx(rest[0]), bounds)
            cells["price" if key == "price" else "quantity"] = rest[0]
    return {k: v for k, v in cells.items() if k != "other"}


def _quantity_and_price(
    first: list[Char], second: list[Char], columns: dict[str, Box], h: float
) -> tuple[list[Char], list[Char], bool]:
    """(quantity, price, sure) of the two numbers left of the amount: each under the header it is nearest to.

    Layouts print 数量 before 单价 or after it (旅客运输服务), and quantity × price cannot tell a swap, so
    only the headers' places can: when they do not clearly tell (a header lost, numbers between them), the
    pair is returned in the usual order and not sure.
    """
    qty, price = columns.get("quantity"), columns.get("price")
    if qty is None or price is None:
        return first, second, False

    def off(chars: list[Char], box: Box) -> float:
        cx = _cx(chars)
        return 0.0 if box.x0 <= cx <= box.x1 else min(abs(cx - box.x0), abs(cx - box.x1))

    usual = off(first, qty) + off(second, price)
    swapped = off(first, price) + off(second, qty)
    if abs(usual - swapped) < SWAP_MARGIN * h:
        return first, second, False
    return (first, second, True) if usual < swapped else (second, first, True)


def _item(layout: Layout, row: dict[str, list[Char]], make_field: FieldFactory) -> Item:
    item: Item = {}
    for key, chars in row.items():
        if not chars or key not in ("name", "spec", "unit", "quantity", "price", "amount", "tax_rate", "tax"):
            continue
        if key == "name":
            chars = name_block(chars, layout.h)
        span = layout.span(chars)  # in row order, left to right within a row
        text = span.text.strip()
        if key in _TEXT_COLUMNS:
            value: str | None = cjk_text(text)
            if key == "name" and value:
                value = category_marks(value)
        elif key == "tax_rate":
            value = text.replace(" ", "").replace("％", "%")
        elif key in ("amount", "tax"):
            value = _decimal(text, places=True)
        else:
            value = _decimal(text, places=False)
        item[key] = make_field(layout, key, value, span, ITEM_CONFIDENCE)
    repair(item)
    _check_product(item, unsure_order=UNSURE_ORDER in row)
    return item


def _check_product(item: Item, *, unsure_order: bool) -> None:
    """Quantity and price only keep a high confidence when quantity × price = amount and the headers told
    which is which (a pair that could be swapped, or fails the product, goes to a person)."""
    if "quantity" not in item or "price" not in item:
        return
    qty, price = (parse_decimal(item[k].value) for k in ("quantity", "price"))
    amount = parse_decimal(item["amount"].value) if "amount" in item else None
    if unsure_order:
        note, cap = "数量与单价的列位置不能区分（可能互换）", UNSURE_CONFIDENCE
    elif qty is None or price is None or amount is None or abs(qty * price - amount) > max(
        Decimal("0.01"), abs(amount) * Decimal("1e-6")
    ):
        note, cap = "数量 × 单价 ≠ 金额", UNSURE_CONFIDENCE
    else:
        note, cap = f"数量 × 单价 = 金额 {amount}", 1.0
    for key in ("quantity", "price"):
        field = item[key]
        item[key] = field.model_copy(
            update={"confidence": min(field.confidence, cap), "evidence": [*field.evidence, note]}
        )


def _decimal(text: str, *, places: bool) -> str | None:
    raw = re.sub(r"[\s¥￥,]", "", text).replace("−", "-").replace("－", "-")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return str(value.quantize(Decimal("0.01"))) if places else str(value)
