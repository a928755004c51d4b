"""Statement cells into columns, keeping amounts whole, and wrapped cell text joined line by line.

OCR often reads a right-aligned amount and the left-aligned text of the next column as one box
(``256,064.49代发工资``), and the generic column cut splits boxes by interpolated character widths, which can move
``.49`` into the next column. An amount is one value: it is cut away from text beside it at the digit/letter
boundary and goes whole to the column it overlaps most. Wrapped text lines are joined top line first, whatever
the heights OCR gave each line.
"""

from __future__ import annotations

import re

from extractors.statement.values import CURRENCIES
from extractors.text.glyphs import x_at
from extractors.text.table import Cell, Row, join_cells
from extractors.text.table_columns import Column, assign

#: An amount at the start or the end of a box that also holds text.
_LEADING = re.compile(r"^([-+(（]?[¥￥]?\d{1,3}(?:,\d{3})*\.\d{2}[)）]?|[-+]?[¥￥]?\d+\.\d{2})(?=[^\d.,])")
_TRAILING = re.compile(r"(?<=[^\d.,\-+(（¥￥])([-+(（]?[¥￥]?\d{1,3}(?:,\d{3})*\.\d{2}[)）]?|[-+]?[¥￥]?\d+\.\d{2})$")
_TWO_AMOUNTS = re.compile(r"([-+(]?[¥￥]?\d{1,3}(?:,\d{3})*\.\d{2}\)?)([-+(]?[¥￥]?\d{1,3}(?:,\d{3})*\.\d{2}\)?)")
#: An amount with its two decimals run into the next column's account number (``2756409.954085880416578191``):
#: no amount prints more than two decimals, so the cut after them is certain.
_AMOUNT_THEN_ACCOUNT = re.compile(r"([-+]?[¥￥]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2})(\d{8,})")
_AMOUNT = re.compile(r"[-+(（]?[¥￥]?\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?[)）]?-?|[-+]?[¥￥]?\d+\.\d{2}-?")
_MONEY_KEYS = ("amount", "debit", "credit", "balance")
#: A currency printed beside every amount (``171,410.77 CNY``, ``RMB 20.00``) or a debit/credit mark in English
#: (``1,200.00 DR``): part of the amount, never text of the next column.
_UNIT = re.compile("|".join(sorted((*CURRENCIES, "Dr", "Cr", "Debit", "Credit"), key=len, reverse=True)),
                   re.IGNORECASE)
#: A currency code at the start or end of a box of Chinese words (``CNY成都市启明公司``, ``国家金库CNY``).
_UNIT_BESIDE_WORDS = re.compile(
    r"^(?P<lead>{0})\s*(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff）)])\s*(?P<trail>{0})$".format(
        "|".join(c for c in CURRENCIES if c.isascii())
    )
)
#: A date and the time after it that OCR read as one box (``2023-10-1012:41:10``): two cells, two columns.
_DATE_TIME = re.compile(r"(\d{4}[-/.]\d{2}[-/.]\d{2}|\d{4}年\d{1,2}月\d{1,2}日)(\d{2}:\d{2}(?::\d{2})?)")
#: Two Chinese characters in a row: words, never an amount (元 or 借/贷 beside a number are single).
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2}")


def assign_row(row: Row, columns: list[Column]) -> dict[str, list[Cell]]:
    """The row's cells by column key; amounts are never split and go to the money column they overlap."""
    whole: list[Cell] = []
    rest: list[Cell] = []
    for cell in (part for c in row.cells for part in presplit(c)):
        text = cell.text.replace(" ", "")
        if text in (")", "）") and whole and cell.x0 - whole[-1].x1 < cell.h:  # a bracket OCR read apart
            whole[-1] = Cell(whole[-1].text + text, whole[-1].x0, whole[-1].y0, cell.x1, whole[-1].y1, whole[-1].conf)
            continue
        (whole if _AMOUNT.fullmatch(text) or _UNIT.fullmatch(text) else rest).append(cell)
    out = assign(Row(rest, row.page_no), columns) if rest else {}
    money = [c for c in columns if c.key in _MONEY_KEYS]
    text_columns = [c for c in columns if c.key not in _MONEY_KEYS]
    for key in [k for k in out if k in _MONEY_KEYS]:
        words = [c for c in out[key] if not any(ch.isdigit() for ch in c.text) or _CJK_WORD.search(c.text)]
        if not words or not text_columns:
            continue  # 借/贷 marks beside an amount stay with it
        out[key] = [c for c in out[key] if c not in words]
        for cell in words:  # text is never an amount: to the text column nearest it
            if re.fullmatch(r"[借贷收支DCRdcr+\-]{1,2}", cell.text.strip()) or _UNIT.fullmatch(cell.text.strip()):
                out[key].append(cell)
                continue
            near = min(text_columns, key=lambda c: max(c.x0 - cell.x1, cell.x0 - c.x1, 0.0) + abs(c.x0 - cell.x0) / 1e3)
            out.setdefault(near.key, []).append(cell)
        if not out[key]:
            del out[key]
    for cell in whole:
        target = _most_overlap(cell, money) or _nearest(cell, money) or _most_overlap(cell, columns)
        if target is None:
            out.update({k: out.get(k, []) + v for k, v in assign(Row([cell], row.page_no), columns).items()})
        else:
            out.setdefault(target.key, []).append(cell)
    return out


def _nearest(cell: Cell, money: list[Column]) -> Column | None:
    """The money column just beside an amount that overlaps none: a right-aligned amount runs past its
    column's label when OCR boxes touch the next column's text and the column cut missed it."""
    def gap(col: Column) -> float:
        x0, x1 = min(col.x0, col.header[0]), max(col.x1, col.header[1])
        return max(x0 - cell.x1, cell.x0 - x1, 0.0)

    near = min(money, key=gap, default=None)
    return near if near is not None and gap(near) < 2 * cell.h else None


def _most_overlap(cell: Cell, columns: list[Column]) -> Column | None:
    best, best_overlap = None, 0.0
    for col in columns:
        overlap = min(cell.x1, col.x1) - max(cell.x0, col.x0)
        if overlap > best_overlap:
            best, best_overlap = col, overlap
    return best


def presplit(cell: Cell) -> list[Cell]:
    """A box holding an amount and text (``256,064.49代发工资`` or ``代发工资256,064.49``), two amounts run
    together (``1,000.0011,000.00``: every amount has two decimals), an amount and an account number, or a date
    and its time, as two cells."""
    text = cell.text.strip()
    m = _DATE_TIME.fullmatch(text)
    if m:  # the space OCR dropped between them is given back (the cell reads ``2023-10-10 12:41:10``)
        date, time = _cut(cell, text, m.end(1))
        return [date, Cell(time.text, min(time.x1, time.x0 + 0.3 * cell.h), time.y0, time.x1, time.y1, time.conf)]
    m = _TWO_AMOUNTS.fullmatch(text.replace(" ", ""))
    if m and " " not in text:
        return _cut(cell, text, m.end(1))
    m = _LEADING.match(text)
    if m:
        return _cut(cell, text, m.end())
    m = _AMOUNT_THEN_ACCOUNT.fullmatch(text)
    if m:
        return _cut(cell, text, m.end(1))
    m = _TRAILING.search(text)
    if m and any("\u4e00" <= ch <= "\u9fff" for ch in text[: m.start()]):
        return _cut(cell, text, m.start())
    m = _UNIT_BESIDE_WORDS.search(text)  # OCR read an amount's currency code and the next column as one box
    if m:
        at = m.end("lead") if m.group("lead") else m.start("trail")
        return _cut(cell, text, at)
    return [cell]


def _cut(cell: Cell, text: str, at: int) -> list[Cell]:
    x = x_at(text, at, cell.x0, cell.x1)
    left, right = text[:at].strip(), text[at:].strip()
    return [
        Cell(left, cell.x0, cell.y0, x, cell.y1, cell.conf),
        Cell(right, x, cell.y0, cell.x1, cell.y1, cell.conf),
    ]


def join_lines(cells: list[Cell], sep: str = "") -> str:
    """A cell's text over its wrapped lines: lines top to bottom (a new line where the centre drops by half a
    text height), each line left to right, joined by ``sep`` (a space between a date and the time under it)."""
    if not cells:
        return ""
    ordered = sorted(cells, key=lambda c: c.cy)
    lines: list[list[Cell]] = [[ordered[0]]]
    for cell in ordered[1:]:
        last = lines[-1]
        top = sum(c.cy for c in last) / len(last)
        if cell.cy - top > 0.5 * min(cell.h, min(c.h for c in last)):
            lines.append([cell])
        else:
            last.append(cell)
    return sep.join(join_cells(line) for line in lines).strip()
