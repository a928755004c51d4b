"""Small text-PDF specimens (invoice, contract, statement) with known text, for reading tests and benches.

They stand in for ``samples/`` when that folder is empty, and are deliberately plain: the point is to
know every character on the page, not to imitate one issuer's layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from idp.synth._font import register_cjk_font

_MM = 72 / 25.4
#: Colours as on printed e-invoices: the form (labels, rules) in brown, the filled-in values in black.
_FORM = (0.55, 0.25, 0.12)
_INK = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Run:
    """One piece of text: position of its baseline start in mm from the top-left, size in points."""

    x: float
    y: float
    text: str
    size: float = 10.0
    form: bool = False


@dataclass
class Specimen:
    kind: str
    width_mm: float
    height_mm: float
    runs: list[Run]
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.runs)


def invoice_specimen(number: str = "24312000000012345678") -> Specimen:
    """A 数电 VAT special invoice page (240 × 140 mm)."""
    r = [
        Run(80, 16, "电子发票（增值税专用发票）", 16, form=True),
        Run(165, 14, f"发票号码：{number}", 9),
        Run(165, 20, "开票日期：2024年03月15日", 9),
        Run(12, 34, "购买方名称：上海示例贸易有限公司", 9),
        Run(12, 40, "统一社会信用代码/纳税人识别号：91310115MA1H8XXX2Q", 9),
        Run(125, 34, "销售方名称：杭州样本电子科技有限公司", 9),
        Run(125, 40, "统一社会信用代码/纳税人识别号：91330106MA2B3C4D5E", 9),
        Run(12, 52, "项目名称", 9, form=True),
        Run(70, 52, "规格型号", 9, form=True),
        Run(100, 52, "单位", 9, form=True),
        Run(115, 52, "数量", 9, form=True),
        Run(135, 52, "单价", 9, form=True),
        Run(165, 52, "金额", 9, form=True),
        Run(195, 52, "税率", 9, form=True),
        Run(215, 52, "税额", 9, form=True),
        Run(12, 60, "*电子元件*集成电路", 9),
        Run(70, 60, "STM32F103", 9),
        Run(100, 60, "个", 9),
        Run(115, 60, "500", 9),
        Run(135, 60, "21.85074", 9),
        Run(165, 60, "10925.37", 9),
        Run(195, 60, "13%", 9),
        Run(215, 60, "1420.30", 9),
        Run(12, 90, "合计", 9, form=True),
        Run(160, 90, "¥10925.37", 9),
        Run(210, 90, "¥1420.30", 9),
        Run(12, 100, "价税合计（大写）", 9, form=True),
        Run(60, 100, "壹万贰仟叁佰肆拾伍圆陆角柒分", 9),
        Run(160, 100, "（小写）¥12345.67", 9),
        Run(12, 112, "备注：合同编号HT-2024-0315", 9),
        Run(12, 130, "开票人：王晓明", 9),
    ]
    rules = [(8, 28, 232, 28), (8, 46, 232, 46), (8, 84, 232, 84), (8, 94, 232, 94), (8, 106, 232, 106)]
    return Specimen("vat_invoice", 240, 140, r, rules)


def contract_specimen() -> Specimen:
    """The first page of a 购销合同 (A4)."""
    lines = [
        (80, 25, "购销合同", 18),
        (20, 40, "合同编号：HT-2024-0315", 10.5),
        (20, 48, "甲方（需方）：上海示例贸易有限公司", 10.5),
        (20, 56, "乙方（供方）：杭州样本电子科技有限公司", 10.5),
        (20, 68, "根据《中华人民共和国民法典》，甲乙双方经友好协商，签订本合同。", 10.5),
        (20, 78, "第一条 产品名称、型号、数量及价款", 10.5),
        (20, 88, "产品名称：集成电路 型号：STM32F103 数量：500个 单价：24.69134元", 10.5),
        (20, 98, "合同总金额：人民币12345.67元（大写：壹万贰仟叁佰肆拾伍圆陆角柒分）", 10.5),
        (20, 108, "第二条 交货时间：2024年03月20日前交付至甲方指定地点。", 10.5),
        (20, 118, "第三条 付款方式：甲方收到货物及增值税专用发票后30日内付款。", 10.5),
        (20, 128, "第四条 违约责任：任何一方违约，应向对方支付合同总金额20%的违约金。", 10.5),
        (20, 150, "甲方（盖章）：上海示例贸易有限公司", 10.5),
        (110, 150, "乙方（盖章）：杭州样本电子科技有限公司", 10.5),
        (20, 160, "签订日期：2024年03月01日", 10.5),
        (110, 160, "签订地点：上海市浦东新区", 10.5),
    ]
    return Specimen("purchase_contract", 210, 297, [Run(x, y, t, s) for x, y, t, s in lines])


def statement_specimen() -> Specimen:
    """One page of a corporate account statement (对账单, A4 landscape)."""
    head = [
        (100, 20, "中国工商银行对公账户交易明细", 16),
        (20, 34, "户名：上海示例贸易有限公司", 10),
        (120, 34, "账号：1001234509876543210", 10),
        (210, 34, "币种：人民币", 10),
        (20, 42, "查询期间：2024年03月01日至2024年03月31日", 10),
    ]
    cols = (20, 55, 140, 180, 220, 255)
    header = ("交易日期", "摘要", "借方发生额", "贷方发生额", "余额", "对方户名")
    rows = [
        ("2024-03-01", "期初余额", "", "", "50000.00", ""),
        ("2024-03-05", "货款", "", "20000.00", "70000.00", "宁波客户实业有限公司"),
        ("2024-03-18", "支付货款", "12345.67", "", "57654.33", "杭州样本电子科技有限公司"),
        ("2024-03-21", "手续费", "15.00", "", "57639.33", ""),
        ("2024-03-28", "利息", "", "8.21", "57647.54", ""),
    ]
    runs = [Run(x, y, t, s) for x, y, t, s in head]
    runs += [Run(x, 56, t, 10, form=True) for x, t in zip(cols, header, strict=True)]
    for i, row in enumerate(rows):
        runs += [Run(x, 66 + 9 * i, t, 10) for x, t in zip(cols, row, strict=True) if t]
    runs.append(Run(20, 120, "本页借方合计：12360.67 贷方合计：20008.21 期末余额：57647.54", 10))
    return Specimen("bank_statement", 297, 210, runs, [(18, 59, 280, 59), (18, 110, 280, 110)])


def specimens() -> list[Specimen]:
    return [invoice_specimen(), contract_specimen(), statement_specimen()]


def specimen_pdf(*pages: Specimen) -> bytes:
    """Render specimens as a text PDF, one page each (real embedded font, so the text layer is exact)."""
    from reportlab.pdfgen import canvas

    font = register_cjk_font("".join(p.text for p in pages))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for page in pages:
        w, h = page.width_mm * _MM, page.height_mm * _MM
        c.setPageSize((w, h))
        c.setStrokeColorRGB(*_FORM)
        c.setLineWidth(0.6)
        for x0, y0, x1, y1 in page.rules:
            c.line(x0 * _MM, h - y0 * _MM, x1 * _MM, h - y1 * _MM)
        for run in page.runs:
            c.setFillColorRGB(*(_FORM if run.form else _INK))
            c.setFont(font, run.size)
            c.drawString(run.x * _MM, h - run.y * _MM, run.text)
        c.showPage()
    c.save()
    return out.getvalue()
