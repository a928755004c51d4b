"""Invoice totals chosen by the schema's constraints, with the constraints they satisfy as evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.invoice.totals import UNCONFIRMED
from extractors.readers.dispatch import read_document
from idp.models import BBox, PageText, TextLine, TextSource, Word

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "real" / "invoices"


def _placed(*runs: tuple[str, float, float, float]) -> list[PageText]:
    """A page from (text, x0, top, width) runs in points on a 600×400 page, 10 pt high."""
    lines = []
    for text, x0, top, width in runs:
        box = BBox.from_points(x0, top, x0 + width, top + 10, 600, 400)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return [PageText(page_no=1, width=600, height=400, source=TextSource.TEXT_LAYER, lines=lines)]


_HEAD = (
    ("北京增值税电子普通发票", 200, 10, 200), ("发票代码:011001600111", 420, 30, 120),
    ("发票号码:16046427", 420, 45, 100), ("开票日期:2017年08月21日", 420, 60, 120),
    ("货物或应税劳务、服务名称", 50, 150, 120), ("数量", 290, 150, 20), ("单价", 340, 150, 20),
    ("金额", 410, 150, 20), ("税率", 470, 150, 20), ("税额", 530, 150, 20),
    ("餐费", 30, 165, 20), ("1", 300, 165, 5), ("20.75", 340, 165, 25), ("20.75", 410, 165, 25),
    ("6%", 475, 165, 12), ("1.25", 535, 165, 20),
)


def test_subtotals_printed_half_a_line_above_their_label_are_read_and_are_no_item():
    pages = _placed(
        *_HEAD,
        ("¥", 400, 255, 6), ("20.75", 410, 255, 25), ("¥", 525, 255, 6), ("1.25", 535, 255, 20),
        ("合", 75, 260, 10), ("计", 110, 260, 10),
        ("价税合计(大写)", 70, 280, 70), ("贰拾贰元整", 180, 280, 50), ("(小写)", 420, 280, 30),
        ("¥", 455, 280, 6), ("22.00", 466, 280, 25),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert len(doc.items) == 1
    assert (doc.value("amount_without_tax"), doc.value("tax_amount"), doc.value("total_with_tax")) == (
        "20.75", "1.25", "22.00",
    )
    total = doc.fields["total_with_tax"]
    assert total.confidence >= 0.99
    assert "= 大写 22.00" in total.evidence and "= 合计金额 20.75 + 合计税额 1.25" in total.evidence
    assert "= Σ 明细金额 20.75" in doc.fields["amount_without_tax"].evidence


def test_a_total_whose_label_was_lost_is_found_by_its_words():
    pages = _placed(
        *_HEAD,
        ("合计", 75, 255, 20), ("¥20.75", 405, 255, 30), ("¥1.25", 530, 255, 25),
        ("价税合计(大写)", 70, 280, 70), ("贰拾贰元整", 180, 280, 50), ("¥22.00", 460, 280, 30),
    )
    total = VatInvoiceExtractor().extract(pages).fields["total_with_tax"]
    assert total.value == "22.00"
    assert "= 大写 22.00" in total.evidence


def test_a_subtotal_whose_decimal_point_ocr_read_as_a_space_is_read_with_it():
    """``¥20 75`` on a photo: the 合计 row's first amount is 20.75, not the tax beside it."""
    pages = _placed(
        *_HEAD,
        ("合", 75, 255, 10), ("计", 110, 255, 10), ("¥20 75", 405, 255, 30), ("¥1.25", 530, 255, 25),
        ("价税合计(大写)", 70, 280, 70), ("贰拾贰元整", 180, 280, 50), ("¥22.00", 460, 280, 30),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("amount_without_tax"), doc.value("tax_amount")) == ("20.75", "1.25")


def test_a_poor_photos_tai_for_he_and_can_for_san_still_read_the_totals():
    """台计 (合 misread) labels the subtotals; 参 (叁 misread) in the 大写 is the numeral 叁."""
    pages = _placed(
        *_HEAD,
        ("台", 75, 255, 10), ("计", 110, 255, 10), ("¥20.75", 405, 255, 30), ("¥1.25", 530, 255, 25),
        ("价税合计(大写)", 70, 280, 70), ("贰拾参元整", 180, 280, 50), ("¥22.00", 460, 280, 30),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("amount_without_tax"), doc.value("tax_amount")) == ("20.75", "1.25")
    assert doc.value("total_in_words") == "贰拾叁元整"


def test_a_speck_in_the_subtotal_label_and_a_letter_for_a_digit_still_read_the_totals():
    """合 i计 (a speck read as i) labels the subtotals; ¥O.43 is ¥0.43."""
    pages = _placed(
        *_HEAD,
        ("合", 75, 255, 10), ("i计", 105, 255, 15), ("¥20.75", 405, 255, 30), ("¥l.25", 530, 255, 25),
        ("价税合计(大写)", 70, 280, 70), ("贰拾贰元整", 180, 280, 50), ("¥22.00", 460, 280, 30),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("amount_without_tax"), doc.value("tax_amount")) == ("20.75", "1.25")


def test_a_total_no_constraint_backs_stays_under_the_thresholds():
    pages = _placed(
        *_HEAD,
        ("合计", 75, 255, 20), ("¥20.75", 405, 255, 30), ("¥1.25", 530, 255, 25),
        ("(小写)", 420, 280, 30), ("¥23.00", 455, 280, 30),  # no 大写, and 20.75 + 1.25 ≠ 23.00
    )
    total = VatInvoiceExtractor().extract(pages).fields["total_with_tax"]
    assert total.value == "23.00" and total.confidence <= UNCONFIRMED


def test_the_real_invoice_whose_label_sits_below_its_amounts():
    path = REAL / "trek_beijing_canyin_2017.pdf"
    if not path.exists():
        pytest.skip("shared/real/invoices not present")
    doc = VatInvoiceExtractor().extract(read_document(path))
    assert len(doc.items) == 1
    assert (doc.value("amount_without_tax"), doc.value("tax_amount"), doc.value("total_with_tax")) == (
        "20.75", "1.25", "22.00",
    )
    assert min(doc.fields[k].confidence for k in ("amount_without_tax", "tax_amount", "total_with_tax")) >= 0.99
