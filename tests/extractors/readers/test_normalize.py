"""Text normalisation: one form for text-layer, OFD and OCR text."""

from __future__ import annotations

import pytest

from extractors.readers.normalize import compact, normalize_cjk, normalize_page, normalize_text, to_halfwidth
from idp.models.geometry import BBox
from idp.models.page import PageText, TextLine, TextSource, Word


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("发票号码：２４３１２０００", "发票号码:24312000"),
        ("价税合计（小写）￥１２，３４５.６７", "价税合计(小写)¥12,345.67"),
        ("电⼦发票（普通发票）", "电子发票(普通发票)"),  # Kangxi radical ⼦ (U+2F26) as found in OFD files
        ("金额　　合计\t 100", "金额 合计 100"),
        ("HT—2024－0315", "HT-2024-0315"),
        ("负数 −100.00", "负数 -100.00"),
        ("a\x00b\x07c", "abc"),
        ("YJV 4×35 60×90cm", "YJV 4×35 60×90cm"),  # a spec's times sign is printed so (matching folds it)
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_cjk_keeps_chinese_punctuation() -> None:
    assert (
        normalize_cjk("甲方：上海示例（需方），乙方。金额￥１２０")
        == "甲方：上海示例（需方），乙方。金额¥120"
    )
    assert normalize_cjk("⼤写") == "大写"


def test_halfwidth_touches_only_fullwidth_ascii() -> None:
    assert to_halfwidth("ＡＢＣ１２３　（）中文。") == "ABC123 ()中文。"


def test_compact_removes_all_space_and_unifies_yen() -> None:
    assert compact(" ¥ 1 234.00 \n") == compact("￥1234.00") == "¥1234.00"


def test_normalize_page_rewrites_lines_and_words_and_keeps_boxes() -> None:
    box = BBox(x0=0.1, y0=0.1, x1=0.5, y1=0.2)
    page = PageText(
        page_no=1,
        width=100,
        height=100,
        source=TextSource.TEXT_LAYER,
        lines=[
            TextLine(
                text="名称：示例",
                bbox=box,
                words=[Word(text="名称：", bbox=box), Word(text="示例", bbox=box)],
            ),
            TextLine(text="　", bbox=box),
        ],
    )
    out = normalize_page(page)
    assert [ln.text for ln in out.lines] == ["名称:示例"]
    assert [w.text for w in out.lines[0].words] == ["名称:", "示例"]
    assert out.lines[0].bbox == box


def test_a_document_numbers_brackets_are_kept_as_printed_and_folded_only_for_matching():
    from extractors.readers.normalize import compact, normalize_text

    assert normalize_text("合同编号：MM〔2024〕第843号") == "合同编号:MM〔2024〕第843号"
    assert normalize_text("【2024】") == "【2024】"
    assert compact("MM〔2024〕第 843号") == "MM(2024)第843号"
