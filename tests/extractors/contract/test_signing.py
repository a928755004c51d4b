"""Seals and signatures go to the party whose signing region holds them: its column of a signature table or of
side-by-side blocks (bounded by the ruling line between the columns), its block when blocks are stacked; a
mark near no region, or between regions, is attached unsure or not at all, never guessed as sure."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.contract.extractor import PurchaseContractExtractor
from extractors.readers.dispatch import read_document
from idp.models import BBox, Mark, MarkKind, PageText
from idp.synth.contract import generate
from idp.synth.contract_layout import render
from tests.extractors.contract.pages import H, W, page

_BODY = [[("购销合同", 250)], [("第一条 本合同自双方签字盖章之日起生效。", 56)]]


def _seal(cx: float, cy: float, size: float = 112.0) -> Mark:
    """A seal mark centred at (cx, cy) in points."""
    half = size / 2
    return Mark(kind=MarkKind.SEAL, bbox=BBox.from_points(cx - half, cy - half, cx + half, cy + half, W, H),
                confidence=0.97)


def _rule(x: float, y0: float, y1: float) -> Mark:
    return Mark(kind=MarkKind.RULE, bbox=BBox.from_points(x, y0, x + 0.5, y1, W, H), confidence=1.0)


def _extract(rows: list[list[tuple[str, float]]], marks: list[Mark]) -> object:
    p: PageText = page([*_BODY, *rows])
    return PurchaseContractExtractor().extract([p.model_copy(update={"marks": marks})])


def _row_y(i: int) -> float:
    """Top of row ``i`` of the rows after the body (pages.page: top 60, step 18)."""
    return 60.0 + (len(_BODY) + i) * 18.0


def test_a_seal_right_of_the_ruling_line_belongs_to_the_right_column_even_near_the_left_heading():
    rows = [[("甲方（盖章）", 59), ("乙方（盖章）", 300)],
            [("上海甲贸易有限公司", 59), ("杭州乙科技有限公司", 300)],
            [("税号：91310115MA1K2L3M4N", 59), ("税号：91330106MA2B3C4D5E", 300)]]
    rule = _rule(297.5, _row_y(0) - 4, _row_y(3))
    doc = _extract(rows, [rule, _seal(310, _row_y(1))])
    assert doc.value("seal_seller") == "true" and doc.value("seal_buyer") == "false"


def test_stacked_blocks_with_overlapping_seals_each_get_their_own():
    rows = [[("卖方（盖章）：杭州乙科技有限公司", 56)], [("法定代表人（签字）：", 56)], [("日期：2024年3月5日", 56)],
            [("买方（盖章）：上海甲贸易有限公司", 56)], [("法定代表人（签字）：", 56)], [("日期：2024年3月5日", 56)]]
    seals = [_seal(170, _row_y(1)), _seal(170, _row_y(4))]  # 54 pt apart: the 112 pt stamps overlap
    doc = _extract(rows, seals)
    assert doc.value("seal_seller") == doc.value("seal_buyer") == "true"
    assert doc.fields["seal_seller"].bbox.cy < doc.fields["seal_buyer"].bbox.cy
    assert doc.fields["seal_seller"].confidence >= 0.95


def test_a_seal_just_outside_every_region_is_attached_unsure():
    rows = [[("甲方（盖章）：上海甲贸易有限公司", 56), ("乙方（盖章）：杭州乙科技有限公司", 310)]]
    doc = _extract(rows, [_seal(150, _row_y(0) + 0.22 * H + 30)])  # below the block's depth, within reach
    assert doc.value("seal_buyer") == "true"
    assert doc.fields["seal_buyer"].confidence < 0.9


def test_a_seal_far_from_every_signing_block_is_nobodys_and_makes_absence_unsure():
    rows = [[("甲方（盖章）：上海甲贸易有限公司", 56), ("乙方（盖章）：杭州乙科技有限公司", 310)]]
    doc = _extract(rows, [_seal(300, 780)])
    assert doc.value("seal_buyer") == doc.value("seal_seller") == "false"
    assert doc.fields["seal_buyer"].confidence < 0.9 and doc.fields["seal_seller"].confidence < 0.9


def test_one_seal_in_the_left_column_goes_to_the_left_party_only():
    rows = [[("甲方（盖章）：上海甲贸易有限公司", 56), ("乙方（盖章）：杭州乙科技有限公司", 310)]]
    doc = _extract(rows, [_seal(150, _row_y(1))])
    assert doc.value("seal_buyer") == "true" and doc.value("seal_seller") == "false"


@pytest.mark.parametrize("family", ["qianzi_biao", "gongxu_biao", "chumai_diedie", "dinghuo_biaotou"])
def test_rendered_signing_part_gives_each_party_its_seal_and_details(family: str, tmp_path: Path):
    """A rendered contract whose signing part is a signature table, a details table, stacked blocks with
    overlapping stamps or a pairs header table: seals detected on the page image and attached by column."""
    contract = generate(family, 3)
    contract.seals["buyer"] = False
    path = tmp_path / "c.pdf"
    path.write_bytes(render(contract))
    doc = PurchaseContractExtractor().extract(read_document(path))
    truth = contract.truth(path.name)
    assert doc.value("seal_seller") == "true" and doc.value("seal_buyer") == "false"
    for role in ("buyer", "seller"):
        for key, value in truth[role].items():  # type: ignore[union-attr]
            if value is not None:
                assert doc.value(f"{role}_{key}") == value, (role, key)


def test_a_signing_heading_whose_role_word_ocr_misread_is_the_other_partys():
    rows = [[("需方（盖章）：", 56), ("供赁方（盖章）：", 330)],
            [("日期：2024年3月1日", 56), ("日期：2024年3月1日", 330)]]
    doc = _extract(rows, [_seal(110, _row_y(0) + 5), _seal(390, _row_y(0) + 5)])
    assert doc.value("seal_buyer") == "true" and doc.value("seal_seller") == "true"
    assert doc.fields["seal_seller"].page == 1


def test_a_misread_heading_beside_a_party_leaves_its_missing_seal_missing():
    rows = [[("需方（盖章）：", 56), ("供赁方（盖章）：", 330)],
            [("日期：2024年3月1日", 56), ("日期：2024年3月1日", 330)]]
    doc = _extract(rows, [_seal(110, _row_y(0) + 5)])
    assert doc.value("seal_buyer") == "true" and doc.value("seal_seller") == "false"


@pytest.mark.parametrize("run", [
    "甲方（买方）（盖章）：上海甲贸易有限公司乙方（卖方）（盖章）：杭州乙科技有限公司",
    # a photo: the stamps hide 章 and the closing brackets, and part of each name
    "甲方(买方)(盖):上海甲贸易有限公司乙方(卖方)(盖杭州乙科技有限公司",
])
def test_two_signing_blocks_ocr_read_as_one_run_each_get_their_own_seal(run: str):
    doc = _extract([[(run, 56)], [("日期：2024年3月1日", 56)]], [_seal(110, _row_y(0) + 5), _seal(330, _row_y(0) + 5)])
    assert doc.value("seal_buyer") == doc.value("seal_seller") == "true"
    assert doc.fields["seal_buyer"].bbox.x0 < doc.fields["seal_seller"].bbox.x0


def test_a_signing_heading_touching_the_run_before_it_starts_its_own_block():
    rows = [[("甲方（买方）（盖章）：上海甲贸易有限公司", 56), ("乙方（卖方）（盖章）：杭州乙科技有限公司", 247)],
            [("日期：2024年3月1日", 56)]]
    doc = _extract(rows, [_seal(110, _row_y(0) + 5), _seal(330, _row_y(0) + 5)])
    assert doc.value("seal_buyer") == doc.value("seal_seller") == "true"
    assert doc.fields["seal_buyer"].bbox.x0 < doc.fields["seal_seller"].bbox.x0


def test_a_signature_split_in_two_marks_inside_one_block_gives_the_block_above_none():
    rows = [[("甲方（盖章）：上海甲贸易有限公司", 56)], [("日期：2024年3月1日", 56)], [("", 56)], [("", 56)],
            [("乙方（盖章）：杭州乙科技有限公司", 56)], [("授权代表（签字）：", 56)]]
    sign = [Mark(kind=MarkKind.SIGNATURE, bbox=BBox.from_points(x, _row_y(5) - 4, x + 30, _row_y(5) + 14, W, H),
                 confidence=0.9) for x in (170, 205)]  # one signature, its strokes found as two marks
    doc = _extract(rows, sign)
    assert doc.value("signature_seller") == "true" and doc.value("signature_buyer") == "false"


def test_a_stamps_edge_read_as_a_rule_does_not_end_its_partys_column():
    """On a photo the straight right edge of the buyer's stamp came out as an upright rule in the gap between
    the blocks: the column ended there, and the buyer's signature after its long 签字 line went to the seller."""
    rows = [[("采购方（盖章）：上海甲贸易有限公司", 59), ("供货方（盖章）：杭州乙科技有限公司", 300)],
            [("法定代表人或授权代表（签字）：", 59), ("法定代表人或授权代表（签字）：", 300)]]
    seal = _seal(190, _row_y(0))  # its right edge at x 246
    edge = _rule(245.5, _row_y(0) - 40, _row_y(0) + 40)
    sign = Mark(kind=MarkKind.SIGNATURE, bbox=BBox.from_points(232, _row_y(1) - 2, 285, _row_y(1) + 10, W, H),
                confidence=0.8)
    doc = _extract(rows, [seal, edge, sign])
    assert doc.value("signature_buyer") == "true" and doc.value("signature_seller") == "false"
