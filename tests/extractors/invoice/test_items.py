"""Invoice line items read by their table's header: ride-hailing (单价 before 数量), tax-free *** taxes,
discount lines, (详见销货清单) with its list page; a quantity and price that could be swapped never sure."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.invoice.items import UNSURE_CONFIDENCE
from extractors.readers.dispatch import read_document
from idp.models import BBox, PageText, TextLine, TextSource, Word
from idp.synth._invoice_pdf import render
from idp.synth.invoice_families import FAMILIES, family_invoice, family_truth


def _read(tmp_path: Path, family: str, kind: str, seed: int) -> tuple[object, dict]:
    invoice = family_invoice(FAMILIES[family], kind, seed)
    path = tmp_path / f"{family}.pdf"
    render(invoice, path)
    return VatInvoiceExtractor().extract(read_document(path)), family_truth(invoice, path.name)


def _values(doc, key: str) -> list[str | None]:
    return [item[key].value if key in item else None for item in doc.items]


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_ride_hailing_items_keep_quantity_and_price_apart(tmp_path: Path, seed: int):
    doc, truth = _read(tmp_path, "lvke", "32", seed)
    lines = truth["line_items"]
    assert _values(doc, "quantity") == [i["quantity"] for i in lines]
    assert _values(doc, "price") == [i["price"] for i in lines]
    assert _values(doc, "amount") == [i["amount"] for i in lines]  # the 出行人 table under them is no item
    for item in doc.items:
        if "price" in item:
            assert "数量 × 单价 = 金额" in item["price"].evidence[-1]


def test_tax_free_invoices_read_their_stars_as_no_tax(tmp_path: Path):
    doc, truth = _read(tmp_path, "tax_free", "10", 5)
    assert doc.value("tax_amount") == "0.00"
    assert any("***" in line for line in doc.fields["tax_amount"].evidence)
    assert doc.value("amount_without_tax") == doc.value("total_with_tax") == truth["total_with_tax"]
    assert _values(doc, "tax_rate") == ["免税"] * len(truth["line_items"])


def test_discount_lines_are_items_without_quantity_or_price(tmp_path: Path):
    doc, truth = _read(tmp_path, "discount", "10", 2)
    lines = truth["line_items"]
    assert _values(doc, "amount") == [i["amount"] for i in lines]
    assert _values(doc, "quantity") == [i["quantity"] for i in lines]
    assert any(i["amount"].startswith("-") for i in lines)
    assert doc.fields["amount_without_tax"].evidence[1].startswith("= Σ 明细金额")


def test_a_goods_list_invoice_takes_its_items_from_the_list_page(tmp_path: Path):
    doc, truth = _read(tmp_path, "goods_list", "10", 4)
    assert [i["name"].value for i in doc.items] == [i["name"] for i in truth["line_items"]]
    assert {i["amount"].page for i in doc.items} == {2}
    assert doc.value("amount_without_tax") == truth["amount_without_tax"]


def _placed(*runs: tuple[str, float, float, float]) -> list[PageText]:
    """A page from (text, x0, top, width) runs in points on a 600×400 page, 10 pt high."""
    lines = []
    for text, x0, top, width in runs:
        box = BBox.from_points(x0, top, x0 + width, top + 10, 600, 400)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return [PageText(page_no=1, width=600, height=400, source=TextSource.TEXT_LAYER, lines=lines)]


_HEAD = (("电子发票（普通发票）", 200, 10, 200), ("发票号码：24120000000012345678", 420, 40, 150))


def test_price_printed_before_quantity_is_read_by_its_header():
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("单价", 200, 120, 20), ("数量", 260, 120, 20), ("金额", 330, 120, 20),
        ("税率/征收率", 400, 120, 50), ("税额", 500, 120, 20),
        ("*运输服务*客运服务费", 20, 135, 100), ("300.10", 195, 135, 30), ("1", 265, 135, 5),
        ("300.10", 325, 135, 30), ("3%", 410, 135, 12), ("9.00", 500, 135, 20),
        ("合计", 60, 250, 20), ("¥300.10", 325, 250, 35), ("¥9.00", 500, 250, 25),
    )
    (item,) = VatInvoiceExtractor().extract(pages).items
    assert (item["quantity"].value, item["price"].value) == ("1", "300.10")
    assert item["quantity"].confidence > 0.9


def test_a_quantity_and_price_the_headers_cannot_tell_apart_stay_unsure():
    """Both numbers sit right of both headers, each pairing as far off as the other: the order is unknown."""
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("数量", 200, 120, 20), ("单价", 230, 120, 20), ("金额", 380, 120, 20),
        ("税率", 450, 120, 20), ("税额", 520, 120, 20),
        ("*运输服务*客运服务费", 20, 135, 100), ("2", 297.5, 135, 5), ("150.05", 325, 135, 30),
        ("300.10", 375, 135, 30), ("3%", 455, 135, 12), ("9.00", 520, 135, 20),
        ("合计", 60, 250, 20), ("¥300.10", 375, 250, 35), ("¥9.00", 520, 250, 25),
    )
    (item,) = VatInvoiceExtractor().extract(pages).items
    assert item["quantity"].confidence <= UNSURE_CONFIDENCE and item["price"].confidence <= UNSURE_CONFIDENCE
    assert "可能互换" in item["price"].evidence[-1]


def test_a_pair_whose_product_is_not_the_amount_is_never_sure():
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("数量", 200, 120, 20), ("单价", 300, 120, 20), ("金额", 380, 120, 20),
        ("税率", 450, 120, 20), ("税额", 520, 120, 20),
        ("*钢材*螺纹钢", 20, 135, 60), ("3", 205, 135, 5), ("100.00", 300, 135, 30),
        ("400.00", 375, 135, 30), ("13%", 455, 135, 15), ("52.00", 520, 135, 25),
    )
    (item,) = VatInvoiceExtractor().extract(pages).items
    assert item["quantity"].confidence <= UNSURE_CONFIDENCE
    assert item["price"].evidence[-1] == "数量 × 单价 ≠ 金额"


def test_a_table_continued_on_a_second_page_keeps_every_row():
    header = (("项目名称", 40, 120, 40), ("数量", 200, 120, 20), ("单价", 300, 120, 20), ("金额", 380, 120, 20),
              ("税率", 450, 120, 20), ("税额", 520, 120, 20))
    first = _placed(*_HEAD, *header, ("*钢材*螺纹钢", 20, 135, 60), ("3", 205, 135, 5), ("100.00", 300, 135, 30),
                    ("300.00", 375, 135, 30), ("13%", 455, 135, 15), ("39.00", 520, 135, 25),
                    ("共2页 第1页", 260, 380, 60))
    second = _placed(*header, ("*钢材*盘螺", 20, 135, 60), ("1", 205, 135, 5), ("200.00", 300, 135, 30),
                     ("200.00", 375, 135, 30), ("13%", 455, 135, 15), ("26.00", 520, 135, 25),
                     ("合计", 60, 250, 20), ("¥500.00", 375, 250, 35), ("¥65.00", 520, 250, 25),
                     ("价税合计(大写)", 40, 270, 70), ("伍佰陆拾伍圆整", 150, 270, 70), ("(小写)¥565.00", 420, 270, 80))
    pages = [first[0], second[0].model_copy(update={"page_no": 2})]
    doc = VatInvoiceExtractor().extract(pages)
    assert [i["amount"].value for i in doc.items] == ["300.00", "200.00"]
    assert [i["amount"].page for i in doc.items] == [1, 2]
    assert "= Σ 明细金额 500.00" in doc.fields["amount_without_tax"].evidence


def test_a_wrapped_name_running_on_past_its_column_stays_the_name():
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("规格型号", 150, 120, 40), ("数量", 260, 120, 20), ("单价", 320, 120, 20),
        ("金额", 380, 120, 20), ("税率", 450, 120, 20), ("税额", 520, 120, 20),
        ("*移动通信设备*手机", 20, 135, 90), ("A3297", 150, 135, 30), ("1", 265, 135, 5),
        ("8848.67", 315, 135, 35), ("8848.67", 375, 135, 35), ("13%", 455, 135, 15), ("1150.33", 520, 135, 35),
        ("支持移动联通电信5G", 20, 147, 110), ("双", 134, 147, 9),  # runs on over 规格型号 after a word space
        ("卡双待手机", 20, 159, 50),
    )
    (item,) = VatInvoiceExtractor().extract(pages).items
    assert item["name"].value == "*移动通信设备*手机支持移动联通电信5G双卡双待手机"
    assert item["spec"].value == "A3297"


def test_a_wrapped_spec_line_under_its_column_stays_the_spec():
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("规格型号", 150, 120, 40), ("数量", 260, 120, 20), ("单价", 320, 120, 20),
        ("金额", 380, 120, 20), ("税率", 450, 120, 20), ("税额", 520, 120, 20),
        ("*美容护肤品*阿迪达斯", 20, 135, 100), ("多效走珠止汗", 130, 135, 60), ("1", 265, 135, 5),
        ("26.46", 315, 135, 25), ("26.46", 375, 135, 25), ("13%", 455, 135, 15), ("3.44", 520, 135, 20),
        ("男士多效走珠止汗露滚珠", 20, 147, 106), ("露50ml", 130, 147, 30),  # the spec's own second line
    )
    (item,) = VatInvoiceExtractor().extract(pages).items
    assert item["spec"].value == "多效走珠止汗露50ml"
    assert item["name"].value == "*美容护肤品*阿迪达斯男士多效走珠止汗露滚珠"


def test_a_long_spec_running_on_under_the_unit_header_stays_the_spec():
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("规格型号", 130, 120, 40), ("单位", 215, 120, 20), ("数量", 260, 120, 20),
        ("单价", 320, 120, 20), ("金额", 380, 120, 20), ("税率", 450, 120, 20), ("税额", 520, 120, 20),
        ("*电线电缆*交联聚乙烯电力电缆", 20, 135, 105), ("YJV22-8.7/15kV", 128, 135, 70), ("3*240", 203, 135, 22),
        ("米", 228, 135, 9), ("2", 265, 135, 5), ("150.00", 315, 135, 30), ("300.00", 375, 135, 30),
        ("13%", 455, 135, 15), ("39.00", 520, 135, 20),
    )
    (item,) = VatInvoiceExtractor().extract(pages).items
    assert item["unit"].value == "米"
    assert item["spec"].value.replace(" ", "") == "YJV22-8.7/15kV3*240"


@pytest.mark.parametrize("total", ["台计", "合☑计", "合i计"])
def test_a_total_row_ocr_misread_ends_the_items(total: str):
    """合计 read as 台计, or with a stray mark between its spaced characters, on a scan: the totals row became a
    goods line (with the totals as its amounts), the lines no longer added up and it was no contract goods."""
    pages = _placed(
        *_HEAD,
        ("项目名称", 40, 120, 40), ("数量", 200, 120, 20), ("单价", 260, 120, 20), ("金额", 330, 120, 20),
        ("税率/征收率", 400, 120, 50), ("税额", 500, 120, 20),
        ("*塑料制品*珍珠棉", 20, 135, 100), ("10", 200, 135, 15), ("30.01", 255, 135, 30),
        ("300.10", 325, 135, 30), ("3%", 410, 135, 12), ("9.00", 500, 135, 20),
        (total, 60, 250, 20), ("¥300.10", 325, 250, 35), ("¥9.00", 500, 250, 25),
    )
    items = VatInvoiceExtractor().extract(pages).items
    assert [i["name"].value for i in items] == ["*塑料制品*珍珠棉"]
