"""Draws a :class:`SyntheticContract` as a multi-page A4 text PDF: title, parties, goods table, clauses, and
signature blocks with seal images and signature strokes. Text flows onto as many pages as it needs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from idp.synth._font import register_cjk_font
from idp.synth._seal import draw_signature, seal_png
from idp.synth.contract import ContractParty, SyntheticContract

_W, _H = 595.0, 842.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 56.0, 539.0, 60.0, 70.0
_BODY = 10.5
_LEADING = 17.0


@dataclass
class _Page:
    ops: list[tuple] = field(default_factory=list)


class _Flow:
    """Places text top-down, starting a new page when the next block does not fit."""

    def __init__(self) -> None:
        self.pages: list[_Page] = [_Page()]
        self.y = _TOP

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def need(self, height: float) -> None:
        if self.y + height > _H - _BOTTOM:
            self.pages.append(_Page())
            self.y = _TOP

    def text(
        self, x: float, s: str, size: float = _BODY, *, align: str = "left", advance: bool = True
    ) -> None:
        self.need(size * 1.6)
        self.page.ops.append(("text", x, self.y, s, size, align))
        if advance:
            self.y += max(_LEADING, size * 1.6)

    def para(self, s: str, *, indent: float = 0.0, width_chars: int = 44) -> None:
        first = True
        while s:
            n = width_chars - (2 if first else 0)
            self.text(_LEFT + indent + (2 * _BODY if first else 0), s[:n])
            s, first = s[n:], False

    def gap(self, h: float) -> None:
        self.y += h


def _money(v: Decimal) -> str:
    return f"{v:,.2f}"


def _party_lines(c: SyntheticContract, p: ContractParty, heading: str) -> list[str]:
    labels = {
        "jiayi": ("统一社会信用代码", "地址", "法定代表人", "联系人", "电话"),
        "maimai": ("纳税人识别号", "住所", "法定代表人", "联系人", "联系电话"),
        "gongxu": ("税号", "注册地址", "法人代表", "委托代理人", "电话"),
        "caigou": ("统一社会信用代码", "地址", "法定代表人", "联系人", "电话"),
    }[c.layout]
    return [
        f"{heading}：{p.name}",
        f"{labels[0]}：{p.party.tax_id}",
        f"{labels[1]}：{p.address}",
        f"{labels[2]}：{p.legal_rep}",
        f"{labels[3]}：{p.contact}    {labels[4]}：{p.phone}",
    ]


def _roles(c: SyntheticContract) -> tuple[tuple[str, ContractParty, str], tuple[str, ContractParty, str]]:
    """((heading, party, short name) of the first block, same for the second)."""
    return {
        "jiayi": (("甲方（需方）", c.buyer, "甲方"), ("乙方（供方）", c.seller, "乙方")),
        "maimai": (("卖方", c.seller, "卖方"), ("买方", c.buyer, "买方")),
        "gongxu": (("供方（甲方）", c.seller, "甲方"), ("需方（乙方）", c.buyer, "乙方")),
        "caigou": (("采购方（甲方）", c.buyer, "甲方"), ("销售方（乙方）", c.seller, "乙方")),
    }[c.layout]


def layout_flow(c: SyntheticContract) -> _Flow:
    f = _Flow()
    first, second = _roles(c)
    buyer_short = first[2] if first[1] is c.buyer else second[2]
    seller_short = first[2] if first[1] is c.seller else second[2]
    f.text(_W / 2, c.title, 20, align="centre")
    f.gap(6)
    f.text(_RIGHT, f"合同编号：{c.number}", align="right")
    if c.layout != "maimai":
        f.text(_RIGHT, f"签订地点：{c.sign_place}", align="right")
        f.text(
            _RIGHT,
            f"签订日期：{c.sign_date.year}年{c.sign_date.month:02d}月{c.sign_date.day:02d}日",
            align="right",
        )
    f.gap(4)
    if c.layout == "caigou":
        left, right = _party_lines(c, first[1], first[0]), _party_lines(c, second[1], second[0])
        for a, b in zip(left, right, strict=True):
            f.text(_LEFT, a, 9, advance=False)
            f.text(300, b, 9)
    else:
        for heading, party, _ in (first, second):
            for line in _party_lines(c, party, heading):
                f.text(_LEFT, line)
            f.gap(4)
    f.para(
        f"根据《中华人民共和国民法典》及有关法律法规的规定，{buyer_short}与{seller_short}本着平等互利的原则，"
        f"经友好协商，就{seller_short}向{buyer_short}供应下列产品事宜，签订本合同，以资共同遵守。"
    )
    f.gap(4)
    f.text(_LEFT, "第一条 产品名称、规格型号、数量及价款")
    _table(f, c)
    f.para(
        f"合同总金额：人民币{_money(c.printed_total)}元（大写：{c.words}），以上价格含{c.tax_rate}增值税。"
    )
    d = c.delivery_date
    clauses = [
        ("第二条 质量标准", f"产品质量按国家标准及生产厂家企业标准执行，{seller_short}对所供产品质量负责。"),
        (
            "第三条 交货时间、地点及方式",
            f"交货日期：{seller_short}应于{d.year}年{d.month:02d}月{d.day:02d}日前将货物送至{buyer_short}指定地点"
            f"（{c.delivery_place}），运费及运输途中风险由{seller_short}承担。",
        ),
        ("第四条 付款方式", "付款方式：" + c.payment.format(buyer=buyer_short, seller=seller_short)),
        ("第五条 验收", f"{buyer_short}应在收货后5个工作日内验收，逾期未提出书面异议的视为验收合格。"),
        (
            "第六条 违约责任",
            f"{seller_short}逾期交货的，每逾期一日按逾期交货部分货款的0.5‰支付违约金；"
            f"{buyer_short}逾期付款的，每逾期一日按逾期付款金额的0.5‰支付违约金。",
        ),
        (
            "第七条 争议解决",
            "因本合同引起的争议，双方应协商解决；协商不成的，任何一方均可向合同签订地人民法院提起诉讼。",
        ),
        (
            "第八条 合同生效及有效期",
            f"本合同自双方签字盖章之日起生效，有效期至{c.valid_until.year}年"
            f"{c.valid_until.month:02d}月{c.valid_until.day:02d}日。",
        ),
        (
            "第九条 其他",
            "本合同一式肆份，双方各执贰份，具有同等法律效力。本合同未尽事宜，双方可另行签订补充协议。",
        ),
    ]
    for heading, body in clauses:
        f.text(_LEFT, heading)
        f.para(body)
    _signatures(f, c, first, second)
    return f


def _table(f: _Flow, c: SyntheticContract) -> None:
    cols = (
        ("序号", 30),
        ("产品名称", 92),
        ("规格型号", 96),
        ("单位", 36),
        ("数量", 50),
        ("单价（元）", 80),
        ("金额（元）", 99),
    )
    f.need(_LEADING * (len(c.items) + 3))
    x = _LEFT
    f.page.ops.append(("hline", _LEFT, f.y - 12, _RIGHT))
    for label, w in cols:
        f.page.ops.append(("text", x + w / 2, f.y, label, 9.5, "centre"))
        x += w
    top = f.y - 12
    f.y += _LEADING
    for n, item in enumerate(c.items, start=1):
        f.page.ops.append(("hline", _LEFT, f.y - 12, _RIGHT))
        values = (
            str(n),
            item.name,
            item.spec,
            item.unit,
            format(item.quantity.normalize(), "f"),
            _money(item.price),
            _money(item.amount),
        )
        x = _LEFT
        for (label, w), v in zip(cols, values, strict=True):
            numeric = label in ("数量", "单价（元）", "金额（元）")
            if numeric:
                f.page.ops.append(("text", x + w - 4, f.y, v, 9.5, "right"))
            else:
                f.page.ops.append(("text", x + 4, f.y, v, 9.5, "left"))
            x += w
        f.y += _LEADING
    f.page.ops.append(("hline", _LEFT, f.y - 12, _RIGHT))
    f.page.ops.append(("text", _LEFT + 4, f.y, f"合计人民币（大写）：{c.words}", 9.5, "left"))
    f.page.ops.append(("text", _RIGHT - 4, f.y, f"¥{_money(c.printed_total)}", 9.5, "right"))
    f.y += _LEADING
    f.page.ops.append(("hline", _LEFT, f.y - 12, _RIGHT))
    x = _LEFT
    for _label, w in (*cols, ("", 0)):
        f.page.ops.append(
            ("vline", x, top, f.y - 12 - (_LEADING if _label == "" or x > _LEFT + 400 else _LEADING))
        )
        x += w
    f.gap(4)


def _signatures(f: _Flow, c: SyntheticContract, first: tuple, second: tuple) -> None:
    f.gap(10)
    f.need(150)
    d = c.sign_date
    date_text = f"日期：{d.year}年{d.month:02d}月{d.day:02d}日"
    stacked = c.layout == "maimai"
    blocks = [(first, _LEFT), (second, 310.0)]
    for (heading, party, short), x in blocks:
        role = "buyer" if party is c.buyer else "seller"
        top = f.y
        lines = [f"{short}（盖章）：{party.name}", "法定代表人或授权代表（签字）：", date_text]
        if stacked:
            lines.insert(0, f"{heading}：")
            x = _LEFT
        for i, line in enumerate(lines):
            f.page.ops.append(("text", x, top + i * 24, line[:26], 10.5, "left"))
        sign_row = top + (3 if stacked else 2) * 24 - 24
        if c.seals[role]:
            f.page.ops.append(
                ("seal", x + 70, top + (24 if stacked else 0) - 4, party.name, c.seed + len(role))
            )
        if c.signatures[role]:
            f.page.ops.append(("sign", x + 168, sign_row, c.seed * 7 + len(role)))
        if stacked:
            f.y = top + 5 * 24 + 20
            f.need(150)
    if not stacked:
        f.y += 4 * 24
    if c.layout == "maimai":
        f.text(_LEFT, f"签订地点：{c.sign_place}")
        f.text(_LEFT, f"签订日期：{d.year}年{d.month:02d}月{d.day:02d}日")


def render(c: SyntheticContract) -> bytes:
    """The contract as a text PDF; seals are PNG images, signatures vector strokes."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    flow = layout_flow(c)
    texts = "".join(op[3] for p in flow.pages for op in p.ops if op[0] == "text")
    font = register_cjk_font(texts + f"第页共{c.number}")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(_W, _H), invariant=1, pageCompression=1)
    canvas.setTitle(c.title)
    canvas.setCreator("idp.synth")
    for n, page in enumerate(flow.pages, start=1):
        for op in page.ops:
            kind = op[0]
            if kind == "text":
                _, x, top, s, size, align = op
                canvas.setFillColorRGB(0, 0, 0)
                canvas.setFont(font, size)
                y = _H - top
                {
                    "left": canvas.drawString,
                    "right": canvas.drawRightString,
                    "centre": canvas.drawCentredString,
                }[align](x, y, s)
            elif kind == "hline":
                canvas.setLineWidth(0.6)
                canvas.line(op[1], _H - op[2], op[3], _H - op[2])
            elif kind == "vline":
                canvas.setLineWidth(0.6)
                canvas.line(op[1], _H - op[2], op[1], _H - op[3])
            elif kind == "seal":
                _, x, top, name, seed = op
                size = 112.0
                img = ImageReader(io.BytesIO(seal_png(name, seed)))
                canvas.drawImage(img, x - size / 2 + 40, _H - top - size / 2 - 4, size, size, mask="auto")
            elif kind == "sign":
                _, x, top, seed = op
                draw_signature(canvas, x, _H - top - 6, 80, 22, seed)
        canvas.setFont(font, 9)
        canvas.drawCentredString(_W / 2, 36, f"第{n}页 共{len(flow.pages)}页")
        canvas.showPage()
    canvas.save()
    return out.getvalue()
