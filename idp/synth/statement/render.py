"""Draws a :class:`SyntheticStatement` as a multi-page text PDF in the layout of its family.

Everything that differs between banks comes from the family file (:mod:`idp.synth.statement.families`): the
title, the header items and their labels (inline ``label：value`` or a bordered grid), the period phrase, the
table's columns, widths and sign convention, the order of rows, an opening-balance row, carried balances
(承前页/过次页) and page subtotals, whether later pages repeat the header, rules or a full grid, row shading,
fonts and sizes, the footer totals, a note and the bank's e-seal. Long texts wrap inside their cells.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from idp.synth._font import register_cjk_font
from idp.synth.statement.cells import MONEY_KEYS, NUMBER_KEYS, cell, header_items, plain_money
from idp.synth.statement.families import Column, Family
from idp.synth.statement.model import SyntheticStatement

_PAD = 3.0  #: cell padding (pt)
_FOOTER_SPACE = 58.0  #: kept free under the table on every page (page number, print date)


@dataclass
class Line:
    """One table row as printed: its kind, the transaction index it shows, and each column's wrapped lines."""

    kind: str  #: txn | opening | carry_in | carry_out | subtotal
    index: int | None
    cells: list[list[str]]
    money: dict[str, Decimal] = field(default_factory=dict)


def render(s: SyntheticStatement) -> bytes:
    """The statement as a text PDF (reportlab ``invariant=1``: same data, same bytes)."""
    from reportlab.pdfgen.canvas import Canvas

    fam = s.family
    font = register_cjk_font(_all_text(s, fam))
    width, height = fam.page_size
    cols = _fit(fam.columns, width - 2 * fam.margin)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    c.setTitle(fam.title)
    c.setCreator(f"{fam.bank}网上银行")
    c.setProducer(f"{fam.bank}电子对账系统")
    pen = _Pen(c, fam, font, cols, width, height)
    pages = _paginate(s, fam, pen)
    for page_no, lines in enumerate(pages, start=1):
        y = pen.top_block(s, page_no)
        if page_no == 1 or fam.repeat_table_header:
            y = pen.table_header(y)
        y = pen.rows(lines, y, s)
        if page_no == len(pages):
            pen.footer(s, y - 20)
        pen.page_foot(s, page_no, len(pages))
        c.showPage()
    c.save()
    return out.getvalue()


def _fit(columns: tuple[Column, ...], room: float) -> tuple[Column, ...]:
    total = sum(col.width for col in columns)
    if total <= room:
        return columns
    k = room / total
    return tuple(Column(col.key, col.label, col.width * k, col.align) for col in columns)


def _all_text(s: SyntheticStatement, fam: Family) -> str:
    parts = [fam.title, "第页共/打印日期：-0123456789合计期初余额期末余额", fam.note, fam.page_number]
    parts += [col.label for col in fam.columns] + list(fam.footer_labels.values()) + list(fam.labels.values())
    parts += [*fam.page_subtotals, *fam.carry_rows, fam.opening_row, fam.separator]
    parts += [f"{lab}{val}" for row in fam.header_rows for key in row for lab, val in header_items(key, s, fam)]
    parts += [cell(col.key, i, t, s, fam, i + 1) for i, t in enumerate(s.txns) for col in fam.columns]
    return "".join(parts)


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, font, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    return [*lines, current] if current else lines or [""]


def _paginate(s: SyntheticStatement, fam: Family, pen: _Pen) -> list[list[Line]]:
    """Table rows split into pages, with carried balances and page subtotals where the family prints them."""
    order = list(range(len(s.txns)))[::-1] if fam.newest_first else list(range(len(s.txns)))
    body: list[Line] = []
    if fam.opening_row:
        body.append(pen.label_line("opening", fam.opening_row, s.opening, date=s.period_start))
    body += [pen.txn_line(s, i, n) for n, i in enumerate(order, start=1)]
    extra = (1 if fam.carry_rows[1] else 0) + (1 if fam.page_subtotals[0] else 0)
    pages: list[list[Line]] = [[]]
    used, space = 0.0, pen.space(1)
    prev_balance: Decimal | None = None
    for line in body:
        need = pen.height(line)
        limit = fam.rows_per_page and len([x for x in pages[-1] if x.kind == "txn"]) >= fam.rows_per_page
        if pages[-1] and (used + need + extra * (fam.line + _PAD) > space or limit):
            pages.append([])
            used, space = 0.0, pen.space(len(pages))
            if fam.carry_rows[0]:
                used += fam.line + _PAD
        pages[-1].append(line)
        used += need
    for k, page in enumerate(pages):
        txns = [x for x in page if x.kind == "txn"]
        last = txns[-1] if txns else None
        if k > 0 and fam.carry_rows[0] and prev_balance is not None:
            page.insert(0, pen.label_line("carry_in", fam.carry_rows[0], prev_balance))
        if fam.page_subtotals[0]:
            debit = sum((x.money["debit"] for x in txns), Decimal("0.00"))
            credit = sum((x.money["credit"] for x in txns), Decimal("0.00"))
            page.append(pen.subtotal_line(debit, credit))
        prev_balance = last.money["balance"] if last else None
        if k < len(pages) - 1 and fam.carry_rows[1] and prev_balance is not None:
            page.append(pen.label_line("carry_out", fam.carry_rows[1], prev_balance))
    return pages


class _Pen:
    """Draws one statement's parts on the canvas (fonts, column positions and sizes fixed per statement)."""

    def __init__(self, c: object, fam: Family, font: str, cols: tuple[Column, ...], w: float, h: float) -> None:
        self.c, self.fam, self.font, self.cols, self.w, self.h = c, fam, font, cols, w, h
        self.numbers = font if fam.numbers == "cjk" else fam.numbers
        self.x0 = (w - sum(col.width for col in cols)) / 2
        self.table_w = sum(col.width for col in cols)

    # --- sizes -------------------------------------------------------------------------------------------
    def header_rows(self, page_no: int) -> tuple[tuple[str, ...], ...]:
        rows = self.fam.header_rows
        later = self.fam.header_on_later_pages
        return rows if page_no == 1 or later == "all" else rows[:1] if later == "first_row" else ()

    def space(self, page_no: int) -> float:
        """Height left for table rows on a page."""
        fam = self.fam
        per_row = (fam.header_size + 7) * (2 if fam.header_style == "stacked" else 1)
        top = fam.margin + fam.title_size + 16 + len(self.header_rows(page_no)) * per_row + 8
        if page_no == 1 or fam.repeat_table_header:
            top += self._label_lines() * fam.line + 6
        bottom = _FOOTER_SPACE + (len(fam.footer) > 0) * 26 + (12 if fam.note else 0)
        return self.h - top - bottom

    def _label_lines(self) -> int:
        return max(len(col.label.split("\n")) for col in self.cols)

    def height(self, line: Line) -> float:
        return max(len(c) for c in line.cells) * self.fam.line + _PAD

    # --- lines -------------------------------------------------------------------------------------------
    def txn_line(self, s: SyntheticStatement, i: int, seq: int) -> Line:
        t = s.txns[i]
        cells = []
        for col in self.cols:
            text = cell(col.key, i, t, s, self.fam, seq)
            wraps = col.key not in NUMBER_KEYS or col.key == "account"
            f = self.font if col.key not in NUMBER_KEYS else self.numbers
            size = self.fam.table_size
            pieces = text.split("\n")  # a cell printed on set lines (date over time, name over account)
            cells.append([ln for p in pieces for ln in (_wrap(p, col.width - 2 * _PAD, f, size) if wraps else [p])])
        amount = s.amount_printed(i)
        money = {
            "debit": -amount if amount < 0 else Decimal("0.00"),
            "credit": amount if amount > 0 else Decimal("0.00"),
            "balance": t.balance,
        }
        return Line("txn", i, cells, money)

    def _text_column(self) -> int:
        keys = [col.key for col in self.cols]
        for key in ("description", "name", "channel", "voucher", "seq"):
            if key in keys:
                return keys.index(key)
        return min(1, len(keys) - 1)

    def label_line(self, kind: str, label: str, balance: Decimal, date: object = None) -> Line:
        cells: list[list[str]] = [[""] for _ in self.cols]
        cells[self._text_column()] = [label]
        keys = [col.key for col in self.cols]
        if "balance" in keys:
            cells[keys.index("balance")] = [plain_money(balance, self.fam)]
        if date is not None and "date" in keys:
            cells[keys.index("date")] = [date.strftime(self.fam.date_format)]  # type: ignore[attr-defined]
        return Line(kind, None, cells, {"balance": balance})

    def subtotal_line(self, debit: Decimal, credit: Decimal) -> Line:
        """Per-page totals: in the debit/credit columns when the table has them, else spelled in one cell."""
        cells: list[list[str]] = [[""] for _ in self.cols]
        keys = [col.key for col in self.cols]
        label_d, label_c = self.fam.page_subtotals
        if "debit" in keys and "credit" in keys:
            cells[self._text_column()] = [label_d]
            cells[keys.index("debit")] = [plain_money(debit, self.fam)]
            cells[keys.index("credit")] = [plain_money(credit, self.fam)]
        else:
            first = 0 if keys[0] != "seq" else 1
            cells[first] = [f"{label_d}{self.fam.separator}{plain_money(debit, self.fam)}   "
                            f"{label_c}{self.fam.separator}{plain_money(credit, self.fam)}"]
        return Line("subtotal", None, cells)

    # --- drawing -----------------------------------------------------------------------------------------
    def top_block(self, s: SyntheticStatement, page_no: int) -> float:
        """Title and header items; returns the y of the table header's baseline."""
        c, fam = self.c, self.fam
        y = self.h - fam.margin - 8
        c.setFillColorRGB(0, 0, 0)  # type: ignore[attr-defined]
        if fam.title_bold:
            text = c.beginText()  # type: ignore[attr-defined]
            text.setTextRenderMode(2)
            c.setLineWidth(0.4)  # type: ignore[attr-defined]
            from reportlab.pdfbase.pdfmetrics import stringWidth

            text.setFont(self.font, fam.title_size)
            text.setTextOrigin(self.w / 2 - stringWidth(fam.title, self.font, fam.title_size) / 2, y)
            text.textOut(fam.title)
            text.setTextRenderMode(0)  # the render mode outlives the text object: back to plain fill
            c.drawText(text)  # type: ignore[attr-defined]
        else:
            c.setFont(self.font, fam.title_size)  # type: ignore[attr-defined]
            c.drawCentredString(self.w / 2, y, fam.title)  # type: ignore[attr-defined]
        y -= fam.title_size + 10
        for keys in self.header_rows(page_no):
            items = [pair for key in keys for pair in header_items(key, s, fam)]
            if fam.header_style == "stacked":
                self._stacked_row(items, y)
                y -= 2 * (fam.header_size + 7)
            else:
                self._header_row(items, y)
                y -= fam.header_size + 7
        return y - 6

    def _stacked_row(self, items: list[tuple[str, str]], y: float) -> None:
        """Labels on one line, each value under its label (a header printed as a two-line grid)."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        c, fam = self.c, self.fam
        x = self.x0
        for label, value in items:
            c.setFont(self.font, fam.header_size)  # type: ignore[attr-defined]
            c.drawString(x, y, label)  # type: ignore[attr-defined]
            numeric = value.replace(",", "").replace(".", "").replace("-", "").replace(" ", "").isdigit()
            vfont = self.numbers if numeric else self.font
            c.setFont(vfont, fam.header_size)  # type: ignore[attr-defined]
            c.drawString(x, y - fam.header_size - 5, value)  # type: ignore[attr-defined]
            width = max(stringWidth(label, self.font, fam.header_size), stringWidth(value, vfont, fam.header_size))
            x += max(150.0, width + 30)

    def _header_row(self, items: list[tuple[str, str]], y: float) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        c, fam = self.c, self.fam
        x = self.x0
        for label, value in items:
            head = f"{label}{fam.separator}"
            c.setFont(self.font, fam.header_size)  # type: ignore[attr-defined]
            c.drawString(x, y, head)  # type: ignore[attr-defined]
            vx = x + stringWidth(head, self.font, fam.header_size)
            numeric = value.replace(",", "").replace(".", "").replace("-", "").replace(" ", "").isdigit()
            vfont = self.numbers if numeric else self.font
            c.setFont(vfont, fam.header_size)  # type: ignore[attr-defined]
            c.drawString(vx, y, value)  # type: ignore[attr-defined]
            end = vx + stringWidth(value, vfont, fam.header_size)
            x += max(240.0 if self.fam.landscape else 180.0, end - x + 30)

    def table_header(self, y: float) -> float:
        c, fam = self.c, self.fam
        c.setLineWidth(0.6)  # type: ignore[attr-defined]
        c.line(self.x0, y + fam.line, self.x0 + self.table_w, y + fam.line)  # type: ignore[attr-defined]
        c.setFont(self.font, fam.table_size)  # type: ignore[attr-defined]
        x = self.x0
        n = self._label_lines()
        for col in self.cols:
            for k, part in enumerate(col.label.split("\n")):
                c.drawCentredString(x + col.width / 2, y - k * fam.line, part)  # type: ignore[attr-defined]
            x += col.width
        self.table_top = y + fam.line
        y -= (n - 1) * fam.line + 5
        c.line(self.x0, y, self.x0 + self.table_w, y)  # type: ignore[attr-defined]
        return y

    def rows(self, lines: list[Line], y: float, s: SyntheticStatement) -> float:
        c, fam = self.c, self.fam
        top = getattr(self, "table_top", y)
        self.table_top = y
        for n, line in enumerate(lines):
            rows = max(len(cell) for cell in line.cells)
            bottom = y - rows * fam.line - _PAD
            if fam.shading and n % 2 == 1:
                c.setFillColorRGB(0.92, 0.92, 0.92)  # type: ignore[attr-defined]
                c.rect(self.x0, bottom + 1, self.table_w, y - bottom - 1, stroke=0, fill=1)  # type: ignore[attr-defined]
                c.setFillColorRGB(0, 0, 0)  # type: ignore[attr-defined]
            y -= fam.line
            self._cells(line, y, s)
            y -= (rows - 1) * fam.line + _PAD
            if fam.grid == "full":
                c.line(self.x0, y - 1, self.x0 + self.table_w, y - 1)  # type: ignore[attr-defined]
        if fam.grid != "none":
            c.line(self.x0, y - 3, self.x0 + self.table_w, y - 3)  # type: ignore[attr-defined]
        if fam.grid == "full":
            x = self.x0
            for col in (*self.cols, None):
                c.line(x, top, x, y - 3)  # type: ignore[attr-defined]
                x += col.width if col else 0
        return y

    def _cells(self, line: Line, y: float, s: SyntheticStatement) -> None:
        c, fam = self.c, self.fam
        x = self.x0
        for col, texts in zip(self.cols, line.cells, strict=True):
            numeric = col.key in NUMBER_KEYS and line.kind == "txn" or col.key in MONEY_KEYS
            f = self.numbers if numeric else self.font
            if line.kind == "txn" and line.index == s.tampered_row and col.key in MONEY_KEYS[:4]:
                f = "Helvetica" if self.numbers != "Helvetica" else "Courier"
            c.setFont(f, fam.table_size)  # type: ignore[attr-defined]
            align = col.align or ("right" if col.key in MONEY_KEYS else "left")
            for k, text in enumerate(texts):
                ly = y - k * fam.line
                if align == "right":
                    c.drawRightString(x + col.width - _PAD, ly, text)  # type: ignore[attr-defined]
                elif align == "center":
                    c.drawCentredString(x + col.width / 2, ly, text)  # type: ignore[attr-defined]
                else:
                    c.drawString(x + _PAD, ly, text)  # type: ignore[attr-defined]
            x += col.width

    def footer(self, s: SyntheticStatement, y: float) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        c, fam = self.c, self.fam
        x = self.x0
        values = {key: header_items(key, s, fam)[0][1] for key in fam.footer}
        for key in fam.footer:
            label = f"{fam.footer_labels.get(key, fam.labels.get(key, key))}{fam.separator}"
            c.setFont(self.font, fam.header_size)  # type: ignore[attr-defined]
            c.drawString(x, y, label)  # type: ignore[attr-defined]
            c.setFont(self.numbers, fam.header_size)  # type: ignore[attr-defined]
            c.drawString(x + stringWidth(label, self.font, fam.header_size), y, values[key])  # type: ignore[attr-defined]
            x += 200
        if fam.note:
            c.setFont(self.font, fam.header_size - 1)  # type: ignore[attr-defined]
            c.drawString(self.x0, y - 14, fam.note)  # type: ignore[attr-defined]
        if fam.seal:
            self._seal(s, y)

    def _seal(self, s: SyntheticStatement, y: float) -> None:
        from reportlab.lib.utils import ImageReader

        from idp.synth._seal import seal_png

        size = 90.0
        image = ImageReader(io.BytesIO(seal_png(self.fam.bank, s.seed, caption="电子回单专用章")))
        x = self.x0 + self.table_w - size - 20
        self.c.drawImage(image, x, max(20.0, y - size / 2), size, size, mask="auto")  # type: ignore[attr-defined]

    def page_foot(self, s: SyntheticStatement, page_no: int, pages: int) -> None:
        c, fam = self.c, self.fam
        c.setFont(self.font, 8)  # type: ignore[attr-defined]
        label = fam.footer_labels.get("print_date", "打印日期")
        if label and not any("print_date" in row for row in fam.header_rows):
            c.drawString(self.x0, 28, f"{label}：{s.period_end:%Y-%m-%d}")  # type: ignore[attr-defined]
        text = fam.page_number.format(n=page_no, total=pages)
        c.drawRightString(self.w - self.x0, 28, text)  # type: ignore[attr-defined]
