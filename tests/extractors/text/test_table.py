"""Rows of cells from word boxes: a cell's value wrapped onto a next line that still falls in the row."""

from __future__ import annotations

from extractors.text.table import page_rows
from idp.models import BBox, PageText, TextLine, TextSource

W, H = 2000.0, 3000.0


def _page(*boxes: tuple[str, float, float, float, float]) -> PageText:
    lines = [TextLine(text=t, bbox=BBox.from_points(x0, y0, x1, y1, W, H), confidence=0.99)
             for t, x0, y0, x1, y1 in boxes]
    return PageText(page_no=1, width=W, height=H, source=TextSource.OCR, lines=lines)


def test_a_wrapped_line_starting_left_of_its_first_line_follows_it():
    """OCR's box of the wrapped 室 starts a few pixels left of the address above it; ordered by x alone it came
    first (``室云南省…437``)."""
    rows = page_rows(_page(("地址", 189, 488, 261, 536), ("上海市浦东新区张江路690号", 365, 490, 751, 532),
                           ("地址", 861, 488, 933, 536), ("室", 1035, 505, 1083, 551),
                           ("云南省昆明市官渡区金开大道215号19栋437", 1039, 479, 1512, 515)))
    assert len(rows) == 1
    assert [c.text for c in rows[0].cells][2:] == ["地址", "云南省昆明市官渡区金开大道215号19栋437", "室"]


def test_cells_side_by_side_keep_left_to_right_order():
    rows = page_rows(_page(("数量", 100, 100, 160, 130), ("单价", 300, 104, 360, 134), ("金额", 500, 98, 560, 128)))
    assert [c.text for c in rows[0].cells] == ["数量", "单价", "金额"]


def test_a_short_cell_lower_in_the_row_but_outside_the_cell_above_keeps_its_place():
    rows = page_rows(_page(("规格", 100, 100, 300, 130), ("台", 320, 112, 350, 142)))
    assert [c.text for c in rows[0].cells] == ["规格", "台"]
