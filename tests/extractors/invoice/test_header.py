"""Invoice header: an image of a 数电票 is a 31/32 (its 20-digit number, no code), never a paper 01/04."""

from __future__ import annotations

import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from idp.models import BBox, PageText, TextLine, TextSource, Word


def _placed(*runs: tuple[str, float, float, float]) -> list[PageText]:
    """(text, x0, top, width) runs on a 600×400 page, 10 pt high; the first (the title) 18 pt."""
    lines = []
    for n, (text, x0, top, width) in enumerate(runs):
        box = BBox.from_points(x0, top, x0 + width, top + (18 if n == 0 else 10), 600, 400)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return [PageText(page_no=1, width=600, height=400, source=TextSource.OCR, lines=lines)]


_BODY = (
    ("购", 20, 80, 10), ("名称:", 48, 80, 30), ("济宁鼎元机械有限公司", 80, 80, 120),
    ("销", 320, 80, 10), ("名称:", 340, 80, 30), ("北京京东世纪信息技术有限公司", 372, 80, 150),
    ("价税合计(大写)", 40, 300, 70), ("玖仟贰佰柒拾玖圆整", 150, 300, 90), ("(小写)¥9279.00", 420, 300, 80),
)


@pytest.mark.parametrize(
    ("title", "kind"), [("增值税专用发票", "31"), ("普通发票", "32"), ("电子发票(增值税专用发票)", "31")]
)
def test_a_shudian_image_whose_number_label_was_lost_is_31_or_32(title: str, kind: str):
    pages = _placed(
        (title, 200, 10, 200),
        ("24117000000965100088", 470, 12, 110),  # the 发票号码 label lost under a seal
        ("开票日期:2024年12月22日", 470, 30, 110),
        ("国家税务总局 1100094140", 220, 40, 120),  # digits in the seal's ring: no invoice code
        *_BODY,
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("invoice_number") == "24117000000965100088"
    assert doc.value("invoice_code") is None
    assert doc.value("invoice_kind") == kind
    assert "20位号码且无发票代码：数电票" in doc.fields["invoice_kind"].evidence


def test_a_code_printed_beside_a_paper_number_is_not_a_shudian_number():
    pages = _placed(
        ("增值税普通发票", 200, 10, 200),
        ("011001900111", 60, 30, 60), ("No", 470, 30, 12), ("12345678", 490, 30, 40), ("011001900111", 470, 42, 60),
        ("开票日期:2019年01月02日", 420, 56, 120),
        *_BODY,
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("invoice_code"), doc.value("invoice_number")) == ("011001900111", "12345678")
    # an e-invoice's code (…11) under a paper-looking title: 电子 may be hidden under the 监制章; the code says
    # which member of the 普票 family, below the bar
    kind = doc.fields["invoice_kind"]
    assert kind.value == "10" and kind.confidence < 0.95


def test_an_invoice_whose_date_and_total_labels_ocr_garbled_is_still_read_as_one():
    """研靠运期 for 开票日期, 徐税分计 for 价税合计 (a poor photo): the title, a printed date and ¥ amounts remain."""
    texts = ["1100094140", "增值伦专用发票", "No 87654321", "研靠运期:", "2010年11月18日", "¥1019.83", "徐税分计(大篇)"]
    lines = [TextLine(text=t, bbox=BBox(x0=0.1, y0=0.05 + 0.05 * i, x1=0.5, y1=0.09 + 0.05 * i))
             for i, t in enumerate(texts)]
    page = PageText(page_no=1, width=900, height=500, source=TextSource.OCR, lines=lines)
    assert VatInvoiceExtractor().score([page]) is not None
