"""Render a foreign contract as a text PDF with reportlab platypus: the family decides every label, the party
block's shape, clause numbering, the goods table's columns, the total's phrasing, headers and footers.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from idp.synth.foreign import clauses, contract_sign, fmt
from idp.synth.foreign.contract_model import Contract
from idp.synth.foreign.contract_sign import SignatureBlock
from idp.synth.foreign.pdfkit import BoldTitle, cjk_font, markup, numbered_canvas, style

_WEIGHTS = {"seq": 0.55, "name": 2.2, "spec": 2.1, "unit": 0.75, "qty": 0.95, "price": 1.25, "amount": 1.5,
            "brand": 0.95, "origin": 0.95, "remark": 0.9, "delivery": 1.3, "maker": 1.7}
_MARGIN = 20 * mm


class _Ctx:
    """Fonts and styles of one rendering."""

    def __init__(self, c: Contract, font: str) -> None:
        f = c.family
        self.c, self.f, self.font, self.digits = c, f, font, f.digit_font
        self.body = style("body", font, f.body_size, indent=0)
        self.clause = style("clause", font, f.body_size, indent=f.body_size * 2)
        self.right = style("right", font, f.body_size, align="right")
        self.center = style("center", font, f.body_size, align="center")
        self.cell = style("cell", font, f.table_size, leading=f.table_size * 1.3)
        self.cell_c = style("cellc", font, f.table_size, align="center", leading=f.table_size * 1.3)
        self.cell_r = style("cellr", font, f.table_size, align="right", leading=f.table_size * 1.3)

    def p(self, text: str, st: Any = None) -> Paragraph:
        return Paragraph(markup(text, self.digits), st or self.body)

    def day(self, value: Any) -> str:
        return fmt.day(value, self.f.date_style)

    def money(self, value: Any, *, phrase: bool = False) -> str:
        if phrase:
            return fmt.money(value, thousands=self.f.phrase_thousands, yen=self.f.phrase_yen)
        return fmt.money(value, thousands=self.f.thousands, yen="¥" if self.f.table_yen else "")


def render(contract: Contract) -> bytes:
    """The contract as PDF bytes (byte-identical for the same contract: reportlab ``invariant``)."""
    font = cjk_font(_all_text(contract))
    ctx = _Ctx(contract, font)
    story: list[Any] = []
    story += _head(ctx)
    story += _parties(ctx)
    story += _body(ctx)
    story.append(Spacer(1, 6 * mm))
    story.append(SignatureBlock(contract, font))
    story += _tail(ctx)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=24 * mm,
                            bottomMargin=20 * mm, title=contract.title, author="", subject="", creator="",
                            invariant=1)
    header = _letterhead(ctx) if contract.family.header else None
    doc.build(story, canvasmaker=numbered_canvas(contract.family.footer, font, 8.5, header))
    return out.getvalue()


def _all_text(c: Contract) -> str:
    """Every character the page may show (the font subset must cover them)."""
    f = c.family
    parts = [c.title, c.number, c.sign_place, c.words, f.footer, str(c.terms), fmt.day(c.sign_date, "hanzi"),
             "".join(f.labels.values()), "".join(x[1] for x in f.columns), f.seller_role, f.buyer_role,
             f.number_label, f.sign_date_label, f.sign_place_label, f.total_phrase, "合计人民币（大写）：¥"]
    for party in (c.seller, c.buyer):
        parts += [party.shown, party.address, party.legal_rep, party.contact, party.bank, party.city]
    for ln in c.lines:
        parts += [ln.name, ln.spec, ln.unit, ln.brand, ln.origin, ln.category]
    # every literal the renderers print comes from these modules: their source covers it
    parts += [Path(m.__file__).read_text(encoding="utf-8") for m in (clauses, contract_sign, sys.modules[__name__])]
    return "".join(parts)


def _letterhead(ctx: _Ctx) -> Any:
    c, font = ctx.c, ctx.font

    def draw(canvas: Any, page: int) -> None:
        width, height = A4
        canvas.saveState()
        if c.family.header == "letterhead":
            canvas.setFont(font, 13)
            canvas.setFillColor(colors.HexColor("#1F3A6B"))
            canvas.drawString(_MARGIN, height - 15 * mm, c.seller.shown)
            canvas.setFont(font, 7.5)
            canvas.drawRightString(width - _MARGIN, height - 15 * mm,
                                   f"地址：{c.seller.address}  电话：{c.seller.phone}")
            canvas.setStrokeColor(colors.HexColor("#1F3A6B"))
            canvas.setLineWidth(1.2)
            canvas.line(_MARGIN, height - 17.5 * mm, width - _MARGIN, height - 17.5 * mm)
        else:  # a thin rule with the number repeated (Word header)
            canvas.setFont(font, 7.5)
            canvas.drawRightString(width - _MARGIN, height - 14 * mm, f"{c.family.number_label}{c.number}")
            canvas.setLineWidth(0.5)
            canvas.line(_MARGIN, height - 15.5 * mm, width - _MARGIN, height - 15.5 * mm)
        canvas.restoreState()

    return draw


def _head(ctx: _Ctx) -> list[Any]:
    c, f = ctx.c, ctx.f
    out: list[Any] = [BoldTitle(c.title, ctx.font, f.title_size, bold=f.bold_title,
                                spacing=f.title_size * 0.4 if len(c.title) <= 4 else 0)]
    facts = [f"{f.number_label}{c.number}"]
    if f.sign_date_place == "top":
        facts.append(f"{f.sign_date_label}{ctx.day(c.sign_date)}")
    if f.sign_place_style == "label" and f.party_style != "header_table":
        facts.append(f"{f.sign_place_label}{c.sign_place}")
    if f.number_place == "top_right":
        out += [ctx.p(x, ctx.right) for x in facts]
    elif f.number_place == "under_title":
        out.append(ctx.p("        ".join(facts), ctx.center))
    out.append(Spacer(1, 3 * mm))
    return out


def _party_rows(ctx: _Ctx, role: str) -> list[tuple[str, str]]:
    """(label, value) of the facts this family prints for ``role``; the name first, under its role word."""
    c, f = ctx.c, ctx.f
    rows = []
    for key in ("name", *[k for k in f.party_fields if k != "name"]):
        value = c.printed(role, key)
        if value is None:
            continue
        rows.append((f.labels.get(key, "") or "", value))
    return rows


def _order(ctx: _Ctx) -> tuple[str, str]:
    return ("seller", "buyer") if ctx.f.seller_first else ("buyer", "seller")


def _role(ctx: _Ctx, role: str) -> str:
    return ctx.f.seller_role if role == "seller" else ctx.f.buyer_role


def _parties(ctx: _Ctx) -> list[Any]:
    f = ctx.f
    style_ = f.party_style
    if style_ in ("stacked", "intro", "bottom_only"):
        out: list[Any] = []
        for role in _order(ctx):
            rows = _party_rows(ctx, role)
            if style_ == "bottom_only":
                out.append(ctx.p(f"{_role(ctx, role)}：{rows[0][1]}"))
                continue
            if style_ == "intro":
                short = f.seller_short if role == "seller" else f.buyer_short
                text = f"{_role(ctx, role)}：{rows[0][1]}（以下简称“{short}”）"
                out.append(ctx.p(text))
                out += [ctx.p(f"{label}：{value}", ctx.clause) for label, value in rows[1:]]
            else:
                out.append(ctx.p(f"{_role(ctx, role)}：{rows[0][1]}"))
                out += [ctx.p(f"{label}：{value}") for label, value in rows[1:]]
            out.append(Spacer(1, 2 * mm))
        return out
    if style_ == "side_by_side":
        cells = []
        for role in _order(ctx):
            rows = _party_rows(ctx, role)
            lines = [f"{_role(ctx, role)}：{rows[0][1]}"] + [f"{label}：{value}" for label, value in rows[1:]]
            cells.append([ctx.p(x, ctx.cell) for x in lines])
        width = A4[0] - 2 * _MARGIN
        table = Table([cells], colWidths=[width / 2, width / 2])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
        return [table, Spacer(1, 3 * mm)]
    return [_grid(ctx), Spacer(1, 3 * mm)]


def _grid(ctx: _Ctx) -> Table:
    """The parties as one table: a column per party (grid), or the header table with the number and date."""
    c, f = ctx.c, ctx.f
    first, second = _order(ctx)
    a, b = dict(_party_rows(ctx, first)), dict(_party_rows(ctx, second))
    labels = [lab for lab, _ in _party_rows(ctx, first)]
    labels += [lab for lab, _ in _party_rows(ctx, second) if lab not in labels]
    width = A4[0] - 2 * _MARGIN
    if f.party_style == "grid":
        data = [[ctx.p("", ctx.cell), ctx.p(_role(ctx, first), ctx.cell_c), ctx.p(_role(ctx, second), ctx.cell_c)]]
        data += [[ctx.p(lab, ctx.cell), ctx.p(a.get(lab, ""), ctx.cell), ctx.p(b.get(lab, ""), ctx.cell)]
                 for lab in labels]
        widths = [width * 0.2, width * 0.4, width * 0.4]
    else:  # header_table: 4 columns, the contract's facts first
        data = [[ctx.p(f.number_label, ctx.cell), ctx.p(c.number, ctx.cell),
                 ctx.p(f.sign_date_label, ctx.cell), ctx.p(ctx.day(c.sign_date), ctx.cell)]]
        for lab in labels:
            head = lab if lab != f.labels["name"] else None
            data.append([ctx.p(head or _role(ctx, first), ctx.cell), ctx.p(a.get(lab, ""), ctx.cell),
                         ctx.p(head or _role(ctx, second), ctx.cell), ctx.p(b.get(lab, ""), ctx.cell)])
        data.append([ctx.p(f.sign_place_label, ctx.cell), ctx.p(c.sign_place, ctx.cell), "", ""])
        widths = [width * 0.13, width * 0.37, width * 0.13, width * 0.37]
    table = Table(data, colWidths=widths)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if f.party_style == "header_table":
        commands += [("SPAN", (1, len(data) - 1), (3, len(data) - 1)),
                     ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEEEEE")),
                     ("BACKGROUND", (2, 0), (2, -2), colors.HexColor("#EEEEEE"))]
    table.setStyle(TableStyle(commands))
    return table


def _intro(ctx: _Ctx) -> list[Any]:
    c, f = ctx.c, ctx.f
    first, second = (f.seller_short, f.buyer_short) if f.seller_first else (f.buyer_short, f.seller_short)
    if f.sign_date_place == "intro":
        text = f"经{first}、{second}双方协商一致，于{ctx.day(c.sign_date)}在{c.sign_place}签订本合同，订购以下货物："
    else:
        text = (f"根据《中华人民共和国民法典》及有关法律法规，{first}与{second}本着平等互利的原则，经友好协商，"
                "签订本合同，以资共同遵守。")
    return [ctx.p(text, ctx.clause), Spacer(1, 2 * mm)]


def _body(ctx: _Ctx) -> list[Any]:
    f = ctx.f
    out = _intro(ctx)
    terms = _terms(ctx)
    n = 0
    if not any(k in f.clauses for k in ("goods", "goods_model")):
        out += _goods(ctx)
    for key in f.clauses:
        n += 1
        heading, body = clauses.text(key, terms)
        out.append(ctx.p(f"{clauses.number(f.clause_style, n)} {heading}" + ("：" + body if body else "")))
        if key in ("goods", "goods_model"):
            out += _goods(ctx)
    return out


def _terms(ctx: _Ctx) -> dict[str, str]:
    c, f = ctx.c, ctx.f
    t = c.terms
    cap = (c.total * int(t["penalty_cap_pct"]) / 100).quantize(fmt.CENT)
    return {
        "S": f.seller_short, "B": f.buyer_short, "delivery": ctx.day(c.delivery_date),
        "address": c.buyer.address, "receiver": str(t["receiver"]), "freight": ctx.money(t["freight"], phrase=True),
        "check_days": str(t["check_days"]), "tax_rate": c.tax_rate, "pay_days": str(t["pay_days"]),
        "advance_days": str(t["advance_days"]), "deposit_pct": str(t["deposit_pct"]),
        "deposit": ctx.money(t["deposit"], phrase=True), "paid_pct": str(t["paid_pct"]),
        "warranty_pct": str(t["warranty_pct"]), "retention": ctx.money(t["retention"], phrase=True),
        "warranty_months": str(t["warranty_months"]), "penalty_rate": str(t["penalty_rate"]),
        "penalty_daily": ctx.money(t["penalty_daily"], phrase=True), "penalty_cap": ctx.money(cap, phrase=True),
        "court": c.sign_place,
        "valid_until": ctx.day(c.valid_until), "copies": str(t["copies"]), "half": str(int(t["copies"]) // 2),
    }


def _cell(ctx: _Ctx, key: str, i: int) -> str:
    c = ctx.c
    ln = c.lines[i]
    return {
        "seq": str(i + 1), "name": ln.name, "spec": ln.spec, "unit": ln.unit, "qty": fmt.quantity(ln.quantity),
        "price": fmt.price(ln.price, thousands=ctx.f.thousands, yen="¥" if ctx.f.table_yen else ""),
        "amount": ctx.money(ln.amount), "brand": ln.brand or "—", "origin": ln.origin or c.seller.city,
        "remark": ("现货", "", "含运费", "")[(c.seed + i) % 4], "maker": _maker(ctx, i),
        "delivery": fmt.day(c.line_delivery[i], "iso" if ctx.f.date_style == "hanzi" else ctx.f.date_style),
    }[key]


def _maker(ctx: _Ctx, i: int) -> str:
    ln = ctx.c.lines[i]
    return f"{ln.brand}集团股份公司" if ln.brand else f"{ctx.c.seller.city.removesuffix('市')}{ln.category[:2]}厂"


def _goods(ctx: _Ctx) -> list[Any]:
    """The goods table (header repeated on each page it spans), its 合计 row, then the total phrase."""
    c, f = ctx.c, ctx.f
    keys = [k for k, _ in f.columns]
    right = {"qty", "price", "amount"}
    data: list[list[Any]] = [[ctx.p(label, ctx.cell_c) for _, label in f.columns]]
    for i in range(len(c.lines)):
        data.append([ctx.p(_cell(ctx, k, i), ctx.cell_r if k in right else ctx.cell) for k in keys])
    commands: list[tuple[Any, ...]] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2"))]
    at = keys.index("amount")
    if f.total_row != "none":
        row = len(data)
        label = f"合计人民币（大写）：{c.words}" if f.total_row == "words" else "合计"
        total = ctx.money(c.total) if f.total_row == "plain" else fmt.money(c.total, thousands=f.thousands, yen="¥")
        cells: list[Any] = [""] * len(keys)
        cells[0] = ctx.p(label, ctx.cell if f.total_row == "words" else ctx.cell_c)
        cells[at] = ctx.p(total, ctx.cell_r)
        data.append(cells)
        if at > 0:
            commands.append(("SPAN", (0, row), (at - 1, row)))
    width = A4[0] - 2 * _MARGIN
    weights = [_WEIGHTS[k] for k in keys]
    widths = [width * w / sum(weights) for w in weights]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    out: list[Any] = [Spacer(1, 1.5 * mm), table, Spacer(1, 1.5 * mm)]
    if f.total_phrase:
        out.append(ctx.p(f.total_phrase.format(amount=ctx.money(c.total, phrase=True), words=c.words), ctx.clause))
    if "tax" not in f.clauses:
        out.append(ctx.p(f"注：以上价格均含{c.tax_rate}增值税。", ctx.clause))
    return out


def _tail(ctx: _Ctx) -> list[Any]:
    c, f = ctx.c, ctx.f
    out: list[Any] = []
    if f.sign_date_place == "bottom":
        out.append(ctx.p(f"{f.sign_date_label}{ctx.day(c.sign_date)}", ctx.right))
    if f.sign_place_style == "sentence" and f.sign_date_place != "intro":
        out.append(ctx.p(f"本合同{f.sign_place_label}{c.sign_place}。", ctx.right))
    return [KeepTogether(out)] if out else []
