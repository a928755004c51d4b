"""Draws a :class:`SyntheticInvoice` as a text PDF: the 税控 e-invoice layout (10/08) or 数电 (31/32).

Positions follow real invoices: labels and values are separate text runs, the buyer block is top-left (数电:
left) and the seller block bottom (数电: right), with the 密码区 beside the buyer on 税控 invoices.
"""

from __future__ import annotations

from pathlib import Path

from idp.synth._invoice_sheet import Sheet as _Sheet
from idp.synth._parties import Party
from idp.synth.vat_invoice import SyntheticInvoice


def render(invoice: SyntheticInvoice, path: Path) -> None:
    """Write ``invoice`` as a one-page text PDF at ``path``."""
    sheet = _digital(invoice) if invoice.fully_digital else _tax_control(invoice)
    if invoice.style.get("items") == "list":
        _list_page(sheet, invoice)
    sheet.save(path, invoice.title)


def _label(inv: SyntheticInvoice, key: str, default: str) -> str:
    """A label word as this invoice's family prints it."""
    labels = inv.style.get("labels") or {}
    return str(labels.get(key, default)) if isinstance(labels, dict) else default


def _printed_items(inv: SyntheticInvoice) -> list[tuple[str, str, str, str, str, str, str, str]]:
    """(name, spec, unit, quantity, price, amount, rate, tax) as printed: one (详见销货清单) line on an invoice
    whose goods are on a list page, *** for the taxes of a tax-free invoice."""
    free = inv.style.get("items") == "tax_free"
    if inv.style.get("items") == "list":
        return [("(详见销货清单)", "", "", "", "", str(inv.amount), "", str(inv.tax))]
    return [
        (i.name, i.spec, i.unit, i.quantity or "", i.price or "", str(i.amount), i.tax_rate,
         "***" if free else str(i.tax))
        for i in inv.items
    ]


def _list_page(s: _Sheet, inv: SyntheticInvoice) -> None:
    """The 销货清单 page: title, parties, the goods table, 小计 and 总计."""
    s.new_page()
    s.text(s.width / 2, 24, "销售货物或者提供应税劳务、服务清单", 15, align="centre", label=True)
    s.label(30, 56, "购买方名称：")
    s.text(92, 56, inv.buyer.name)
    s.label(30, 72, "销售方名称：")
    s.text(92, 72, inv.seller.name)
    s.label(30, 88, "所属增值税电子普通发票代码：" if inv.code else "所属发票号码：")
    s.text(170, 88, inv.code or inv.number)
    s.label(330, 88, "号码：")
    s.text(360, 88, inv.number)
    headers = ((30, "序号"), (60, "货物（劳务）名称"), (230, "规格型号"), (290, "单位"), (330, "数 量"),
               (390, "单 价"), (455, "金 额"), (505, "税率"), (560, "税 额"))
    for x, header in headers:
        s.label(x, 110, header)
    top = 126
    for n, item in enumerate(inv.items, start=1):
        s.text(34, top, str(n))
        name = _wrap(item.name, 17)  # the name column ends where 规格型号 begins: long names wrap
        s.text(60, top, name[0])
        s.text(230, top, item.spec, 8)
        s.text(292, top, item.unit)
        s.text(370, top, item.quantity or "", align="right")
        s.text(440, top, item.price or "", align="right")
        s.text(495, top, str(item.amount), align="right")
        s.text(530, top, item.tax_rate, align="right")
        s.text(590, top, str(item.tax), align="right")
        for extra in name[1:]:
            top += 12
            s.text(60, top, extra)
        top += 14
    for label, amount, tax in (("小计", inv.amount, inv.tax), ("总计", inv.amount, inv.tax)):
        top += 4
        s.label(60, top, label)
        s.text(495, top, f"¥{amount}", align="right")
        s.text(590, top, f"¥{tax}", align="right")
        top += 14
    s.label(30, top + 12, "销售方（章）")
    s.label(300, top + 12, "填开日期：")
    s.text(350, top + 12, f"{inv.issue_date.year}年{inv.issue_date.month:02d}月{inv.issue_date.day:02d}日")


def _date_text(invoice: SyntheticInvoice, split: bool) -> list[tuple[float, str]]:
    d = invoice.issue_date
    if not split:
        return [(0.0, f"{d.year}年{d.month:02d}月{d.day:02d}日")]
    return [
        (0, str(d.year)),
        (23.5, "年"),
        (32.5, f"{d.month:02d}"),
        (44.8, "月"),
        (54, f"{d.day:02d}"),
        (65.3, "日"),
    ]


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _money(sheet: _Sheet, right: float, top: float, value: object, currency: str = "￥") -> None:
    sheet.text(right, top, f"{currency}{value}", align="right")


def _tax_control(inv: SyntheticInvoice) -> _Sheet:
    s = _Sheet(610, 394, spacing=float(inv.style.get("letter_spacing", 0.0) or 0.0),
               scale=float(inv.style.get("font_scale", 1.0) or 1.0))
    colon, split = str(inv.style["colon"]), bool(inv.style["split_runs"])
    dy = -0.7 if split else 0.6  # value runs sit a little off the label baseline, as on real files
    s.text(305, 22, inv.title, 20, align="centre", label=True)
    s.line(215, 46, 395, 46)
    s.line(215, 48, 395, 48)
    s.qr(22, 4, 56, inv.qr_payload)
    if inv.paper:  # pre-printed code (no label) and No.; the tax device prints both again, smaller
        s.text(86, 14, inv.code or "", 13)
        s.label(432, 10, "No")
        s.text(450, 8, inv.number, 14)
        s.text(432, 30, f"{inv.code} {inv.number}", 8)
    else:
        for top, name, value in ((22.6, "发票代码", inv.code), (37.1, "发票号码", inv.number)):
            s.label(432, top, name + colon)
            s.text(475, top + dy, value or "")
    s.label(432, 51.1, "开票日期" + colon)
    for offset, part in _date_text(inv, split):
        s.text(475 + offset, 51.1 + dy, part)
    if inv.check_code:
        s.spaced(432, 65.5, "校验码", 13.5)
        s.label(459 + 9, 65.5, colon)
        check = inv.check_code
        groups = [check[i : i + 5] for i in range(0, 20, 5)] if inv.style["spaced_check_code"] else [check]
        for i, group in enumerate(groups):
            s.text(476 + i * 27.5, 65.5 + dy, group)
    s.label(24, 69.2, "机器编号" + colon)
    s.text(69.3, 69.2 + dy, inv.machine_no or "")
    for top in (82, 145, 255, 272, 292, 350):
        s.line(20, top, 590, top)
    s.line(20, 82, 20, 350)
    s.line(590, 82, 590, 350)
    for x in (42.0, 345.0, 362.0):
        s.line(x, 82, x, 145)
    s.line(42, 292, 42, 350)
    s.line(345, 292, 345, 350)
    s.line(362, 292, 362, 350)
    buyer_word = _label(inv, "buyer", "购买方")
    s.vertical(28.7, 91.8 - 4 * (len(buyer_word) - 3), buyer_word, 15.5 if len(buyer_word) == 3 else 12.5)
    s.vertical(350, 93, "密码区", 16)
    for i, row in enumerate(inv.cipher):
        s.text(369, 88 + 14 * i, row, 10.5)
    _party_rows(s, inv.buyer, 48, 86, 110, colon, split)
    for x, header in (
        (41.4, _label(inv, "items_name", "货物或应税劳务、服务名称")),
        (189.4, "规格型号"),
        (251.4, "单位"),
        (482.4, "税率"),
    ):
        s.label(x, 148.3, header)
    for x, header in ((292.4, "数量"), (350.4, "单价"), (415.4, "金额"), (531.4, "税额")):
        s.spaced(x, 148.3, header, 18)
    top = 161.1
    for name, spec, unit, quantity, price, amount, rate, tax in _printed_items(inv):
        lines = _wrap(name, 15)
        s.text(24.8, top, lines[0])
        s.text(172.8, top, spec, 8)
        s.text(255.3, top, unit)
        s.text(331, top, quantity, align="right")
        s.text(388, top, price, align="right")
        s.text(471, top, amount, align="right")
        s.text(504, top, rate, align="right")
        s.text(589, top, tax, align="right")
        for extra in lines[1:]:
            top += 12
            s.text(24.8, top, extra)
        top += 12
    s.label(73.2, 258.3, "合")
    s.label(109.2, 258.3, "计")
    _money(s, 471, 258.6, inv.amount)
    if inv.style.get("items") == "tax_free":
        s.text(590, 258.6, "***", align="right")
    else:
        _money(s, 590, 258.6, inv.tax)
    s.label(61, 276.2, "价税合计（大写）")
    s.text(166, 276.3, "⊗")
    s.text(184, 276.3, inv.words)
    s.label(465, 276.2, "（小写）")
    s.text(501, 276.4, f"￥{inv.total}")
    seller_word = _label(inv, "seller", "销售方")
    s.vertical(28.1, 301.8 - 4 * (len(seller_word) - 3), seller_word, 15.5 if len(seller_word) == 3 else 12.5)
    _party_rows(s, inv.seller, 48, 295.8, 107.9, colon, split)
    s.vertical(350.1, 304.2, "备注", 26.4)
    s.text(368, 296.2, inv.remark)
    payee, checker, drawer = inv.clerks
    for x, label, name in ((30.9, "收款人", payee), (196.9, "复核", checker), (317.9, "开票人", drawer)):
        s.label(x, 353.4, label + colon)
        s.text(x + 36 + 13, 353.6, name)
    s.label(441.9, 353.4, "销售方" + colon + "（章）")
    return s


def _party_rows(
    s: _Sheet, party: Party, x: float, top: float, value_x: float, colon: str, split: bool
) -> None:
    s.label(x, top, "名")
    s.label(x + 45, top, "称" + colon)
    s.text(value_x, top + (0.6 if not split else -0.7), party.name)
    s.label(x, top + 14, "纳税人识别号" + colon)
    s.text(value_x, top + 14 + (0.6 if not split else -1.6), party.tax_id or "", 9 if not split else 12)
    s.label(x, top + 29, "地 址、电 话" + colon)  # the older forms' words print the same
    s.text(value_x, top + 29.5, party.address, 8 if len(party.address) > 28 else 9)
    s.label(x, top + 44, "开户行及账号" + colon)
    s.text(value_x, top + 44.5, party.bank, 8)


def _digital(inv: SyntheticInvoice) -> _Sheet:
    s = _Sheet(683, 397, spacing=float(inv.style.get("letter_spacing", 0.0) or 0.0),
               scale=float(inv.style.get("font_scale", 1.0) or 1.0))
    s.text(341.5, 20, inv.title, 18, align="centre", label=True)
    s.qr(22, 4, 56, inv.qr_payload)
    s.line(240, 44, 443, 44)
    s.line(240, 46.5, 443, 46.5)
    s.label(500, 28, "发票号码：")
    s.text(545, 28, inv.number)
    s.label(500, 44, "开票日期：")
    s.text(545, 44, _date_text(inv, False)[0][1])
    for top in (70, 130, 262, 282, 302, 355):
        s.line(20, top, 663, top)
    s.line(20, 70, 20, 355)
    s.line(663, 70, 663, 355)
    for x in (38.0, 341.0, 359.0):
        s.line(x, 70, x, 130)
    s.vertical(25, 73, "购买方信息", 11.5)
    s.vertical(346, 73, "销售方信息", 11.5)
    for party, x in ((inv.buyer, 44), (inv.seller, 365)):
        s.label(x, 85, "名称：")
        s.text(x + 27, 85, party.name)
        s.label(x, 108, "统一社会信用代码/纳税人识别号：")
        s.text(x + 144, 108, party.tax_id or "")
    lvke = inv.style.get("items") == "lvke"
    spaced = bool(inv.style.get("spaced_headers", True))
    # 旅客运输服务 prints 单价 before 数量 and no 规格型号; the others 数量 then 单价
    qty_x, price_x = (420, 345) if lvke else (345, 420)
    gap = " " if spaced else ""
    headers = [(60, "项目名称"), *(() if lvke else ((185, "规格型号"), (262, "单位"))), (qty_x - 40, f"数{gap}量"),
               (price_x - 45, f"单{gap}价"), (455, f"金{gap}额"), (520, "税率/征收率"), (610, f"税{gap}额")]
    for x, header in headers:
        s.label(x, 135, header)
    top = 150
    for name, spec, unit, quantity, price, amount, rate, tax in _printed_items(inv):
        lines = _wrap(name, 16)
        s.text(24, top, lines[0])
        if not lvke:
            s.text(170, top, spec, 8)
            s.text(262, top, unit)
        s.text(qty_x, top, quantity, align="right")
        s.text(price_x, top, price, align="right")
        s.text(500, top, amount, align="right")
        s.text(560, top, rate, align="right")
        s.text(660, top, tax, align="right")
        for extra in lines[1:]:
            top += 12
            s.text(24, top, extra)
        top += 12
    if lvke:  # the travellers' table under the items (often empty)
        for x, header in ((40, "出行人"), (110, "有效身份证件号"), (230, "出行日期"), (310, "出发地"),
                          (390, "到达地"), (470, "等级"), (540, "交通工具类型")):
            s.label(x, 232, header)
    s.label(60, 266, "合")
    s.label(95, 266, "计")
    _money(s, 500, 266, inv.amount, "¥")
    if inv.style.get("items") == "tax_free":
        s.text(660, 266, "***", align="right")
    else:
        _money(s, 660, 266, inv.tax, "¥")
    s.label(30, 287, "价税合计（大写）")
    s.text(150, 287, "⊗")
    s.text(162, 287, inv.words)
    s.label(460, 287, "（小写）")
    s.text(500, 287, f"¥{inv.total}")
    s.vertical(26, 310, "备注", 16)
    s.text(60, 312, inv.remark)
    s.label(30, 362, "开票人：")
    s.text(66, 362, inv.clerks[2])
    return s
