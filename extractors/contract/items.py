"""The goods table of a contract (标的: 品名, 规格型号, 单位, 数量, 单价, 金额), read without a template.

The header row is found by the schema's column aliases (a header wrapped over two lines is joined first); the
columns come from the gutters of the data under it; rows below are goods while they carry numbers, wrapped
cell text joins its row, a 序号 column is recognised and dropped, and the table goes on over a page break
(with its header repeated or not) until a 合计/大写 row, a clause heading or prose. Each line is checked by
数量 × 单价 = 金额, which also splits numbers read as one cell; see :mod:`extractors.contract.lines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.contract import ruled
from extractors.contract.lines import GoodsRow, read_row
from extractors.contract.text import CLAUSE_START, ContractText
from extractors.text.glyphs import x_at
from extractors.text.table import Cell, Row, attach_wrapped
from extractors.text.table_columns import Column, Header, assign, columns_from, find_header
from idp.models.schema import schema_for
from idp.models.schema.purchase_contract import OTHER_COLUMNS, ROW_NUMBER_HEADERS

_SPEC = schema_for("purchase_contract")
assert _SPEC is not None
#: Column key → header aliases, from the schema (extra columns get a key each so their text stays apart).
COLUMNS: dict[str, tuple[str, ...]] = {
    "no": ROW_NUMBER_HEADERS,
    **{f.name: f.synonyms for f in _SPEC.items},
    **{f"other:{word}": (word,) for word in OTHER_COLUMNS},
}
#: Lines a header may be wrapped over (交(提)货 / 时间及数 / 量 beside 计量 / 单位, all centred in one row).
_HEADER_LINES = 5
_END = re.compile(r"^(?:合计|总计|总价|价税合计|人民币|大写|以上|注[:：]|备注[:：]|本合同|合同总|总金额)")
_DIGITS = re.compile(r"\d")
_PROSE = re.compile(r"[、，,。；;]")
_AMOUNT_LIKE = re.compile(r"\d[\d,]*\.\d{2}")
_HAN = re.compile(r"[\u3400-\u9fff]")
#: A unit of measure after a quantity (台, 千克, 平方米): a few Chinese characters, nothing else.
_UNIT_LIKE = re.compile(r"[\u3400-\u9fff]{1,3}")
#: A number (an amount, a quantity) followed at once by Chinese text.
_NUMBER_THEN_HAN = re.compile(r"\d[\d,]*(?:\.\d+)?(?=[\u3400-\u9fff〇])")
#: Where Chinese text ends and a model code or size begins (工业级以太网|8口千兆导轨式: a name run into the spec).
_HAN_THEN_CODE = re.compile(r"(?<=[\u3400-\u9fff])(?=[0-9A-Za-z])")


@dataclass
class GoodsTable:
    rows: list[GoodsRow]
    total_rows: list[Row] = field(default_factory=list)
    #: (page, row index) of every row read as part of a goods line (their amounts are not total candidates).
    body: set[tuple[int, int]] = field(default_factory=set)


def read_goods(text: ContractText) -> GoodsTable | None:
    """The first goods table (a header with a name column and an amount or price column), over page breaks."""
    pages = sorted(text.rows)
    for n, page in enumerate(pages):
        rows = text.rows[page]
        found = _header(rows, 0)
        if found is None:
            continue
        header, start = found
        table = GoodsTable([])
        columns: list[Column] | None = None
        for next_page in pages[n:]:
            rows = text.rows[next_page]
            if next_page != page:
                again = _header(rows, 0, near_top=True)
                if again is not None:
                    header, start = again
                    columns = None
                else:
                    start = 0
            body, ended = _body(rows, start, table)
            h = _median_h(body) or _median_h(rows) or 10.0
            drawn = text.rules.get(next_page, [])
            columns = ruled.columns(drawn, header, body, h) or columns or columns_from(header, body, text_height=h)
            columns = unlabelled_unit(columns, header, body, h)
            _lines(next_page, rows, body, columns, header, table, ruled.bands(drawn, header, body, h))
            if ended or not body:
                break
        return table
    return None


def unlabelled_unit(columns: list[Column], header: Header, body: list[Row], h: float) -> list[Column]:
    """The unit column of a header whose 单位 OCR did not read: with 数量 found and 单位 not, a short Chinese word
    printed in most goods rows as a cell of its own, right of the label of the column before 数量 and lined up
    from row to row, is the unit (the column before the quantity would otherwise swallow it)."""
    quantity = next((c for c in columns if c.key == "quantity"), None)
    if "unit" in header.labels or quantity is None:
        return columns
    host = max((c for c in columns if c.x0 < quantity.x0), key=lambda c: c.x0, default=None)
    if host is None or host.key in ("name", "no", "price", "amount"):
        return columns
    counted = [r for r in body if any(quantity.x0 <= c.cx <= quantity.x1 and _DIGITS.search(c.text) for c in r.cells)]
    hits = [cells[0] for r in counted
            if len(cells := [c for c in r.cells if c.x0 >= host.header[1] + 0.5 * h and c.x1 <= quantity.x0
                             and _UNIT_LIKE.fullmatch(c.text.strip())]) == 1]
    if len(hits) < max(2, 0.6 * len(counted)):
        return columns
    x0, x1 = min(c.x0 for c in hits), max(c.x1 for c in hits)
    if x1 - x0 > 3 * h or min(c.x1 for c in hits) < max(c.x0 for c in hits):  # not one column
        return columns
    host.x1 = min(host.x1, x0 - 0.1 * h)
    return sorted([*columns, Column("unit", x0, x1, (x0, x1))], key=lambda c: c.x0)


def _median_h(rows: list[Row]) -> float:
    hs = sorted(r.h for r in rows)
    return hs[len(hs) // 2] if hs else 0.0


def _header(rows: list[Row], start: int, *, near_top: bool = False) -> tuple[Header, int] | None:
    """The header (wrapped header lines joined) and the index of the first row under it."""
    limit = min(len(rows), 8) if near_top else len(rows)
    for i in range(start, limit):
        if _PROSE.search(rows[i].compact) or CLAUSE_START.match(rows[i].compact):
            continue  # 第一条 产品名称、规格型号、数量及价款 names the columns but is a clause heading
        best: tuple[int, Header, int] | None = None
        for depth in range(1, _HEADER_LINES + 1):
            if i + depth > len(rows):
                break
            group = rows[i : i + depth]
            if depth > 1 and not _continues(group[-2], group[-1]):
                break
            merged = _merge(group)
            found = find_header([merged], COLUMNS, required=("name", "amount|price"), min_columns=3)
            if found is not None and (best is None or len(found.labels) > best[0]):
                best = (len(found.labels), found, i + depth)
        if best is not None:
            return best[1], best[2]
    return None


def _continues(upper: Row, lower: Row) -> bool:
    """``lower`` is the second line of a wrapped header: close under it and without data."""
    return lower.y0 - upper.y1 < 0.9 * upper.h and not _AMOUNT_LIKE.search(lower.compact)


def _merge(rows: list[Row]) -> Row:
    """Header lines stacked into one row: cells overlapping in x are joined top to bottom."""
    if len(rows) == 1:
        return rows[0]
    groups: list[list[Cell]] = []
    for cell in sorted((c for r in rows for c in r.cells), key=lambda c: c.x0):
        for g in groups:
            if min(cell.x1, max(c.x1 for c in g)) - max(cell.x0, min(c.x0 for c in g)) > 0:
                g.append(cell)
                break
        else:
            groups.append([cell])
    cells = []
    for g in groups:
        ordered = sorted(g, key=lambda c: (c.cy, c.x0))
        cells.append(Cell("".join(c.text.replace(" ", "") for c in ordered), min(c.x0 for c in g),
                          min(c.y0 for c in g), max(c.x1 for c in g), max(c.y1 for c in g),
                          min(c.conf for c in g)))
    return Row(cells, rows[0].page_no)


def _body(rows: list[Row], start: int, table: GoodsTable) -> tuple[list[Row], bool]:
    """Rows from ``start`` to the end of the table on this page, and whether the table ended here."""
    out = []
    for row in rows[start:]:
        compact = row.compact
        if _END.search(compact) or (CLAUSE_START.match(compact) and not _AMOUNT_LIKE.search(compact)):
            if re.match(r"^(?:合计|总计|总价|价税合计|大写|人民币)", compact) or "大写" in compact:
                table.total_rows.append(row)
            return out, True
        out.append(row)
    return out, False


def _lines(page: int, rows: list[Row], body: list[Row], columns: list[Column], header: Header,
           table: GoodsTable, bands: list[tuple[float, float]] | None) -> None:
    if not body:
        return
    if bands:
        for top, bottom in bands:
            members = [r for r in body if top <= r.cy <= bottom]
            anchors = [i for i, r in enumerate(members) if _is_goods(assign(r, columns))]
            if len(anchors) < 2:  # one line, its cells wrapped inside the ruled band
                _add(page, rows, members, columns, header, table)
                continue
            # rules drawn round the table but not between its lines: each row that is a line on its own is one
            for _anchor, lines in sorted(attach_wrapped(members, anchors).items()):
                _add(page, rows, lines, columns, header, table)
        return
    assigned = [assign(r, columns) for r in body]
    anchors = [i for i, cells in enumerate(assigned) if _is_goods(cells)]
    if not anchors:
        return
    h = _median_h(body)
    first = anchors[0]
    # text far above the first goods line (a page header on a continued page) is not part of the table
    keep = [i for i in range(len(body)) if i >= first or body[first].y0 - body[i].y1 < 1.2 * h]
    last = anchors[-1]
    keep = [i for i in keep if i <= last or body[i].y0 - body[last].y1 < 1.2 * h]
    kept_rows = [body[i] for i in keep]
    kept_anchors = [keep.index(a) for a in anchors]
    for _anchor, members in sorted(attach_wrapped(kept_rows, kept_anchors).items()):
        _add(page, rows, members, columns, header, table)


def _add(page: int, rows: list[Row], members: list[Row], columns: list[Column], header: Header,
         table: GoodsTable) -> None:
    """One goods line from the rows it is printed on (nothing when they hold no goods line)."""
    cells: dict[str, list[Cell]] = {}
    cut: set[str] = set()
    for row in (cut_at_script_change(r, columns) for r in members):
        assigned = assign(row, columns)
        cut |= cut_between_characters(row, assigned)
        for key, found in assigned.items():
            cells.setdefault(key, []).extend(found)
    if not members or not _is_goods(cells):
        return
    table.rows.append(read_row(page, len(table.rows) + 1, cells, has_number_column="no" in header.labels,
                               cut=cut))
    for row in members:
        table.body.add((page, rows.index(row)))


def cut_at_script_change(row: Row, columns: list[Column]) -> Row:
    """A run read across a column border where a number ends and Chinese text begins (5,968.20二〇二四年: an
    amount run into the 交货期 column) is cut there, not by character width, which may cut inside the number."""
    cells: list[Cell] = []
    for cell in (part for c in row.cells for part in _cut_before_code(c, columns)):
        m = _NUMBER_THEN_HAN.search(cell.text)
        crossed = sum(1 for c in columns if min(cell.x1, c.x1) - max(cell.x0, c.x0) > 0.25 * (cell.x1 - cell.x0))
        touched = sum(1 for c in columns if min(cell.x1, c.x1) - max(cell.x0, c.x0) > 0.5 * cell.h)
        # a quantity run into its unit (105台) may reach only a little into the unit column
        unit = m is not None and m.start() == 0 and _UNIT_LIKE.fullmatch(cell.text[m.end():]) is not None
        if m is None or (crossed < 2 and not (unit and touched >= 2)):
            cells.append(cell)
            continue
        head, tail = cell.text[: m.end()], cell.text[m.end() :]
        at = x_at(cell.text, m.end(), cell.x0, cell.x1)
        # each piece wholly in its column: cut at the column border nearest the estimate (glyph widths vary)
        borders = [c.x1 for c in columns if cell.x0 < c.x1 < cell.x1]
        at = min(borders, key=lambda x: abs(x - at)) if borders else at
        cells += [Cell(head, cell.x0, cell.y0, at, cell.y1, cell.conf), Cell(tail, at, cell.y0, cell.x1, cell.y1,
                                                                             cell.conf)]
    return Row(cells, row.page_no) if len(cells) != len(row.cells) else row


def _cut_before_code(cell: Cell, columns: list[Column]) -> list[Cell]:
    """A run across a column border whose Chinese text turns into a code or size within a character of the
    border (工业级以太网8口千兆导轨式 over 产品名称 | 型号规格) is cut where the code begins: a width estimate put the
    8 on the name's side."""
    borders = [c.x1 for c in columns if cell.x0 + cell.h < c.x1 < cell.x1 - cell.h]
    char = cell.h  # a Chinese character is about as wide as the run is high
    for m in _HAN_THEN_CODE.finditer(cell.text):
        at = x_at(cell.text, m.start(), cell.x0, cell.x1)
        near = [b for b in borders if abs(b - at) <= char]
        if near:
            border = min(near, key=lambda b: abs(b - at))
            head, tail = cell.text[: m.start()], cell.text[m.start():]
            return [Cell(head, cell.x0, cell.y0, border, cell.y1, cell.conf),
                    Cell(tail, border, cell.y0, cell.x1, cell.y1, cell.conf)]
    return [cell]


def cut_between_characters(row: Row, assigned: dict[str, list[Cell]]) -> set[str]:
    """Columns given part of one OCR run that was cut by character width between two Chinese characters (a
    name running into the spec column): where such a cut falls is a guess, one character either way."""
    out = set()
    for key, parts in assigned.items():
        for part in parts:
            if part in row.cells or not part.text:
                continue
            whole = next((c for c in row.cells if c.x0 - 1 <= part.x0 and part.x1 <= c.x1 + 1 and part.text in c.text),
                         None)
            if whole is None:
                continue
            i = whole.text.find(part.text)
            before, after = whole.text[i - 1 : i] if i else "", whole.text[i + len(part.text) : i + len(part.text) + 1]
            if (_HAN.match(before) and _HAN.match(part.text[0])) or (_HAN.match(after) and _HAN.match(part.text[-1])):
                out.add(key)
    return out


def _is_goods(cells: dict[str, list[Cell]]) -> bool:
    """A goods line carries numbers in two numeric columns, or one and text in the name column (a name
    wrapped above and below a vertically centred row leaves the row's own name cell empty)."""
    filled = [key for key in ("amount", "price", "quantity") if any(_DIGITS.search(c.text) for c in cells.get(key, []))]
    texts = [c for key in ("name", "no") for c in cells.get(key, []) if not c.text.strip().isdigit()]
    return len(filled) >= 2 or (bool(filled) and bool(texts))
