"""Render a foreign statement as a text PDF: pages laid out by hand (title and account block, the table's
column row on every page, optional 本页合计 line, footer), rows in the family's order and columns.
"""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from idp.synth._seal import seal_png
from idp.synth.foreign import fmt
from idp.synth.foreign.pdfkit import cjk_font, markup, style
from idp.synth.foreign.statement_model import Statement, Txn

_WEIGHTS = {"seq": 0.55, "date": 1.0, "time": 0.8, "datetime": 1.6, "description": 1.2, "voucher": 1.0,
            "counterparty_name": 2.3, "counterparty_account": 1.8, "counterparty": 2.8, "debit": 1.2,
            "credit": 1.2, "amount": 1.3, "abs_amount": 1.2, "direction": 0.6, "balance": 1.3, "channel": 0.9,
            "currency": 0.7}
_NUMERIC = {"debit", "credit", "amount", "abs_amount", "balance"}
_MARGIN = 14 * mm


def render(statement: Statement) -> bytes:
    """The statement as PDF bytes (byte-identical for the same statement)."""
    f = statement.family
    size = landscape(A4) if f.landscape else A4
    font = cjk_font(_all_text(statement))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=1, pageCompression=1)
    canvas.setTitle(statement.title)
    order = list(range(len(statement.txns)))
    if f.newest_first:
        order.reverse()
    pages = _paginate(statement, order, font, size)
    for number, rows in enumerate(pages, start=1):
        _page(canvas, statement, rows, number, len(pages), font, size)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def page_rows(statement: Statement) -> list[list[int]]:
    """Which transactions (indexes, in print order) each page of the rendered statement shows."""
    f = statement.family
    order = list(range(len(statement.txns)))
    if f.newest_first:
        order.reverse()
    return _paginate(statement, order, cjk_font(_all_text(statement)), landscape(A4) if f.landscape else A4)


def _all_text(s: Statement) -> str:
    f = s.family
    parts = [s.title, s.bank, s.holder, s.branch, f.footer, f.opening_label, f.closing_label]
    parts += [label for _, label in f.header_fields] + [label for _, label in f.columns]
    parts += [t.description + t.cp_name + t.channel for t in s.txns]
    parts += [_header_value(s, key) for key, _ in f.header_fields]
    parts.append(Path(sys.modules[__name__].__file__ or "").read_text(encoding="utf-8"))
    return "".join(parts)


def _money(s: Statement, value: Any, *, signed: bool = False) -> str:
    text = fmt.money(value, thousands=s.family.thousands)
    if signed and s.family.debit_sign == "+-" and value > 0:
        return "+" + text
    return text


def _date(s: Statement, t: Txn) -> str:
    return fmt.day(t.when.date(), s.family.date_style)


def _time(s: Statement, t: Txn) -> str:
    return t.when.strftime("%H%M%S" if s.family.time_style == "compact" else "%H:%M:%S")


def cell(s: Statement, i: int, key: str, seq: int) -> str:
    """The text of column ``key`` for transaction ``i`` (printed as row number ``seq``)."""
    t = s.txns[i]
    credit = t.amount > 0
    flag = next((label for key, label in s.family.columns if key == "direction"), "")
    direction_words = ("收", "支") if "收" in flag else ("贷", "借")
    values = {
        "seq": str(seq), "date": _date(s, t), "time": _time(s, t),
        "datetime": f"{t.when.date().isoformat()} {t.when:%H:%M:%S}", "description": t.description,
        "voucher": t.voucher, "counterparty_name": t.cp_name, "counterparty_account": t.cp_account,
        "counterparty": f"{t.cp_account} {t.cp_name}".strip(), "channel": t.channel, "currency": "人民币",
        "debit": "" if credit else _money(s, -t.amount), "credit": _money(s, t.amount) if credit else "",
        "amount": _money(s, t.amount, signed=True), "abs_amount": _money(s, abs(t.amount)),
        "direction": direction_words[0] if credit else direction_words[1], "balance": _money(s, s.balance_of(i)),
    }
    return values[key]


def _header_value(s: Statement, key: str) -> str:
    f = s.family
    start, end = fmt.day(s.start, f.date_style), fmt.day(s.end, f.date_style)
    return {
        "holder": s.holder, "account": s.shown_account, "currency": "人民币", "branch": s.branch,
        "period": f.period_format.format(start=start, end=end), "period_start": start, "period_end": end,
        "print_date": fmt.day(s.print_date or s.end, f.date_style),
        "account_type": "个人活期" if f.personal else "单位活期",
        "opening": _money(s, s.opening), "closing": _money(s, s.closing),
    }[key]


def _table(s: Statement, rows: list[int], font: str, width: float, first_seq: int) -> Table:
    f = s.family
    cell_style = style("c", font, f.font_size, leading=f.font_size * 1.25)
    right = style("r", font, f.font_size, align="right", leading=f.font_size * 1.25)
    head = style("h", font, f.font_size, align="center", leading=f.font_size * 1.25)
    data = [[Paragraph(markup(label), head) for _, label in f.columns]]
    for n, i in enumerate(rows):
        data.append([Paragraph(markup(cell(s, i, key, first_seq + n), f.digit_font),
                               right if key in _NUMERIC else cell_style) for key, _ in f.columns])
    weights = [_WEIGHTS[k] for k, _ in f.columns]
    table = Table(data, colWidths=[width * w / sum(weights) for w in weights], repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F7FA")]),
    ]))
    return table


def _header_height(s: Statement, first: bool) -> float:
    lines = (len(s.family.header_fields) + 1) // 2
    return (14 + lines * 12 + 10) * (1 if first or s.family.repeat_header else 0) + 10


def _paginate(s: Statement, order: list[int], font: str, size: tuple[float, float]) -> list[list[int]]:
    """Rows per page: at most the family's count, fewer when wrapped cells make the table too tall."""
    width, height = size
    pages: list[list[int]] = []
    k = 0
    while k < len(order) or not pages:
        room = height - 2 * _MARGIN - _header_height(s, not pages) - 40
        take = min(s.family.rows_per_page, len(order) - k)
        while take > 1 and _table(s, order[k:k + take], font, width - 2 * _MARGIN, k + 1).wrap(
                width - 2 * _MARGIN, room)[1] > room:
            take -= 1
        pages.append(order[k:k + take])
        k += take
        if take == 0:
            break
    return pages


def _page(c: Canvas, s: Statement, rows: list[int], number: int, total: int, font: str,
          size: tuple[float, float]) -> None:
    f = s.family
    width, height = size
    y = height - _MARGIN
    if number == 1 and s.bank not in s.title:  # the bank's name as its logo line
        c.setFont(font, 11)
        c.setFillColor(colors.HexColor("#0B5E3B"))
        c.drawString(_MARGIN, y - 2, s.bank)
        c.setFillColor(colors.black)
    if number == 1 or f.repeat_header:
        c.setFont(font, 14)
        c.drawCentredString(width / 2, y - 12, s.title)
        y -= 26
        c.setFont(font, f.font_size + 1)
        col = (width - 2 * _MARGIN) / 2
        for n, (key, label) in enumerate(f.header_fields):
            x = _MARGIN + (n % 2) * col
            c.drawString(x, y, f"{label}：{_header_value(s, key)}")
            if n % 2 == 1 or n == len(f.header_fields) - 1:
                y -= 12
        y -= 4
    if number == 1 and f.opening_label:
        c.setFont(font, f.font_size + 0.5)
        c.drawString(_MARGIN, y, f"{f.opening_label}：{_money(s, s.opening)}")
        y -= 12
    table = _table(s, rows, font, width - 2 * _MARGIN, _seq_start(s, rows))
    _, th = table.wrap(width - 2 * _MARGIN, y - _MARGIN)
    table.drawOn(c, _MARGIN, y - th)
    y -= th + 12
    c.setFont(font, f.font_size + 0.5)
    if f.page_totals:
        debit = sum((-s.txns[i].amount for i in rows if s.txns[i].amount < 0), Decimal(0))
        credit = sum((s.txns[i].amount for i in rows if s.txns[i].amount > 0), Decimal(0))
        n_debit = sum(1 for i in rows if s.txns[i].amount < 0)
        c.drawString(_MARGIN, y, f"本页借方合计：{_money(s, debit)}（{n_debit}笔）    "
                                 f"本页贷方合计：{_money(s, credit)}（{len(rows) - n_debit}笔）")
        y -= 12
    if number == total:
        if f.closing_label:
            c.drawString(_MARGIN, y, f"{f.closing_label}：{_money(s, s.closing)}")
        if f.stamp:
            png = seal_png(s.bank, s.seed, caption="业务专用章")
            c.drawImage(ImageReader(io.BytesIO(png)), width - _MARGIN - 45 * mm, max(y - 45 * mm, 20), 40 * mm,
                        40 * mm, mask="auto")
    if f.footer:
        c.setFont(font, 8)
        c.drawCentredString(width / 2, 20, f.footer.format(page=number, pages=total))


def _seq_start(s: Statement, rows: list[int]) -> int:
    """Row numbers run through the document in print order."""
    if not rows:
        return 1
    order = list(range(len(s.txns)))
    if s.family.newest_first:
        order.reverse()
    return order.index(rows[0]) + 1
