"""Draws a :class:`SyntheticStatement` as a multi-page text PDF in one of four bank styles.

Styles differ the way real exports do: column sets and order, header labels, date forms, separate 借/贷
columns vs one signed amount vs an amount with a 借贷 flag, newest-first order, long names wrapped in cells.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from idp.synth._font import register_cjk_font
from idp.synth.statement import SyntheticStatement, Txn

_TABLE_SIZE, _HEAD_SIZE = 7.5, 9.0
_LINE = 10.5  #: table line height (pt)
_MARGIN = 30.0


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    width: float


@dataclass(frozen=True)
class Style:
    title: str
    landscape: bool
    cols: tuple[Col, ...]
    date_fmt: str
    separators: bool
    header: tuple[tuple[str, ...], ...]  #: rows of header keys (see ``_header_text``)
    footer: tuple[str, ...]
    newest_first: bool = False
    opening_row: bool = False
    grid: bool = False


STYLES: dict[str, Style] = {
    "icbc": Style(
        "中国工商银行对公账户交易明细",
        True,
        (
            Col("date", "交易日期", 62),
            Col("time", "交易时间", 50),
            Col("voucher", "凭证号", 52),
            Col("description", "摘要", 60),
            Col("debit", "借方发生额", 74),
            Col("credit", "贷方发生额", 74),
            Col("balance", "余额", 78),
            Col("name", "对方户名", 150),
            Col("account", "对方账号", 104),
        ),
        "%Y-%m-%d",
        True,
        (("户名", "账号", "币种"), ("开户行", "查询期间")),
        ("借方发生额合计", "贷方发生额合计", "期末余额"),
        opening_row=True,
        grid=True,
    ),
    "ccb": Style(
        "中国建设银行单位客户账户交易明细",
        True,
        (
            Col("date", "交易日期", 54),
            Col("time", "交易时间", 50),
            Col("flag", "借贷方向", 44),
            Col("amount_abs", "交易金额", 74),
            Col("balance", "账户余额", 78),
            Col("account", "对方账号", 104),
            Col("name", "对方户名", 150),
            Col("description", "摘要", 60),
            Col("voucher", "交易流水号", 60),
        ),
        "%Y%m%d",
        False,
        (("账户名称", "账号"), ("开户机构", "币种", "起止日期"), ("期初余额",)),
        ("支出合计", "收入合计"),
    ),
    "abc": Style(
        "中国农业银行对公明细对账单",
        True,
        (
            Col("date", "交易日期", 58),
            Col("time", "交易时间", 50),
            Col("credit", "收入金额", 74),
            Col("debit", "支出金额", 74),
            Col("balance", "本次余额", 78),
            Col("account", "对方账号", 104),
            Col("name", "对方户名", 150),
            Col("description", "交易用途", 60),
            Col("channel", "交易渠道", 48),
        ),
        "%Y/%m/%d",
        True,
        (("账户名称", "账号"), ("开户行", "币种", "对账期间")),
        ("收入合计", "支出合计"),
        newest_first=True,
    ),
    "cmb": Style(
        "招商银行交易流水",
        False,
        (
            Col("date", "记账日期", 58),
            Col("amount", "交易金额", 70),
            Col("balance", "账户余额", 72),
            Col("description", "交易摘要", 60),
            Col("name", "对方户名", 150),
            Col("account", "对方账号", 108),
        ),
        "%Y-%m-%d",
        True,
        (("户名", "账号"), ("开户行", "币种"), ("起止日期",), ("期初余额", "期末余额")),
        (),
    ),
}
_NUMERIC = ("debit", "credit", "balance", "amount", "amount_abs")


def _money(value: Decimal, separators: bool) -> str:
    return f"{value:,.2f}" if separators else f"{value:.2f}"


def _header_text(key: str, s: SyntheticStatement, style: Style) -> str:
    d = style.date_fmt
    values = {
        "户名": s.holder.name,
        "账户名称": s.holder.name,
        "账号": s.account_number,
        "币种": "人民币",
        "开户行": s.branch,
        "开户机构": s.branch,
        "查询期间": f"{s.period_start:%Y-%m-%d} 至 {s.period_end:%Y-%m-%d}",
        "起止日期": f"{s.period_start.strftime(d)}-{s.period_end.strftime(d)}"
        if d == "%Y%m%d"
        else f"{s.period_start.strftime(d)} 至 {s.period_end.strftime(d)}",
        "对账期间": f"{s.period_start.strftime(d)}-{s.period_end.strftime(d)}",
        "期初余额": _money(s.opening, style.separators),
        "期末余额": _money(s.closing, style.separators),
    }
    return f"{key}：{values[key]}"


def _cell(key: str, i: int, t: Txn, s: SyntheticStatement, style: Style) -> str:
    amount = s.amount_printed(i)
    sep = style.separators
    if key == "date":
        return t.when.strftime(style.date_fmt)
    if key == "time":
        return t.when.strftime("%H:%M:%S")
    if key == "debit":
        return _money(-amount, sep) if amount < 0 else ""
    if key == "credit":
        return _money(amount, sep) if amount > 0 else ""
    if key == "amount":
        return _money(amount, sep)
    if key == "amount_abs":
        return _money(abs(amount), sep)
    if key == "flag":
        return "借" if amount < 0 else "贷"
    if key == "balance":
        return _money(t.balance, sep)
    return {
        "voucher": t.voucher,
        "description": t.description,
        "name": t.counterparty_name or "",
        "account": t.counterparty_account or "",
        "channel": t.channel,
    }[key]


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


def _all_text(s: SyntheticStatement, style: Style) -> str:
    parts = [style.title, "第页共/打印日期：-0123456789合计", *(c.label for c in style.cols), *style.footer]
    parts += [_header_text(k, s, style) for row in style.header for k in row]
    parts += [_cell(c.key, i, t, s, style) for i, t in enumerate(s.txns) for c in style.cols]
    return "".join(parts) + "期初余额期末余额"


def render(s: SyntheticStatement) -> bytes:
    """The statement as a text PDF (reportlab ``invariant=1``: same data, same bytes)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    style = STYLES[s.style]
    font = register_cjk_font(_all_text(s, style))
    width, height = (842.0, 595.0) if style.landscape else (595.0, 842.0)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    c.setTitle(style.title)
    c.setCreator(f"{s.bank}网上银行")
    c.setProducer(f"{s.bank}电子对账系统")
    order = list(range(len(s.txns)))[::-1] if style.newest_first else list(range(len(s.txns)))
    rows: list[tuple[int | None, list[list[str]]]] = []
    if style.opening_row:
        rows.append(
            (
                None,
                [
                    [s.period_start.strftime(style.date_fmt)],
                    [""],
                    [""],
                    ["期初余额"],
                    [""],
                    [""],
                    [_money(s.opening, style.separators)],
                    [""],
                    [""],
                ],
            )
        )
    for i in order:
        rows.append(
            (
                i,
                [
                    _wrap(_cell(col.key, i, s.txns[i], s, style), col.width - 6, font, _TABLE_SIZE)
                    for col in style.cols
                ],
            )
        )
    pages: list[list[tuple[int | None, list[list[str]]]]] = [[]]
    top_first = 150.0 if len(style.header) > 2 else 130.0
    space = height - top_first - 60
    used = 0.0
    for row in rows:
        need = max(len(cell) for cell in row[1]) * _LINE + 3
        if used + need > space and pages[-1]:
            pages.append([])
            used = 0.0
            space = height - 110 - 60
        pages[-1].append(row)
        used += need
    x0 = (width - sum(col.width for col in style.cols)) / 2
    for page_no, page_rows in enumerate(pages, start=1):
        y = height - _MARGIN - 8
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, 14)
        c.drawCentredString(width / 2, y, style.title)
        y -= 24
        header_rows = style.header if page_no == 1 else style.header[:1]
        c.setFont(font, _HEAD_SIZE)
        for keys in header_rows:
            x = x0
            for key in keys:
                c.drawString(x, y, _header_text(key, s, style))
                x += max(240.0, stringWidth(_header_text(key, s, style), font, _HEAD_SIZE) + 30)
            y -= 15
        y -= 6
        c.setLineWidth(0.6)
        c.line(x0, y + 11, x0 + sum(col.width for col in style.cols), y + 11)
        c.setFont(font, _TABLE_SIZE)
        x = x0
        for col in style.cols:
            c.drawCentredString(x + col.width / 2, y, col.label)
            x += col.width
        table_top = y + 11
        y -= 5
        c.line(x0, y, x0 + sum(col.width for col in style.cols), y)
        for index, cells in page_rows:
            y -= _LINE
            x = x0
            for col, lines in zip(style.cols, cells, strict=True):
                for k, line in enumerate(lines):
                    ly = y - k * _LINE
                    if col.key in _NUMERIC:
                        if (
                            index is not None
                            and index == s.tampered_row
                            and col.key in ("debit", "credit", "amount", "amount_abs")
                        ):
                            c.setFont("Helvetica", _TABLE_SIZE)
                            c.drawRightString(x + col.width - 3, ly, line)
                            c.setFont(font, _TABLE_SIZE)
                        else:
                            c.drawRightString(x + col.width - 3, ly, line)
                    else:
                        c.drawString(x + 3, ly, line)
                x += col.width
            y -= (max(len(cell) for cell in cells) - 1) * _LINE + 3
        c.line(x0, y - 3, x0 + sum(col.width for col in style.cols), y - 3)
        if style.grid:
            x = x0
            for col in (*style.cols, None):
                c.line(x, table_top, x, y - 3)
                x += col.width if col else 0
        if page_no == len(pages):
            _footer(c, s, style, font, x0, y - 20)
        c.setFont(font, 8)
        c.drawString(x0, 28, f"打印日期：{s.period_end:%Y-%m-%d}")
        c.drawRightString(width - x0, 28, f"第{page_no}页/共{len(pages)}页")
        c.showPage()
    c.save()
    return out.getvalue()


def _footer(c: object, s: SyntheticStatement, style: Style, font: str, x: float, y: float) -> None:
    debit = sum(
        (-s.amount_printed(i) for i in range(len(s.txns)) if s.amount_printed(i) < 0), Decimal("0.00")
    )
    credit = sum(
        (s.amount_printed(i) for i in range(len(s.txns)) if s.amount_printed(i) > 0), Decimal("0.00")
    )
    debit += s.footer_delta
    values = {
        "借方发生额合计": debit,
        "支出合计": debit,
        "贷方发生额合计": credit,
        "收入合计": credit,
        "期末余额": s.closing,
    }
    c.setFont(font, _HEAD_SIZE)  # type: ignore[attr-defined]
    for key in style.footer:
        text = f"{key}：{_money(values[key], style.separators)}"
        c.drawString(x, y, text)  # type: ignore[attr-defined]
        x += 200
