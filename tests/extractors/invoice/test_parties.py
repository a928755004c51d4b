"""Invoice parties found by their role markers, whatever order the blocks are printed in."""

from __future__ import annotations

from extractors.invoice.extractor import VatInvoiceExtractor
from idp.models import BBox, PageText, TextLine, TextSource, Word


def _placed(*runs: tuple[str, float, float, float], top_offset: float = 0.0) -> list[PageText]:
    lines = []
    for text, x0, top, width in runs:
        box = BBox.from_points(x0, top + top_offset, x0 + width, top + top_offset + 10, 600, 400)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return [PageText(page_no=1, width=600, height=400, source=TextSource.OCR, lines=lines)]


_HEAD = (("增值税电子普通发票", 200, 10, 200), ("发票号码:12345678", 420, 40, 90), ("价税合计(大写)", 40, 380, 80))


def _block(role: str, top: float, name: str, tax_id: str) -> tuple[tuple[str, float, float, float], ...]:
    """A block with its role word printed down its left edge, one character a row."""
    marker = tuple((ch, 20, top + 12 * i, 10) for i, ch in enumerate(role))
    return (*marker, ("名称:", 48, top, 30), (name, 80, top, 120), ("纳税人识别号:", 48, top + 15, 60),
            (tax_id, 110, top + 15, 90))


def test_a_seller_block_printed_above_the_buyer_block_is_still_the_seller():
    pages = _placed(
        *_HEAD,
        *_block("销售方", 80, "卖方乙有限公司", "91120110MA06J3WLX8"),
        *_block("购买方", 200, "买方甲有限公司", "91110000600037341L"),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("buyer_name"), doc.value("seller_name")) == ("买方甲有限公司", "卖方乙有限公司")
    assert (doc.value("buyer_tax_id"), doc.value("seller_tax_id")) == ("91110000600037341L", "91120110MA06J3WLX8")
    assert "购买方区块（角色标记）" in doc.fields["buyer_name"].evidence


def test_a_name_label_whose_first_character_was_lost_still_names_the_party():
    pages = _placed(
        *_HEAD,
        ("购", 20, 80, 10), ("买", 20, 92, 10), ("方", 20, 104, 10),
        ("称:", 60, 80, 18), ("买方甲有限公司", 80, 80, 120),  # 名 lost (or read into another row)
        ("纳税人识别号:", 48, 95, 60), ("名", 110, 95, 10), ("91110000600037341L", 130, 95, 90),
        ("销", 20, 200, 10), ("售", 20, 212, 10), ("方", 20, 224, 10),
        ("名称:", 48, 200, 30), ("卖方乙有限公司", 80, 200, 120),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("buyer_name") == "买方甲有限公司"
    assert doc.value("buyer_tax_id") == "91110000600037341L"  # a stray character before the id is skipped
    assert doc.value("seller_name") == "卖方乙有限公司"


def test_two_ocr_lines_lying_over_each_other_do_not_interleave():
    """A curled photo: the address line sags onto the taxpayer id's row; only the nearer line is read."""
    pages = _placed(
        *_HEAD,
        ("名称:", 48, 80, 30), ("买方甲有限公司", 80, 80, 120),
        ("纳税人识别号:", 48, 100, 60), ("92440300L08175019R", 110, 100, 90),
        ("深圳市南山区沙河工业区9栋", 112, 104, 95),  # 4 pt lower: same band, over the id
        ("名称:", 48, 200, 30), ("卖方乙有限公司", 80, 200, 120),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("buyer_tax_id") == "92440300L08175019R"


def test_stacked_blocks_whose_role_word_is_printed_across_the_middle_of_each_block():
    """购买方 / 销售方 printed across in a left cell, centred on their two rows: the seller's 名称 row is within
    the buyer marker's reach too, and the seller's name was lost."""
    def block(role: str, top: float, name: str, tax_id: str) -> tuple[tuple[str, float, float, float], ...]:
        return ((role, 10, top + 8, 30), ("名称:", 48, top, 30), (name, 80, top, 120),
                ("统一社会信用代码/纳税人识别号:", 48, top + 16, 110), (tax_id, 160, top + 16, 90))

    pages = _placed(*_HEAD, *block("购买方", 80, "买方甲有限公司", "91110000600037341L"),
                    *block("销售方", 112, "卖方乙有限公司", "91120110MA06J3WLX8"))
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("buyer_name"), doc.value("seller_name")) == ("买方甲有限公司", "卖方乙有限公司")
    assert (doc.value("buyer_tax_id"), doc.value("seller_tax_id")) == ("91110000600037341L", "91120110MA06J3WLX8")
