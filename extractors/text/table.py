"""Tables from word boxes (text layer or OCR alike): cells grouped into rows by vertical centre, wrapped cell
text attached to its row; :mod:`extractors.text.table_columns` finds the header and the columns, so no layout
needs fixed positions.

Used by the bank statement and the contract goods-table readers. Coordinates are page units (x right, y down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from extractors.text.glyphs import cell_widths
from idp.models import BBox, PageText

#: Two cells share a row when their centres differ by less than this share of the smaller height.
_ROW_TOLERANCE = 0.55
#: Gaps narrower than this many text heights stay inside one column (spaces between words of a cell).
_CELL_GAP = 0.6
#: A non-anchor row joins the nearest anchor row within this many text heights (wrapped cell text).
_WRAP_REACH = 1.7
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: Share of a header row's characters that column names must cover (a clause naming columns is no header).
_HEADER_COVER = 0.6


@dataclass(frozen=True)
class Cell:
    """A word with its box in page units and the reader's confidence."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float = 1.0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass
class Row:
    """Cells on one visual row, left to right."""

    cells: list[Cell]
    page_no: int = 1

    @property
    def y0(self) -> float:
        return min(c.y0 for c in self.cells)

    @property
    def y1(self) -> float:
        return max(c.y1 for c in self.cells)

    @property
    def cy(self) -> float:
        return median(c.cy for c in self.cells)

    @property
    def h(self) -> float:
        return median(c.h for c in self.cells)

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def compact(self) -> str:
        return "".join(c.text for c in self.cells).replace(" ", "")


def page_rows(page: PageText) -> list[Row]:
    """Every word of the page as cells, grouped into rows top to bottom (the reader's lines are not trusted
    to be rows: OCR returns each cell of a table row as its own line)."""
    cells = []
    for line in page.lines:
        words = line.words or []
        if not words:
            b = line.bbox
            cells.append(_cell(line.text, b, page, line.confidence))
        for w in words:
            cells.append(_cell(w.text, w.bbox, page, w.confidence))
    rows: list[list[Cell]] = []
    centres: list[float] = []
    heights: list[float] = []
    for cell in sorted(cells, key=lambda c: (c.cy, c.x0)):
        best, best_dist = -1, 0.0
        for i in range(max(0, len(rows) - 6), len(rows)):
            dist = abs(cell.cy - centres[i])
            if dist <= _ROW_TOLERANCE * min(cell.h, heights[i]) and (best < 0 or dist < best_dist):
                best, best_dist = i, dist
        if best < 0:
            rows.append([cell])
            centres.append(cell.cy)
            heights.append(cell.h)
        else:
            rows[best].append(cell)
            n = len(rows[best])
            centres[best] += (cell.cy - centres[best]) / n
            heights[best] += (cell.h - heights[best]) / n
    out = [Row(_undouble(_reading_order(r)), page.page_no) for r in rows]
    return sorted(out, key=lambda r: r.cy)


#: A cell whose centre lies this many text heights below another's, inside that one's width, is its wrapped
#: next line.
_UNDER = 0.4


def _reading_order(cells: list[Cell]) -> list[Cell]:
    """Left to right, except that a cell under another one's width and lower (a cell's value wrapped onto a
    next line that still falls in the row: ``…437`` over ``室``) follows that one, however far left it starts."""
    order = sorted(cells, key=lambda c: c.x0)
    placed: set[int] = set()
    out: list[Cell] = []

    def place(cell: Cell) -> None:
        out.append(cell)
        placed.add(id(cell))
        for other in order:
            if id(other) not in placed and _wraps_under(cell, other):
                place(other)

    for cell in order:
        if id(cell) not in placed and not any(_wraps_under(o, cell) for o in order if o is not cell):
            place(cell)
    for cell in order:  # under a cell that is itself under another: after the chain
        if id(cell) not in placed:
            place(cell)
    return out


def _wraps_under(upper: Cell, lower: Cell) -> bool:
    h = min(upper.h, lower.h)
    return (lower.cy - upper.cy > _UNDER * h and lower.x0 >= upper.x0 - 0.5 * h and lower.x1 <= upper.x1 + 0.5 * h
            and lower.x1 - lower.x0 < upper.x1 - upper.x0)


def _undouble(cells: list[Cell]) -> list[Cell]:
    """OCR boxes that overlap by a character or more may both hold the characters under the overlap
    (``426,275.03`` then ``34480…``): drop them from the right-hand box when they repeat the left one's end."""
    out = cells[:1]
    for cell in cells[1:]:
        prev = out[-1]
        overlap = prev.x1 - cell.x0
        step = (cell.x1 - cell.x0) / max(1, len(cell.text))
        k = round(overlap / step) if overlap > 0 and step > 0 else 0
        if 1 <= k <= 3 and len(cell.text) > k and prev.text.endswith(cell.text[:k]):
            cell = Cell(cell.text[k:], cell.x0 + k * step, cell.y0, cell.x1, cell.y1, cell.conf)
        out.append(cell)
    return out


def _cell(text: str, b: BBox, page: PageText, conf: float) -> Cell:
    return Cell(text, b.x0 * page.width, b.y0 * page.height, b.x1 * page.width, b.y1 * page.height, conf)


def row_chars(row: Row) -> list[tuple[str, float, float]]:
    """The row's characters with an x-range each, interpolated inside each cell by display width."""
    out = []
    for cell in row.cells:
        text = cell.text
        widths = cell_widths(text)
        unit = (cell.x1 - cell.x0) / max(1, sum(widths))
        x = cell.x0
        for ch, w in zip(text, widths, strict=True):
            if not ch.isspace():
                out.append((ch, x, x + w * unit))
            x += w * unit
    return out


def join_cells(cells: list[Cell]) -> str:
    """Cell fragments in reading order; a space where a visible gap separates two non-Chinese runs on one
    line (``304 Φ32*2.0``), none between Chinese characters or across wrapped lines."""
    parts: list[str] = []
    prev: Cell | None = None
    for cell in sorted(cells, key=lambda c: (round(c.cy / max(c.h, 1e-6) / 1.2), c.x0)):
        if (
            parts
            and prev is not None
            and abs(cell.cy - prev.cy) < 0.5 * cell.h
            and cell.x0 - prev.x1 > 0.15 * cell.h
            and not _CJK.match(parts[-1][-1:])
            and not _CJK.match(cell.text[:1])
        ):
            parts.append(" ")
        parts.append(cell.text)
        prev = cell
    return "".join(parts).strip()


def attach_wrapped(rows: list[Row], anchors: list[int]) -> dict[int, list[Row]]:
    """Each anchor row index with the non-anchor rows that belong to it (wrapped cell text above or below:
    the nearest anchor on either side, within reach)."""
    groups: dict[int, list[Row]] = {a: [rows[a]] for a in anchors}
    ordered = sorted(anchors)
    k = 0
    for i, row in enumerate(rows):
        while k < len(ordered) and ordered[k] < i:
            k += 1
        if k < len(ordered) and ordered[k] == i:
            continue
        best, best_dist = None, 0.0
        for a in ordered[max(0, k - 1) : k + 1]:  # the anchors just above and just below
            dist = abs(rows[a].cy - row.cy)
            if dist <= _WRAP_REACH * rows[a].h and (best is None or dist < best_dist - 1e-6):
                best, best_dist = a, dist
        if best is not None:
            groups[best].append(row)
    return groups
