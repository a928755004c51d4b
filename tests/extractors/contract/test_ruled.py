"""Ruling lines where a table draws them: rows are the bands between horizontal rules (a wrapped name nearer the
next row's numbers still belongs to its own row), columns the gaps between vertical rules."""

from __future__ import annotations

import numpy as np

from extractors.contract.extractor import PurchaseContractExtractor
from extractors.text.rulings import rule_marks_from_image, rules
from idp.models import BBox, Mark, MarkKind, PageText
from tests.extractors.contract.pages import H, W, page

_PARTIES = [[("购销合同", 250)], [("甲方（需方）：", 56), ("上海甲贸易有限公司", 126)],
            [("乙方（供方）：", 56), ("杭州乙科技有限公司", 126)], [("第一条 标的", 56)]]
_COLUMNS = (56, 90, 200, 330, 400, 539)  # 序号 | 产品名称 | 数量 | 单价 | 金额


def _rule(x0: float, y0: float, x1: float, y1: float) -> Mark:
    return Mark(kind=MarkKind.RULE, bbox=BBox.from_points(x0, y0, x1, y1, W, H), confidence=1.0)


def _ruled_page(rows: list[list[tuple[str, float]]], borders: list[float]) -> PageText:
    p = page(rows, step=8.0)
    marks = [_rule(_COLUMNS[0], y, _COLUMNS[-1], y) for y in borders]
    marks += [_rule(x, borders[0], x, borders[-1]) for x in _COLUMNS]
    return p.model_copy(update={"marks": marks})


def test_a_wrapped_name_belongs_to_the_row_it_is_drawn_in():
    # rows at y = 60 + 8·i: parties at 60..92 (every other row), header at 108, lines at 124, 148 and 164
    gap: list[tuple[str, float]] = []
    rows = [_PARTIES[0], gap, _PARTIES[1], gap, _PARTIES[2], gap, _PARTIES[3], gap,
            [("序号", 60), ("产品名称", 100), ("数量", 210), ("单价", 340), ("金额", 410)], gap,
            [("1", 62), ("工业级以太网", 95), ("2", 300), ("1,200.00", 340), ("2,400.00", 470)], gap, gap,
            [("交换机", 95)],  # row 1's name goes on 24 points under it, 16 above row 2's numbers
            gap, [("2", 62), ("伺服电机", 95), ("3", 300), ("1,000.00", 340), ("3,000.00", 470)]]
    borders = [120.0, 137.0, 177.0, 193.0]
    doc = PurchaseContractExtractor().extract([_ruled_page(rows, borders)])
    assert [i["name"].value for i in doc.items] == ["工业级以太网交换机", "伺服电机"]


def test_lines_inside_one_ruled_band_are_each_a_line_when_each_carries_its_own_numbers():
    """Rules round the table (under the header, after the last line) and none between its lines: the band holds
    two complete lines, not one line wrapped (减速机离心水泵 with quantity 126)."""
    gap: list[tuple[str, float]] = []
    rows = [_PARTIES[0], gap, _PARTIES[1], gap, _PARTIES[2], gap, _PARTIES[3], gap,
            [("序号", 60), ("产品名称", 100), ("数量", 210), ("单价", 340), ("金额", 410)], gap,
            [("1", 62), ("减速机", 95), ("12", 300), ("6,926.00", 340), ("83,112.00", 470)], gap,
            [("2", 62), ("离心水泵", 95), ("6", 300), ("2,727.32", 340), ("16,363.92", 470)]]
    borders = [120.0, 136.0, 168.0]
    doc = PurchaseContractExtractor().extract([_ruled_page(rows, borders)])
    assert [(i["name"].value, i["quantity"].value) for i in doc.items] == [("减速机", "12"), ("离心水泵", "6")]


def test_rules_are_found_on_an_image():
    img = np.full((1000, 700, 3), 255, np.uint8)
    for y in (300, 340, 380):
        img[y : y + 2, 50:650] = 0
    for x in (50, 200, 648):
        img[300:382, x : x + 2] = 0
    img[500:520, 100:300] = 0  # a filled box is no rule
    found = rules(PageText(page_no=1, width=700, height=1000, source="ocr", marks=rule_marks_from_image(img)))
    assert sorted(round(r.at) for r in found if r.horizontal) == [301, 341, 381]
    assert sorted(round(r.at) for r in found if not r.horizontal) == [51, 201, 649]


def test_rules_are_read_from_a_text_pdf_and_signature_curves_are_not(tmp_path):
    from extractors.readers.dispatch import read_document
    from idp.synth import contract

    path = contract.write_sample(tmp_path, "c", "jiayi", 3)
    pages = read_document(path)
    table = [r for r in rules(pages[0]) if r.horizontal]
    assert len(table) >= 4  # the goods table's borders
    last = rules(pages[-1])
    assert all(r.horizontal or r.end - r.start > 40 for r in last)  # no stroke of a signature
