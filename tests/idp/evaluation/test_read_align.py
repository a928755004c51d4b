"""Position-matched CER: order and splitting never count, excluded truth is counted apart, misreads count."""

from __future__ import annotations

import numpy as np
import pytest

from idp.evaluation.read_align import align_page, register
from idp.models.geometry import BBox
from idp.models.page import PageText, TextLine, TextSource, Word

W, H = 600.0, 400.0  # truth page (points)
#: (text, x0, y0, x1, y1) in points
ROWS = [
    ("发票号码:", 40, 30, 100, 42),
    ("12345678", 104, 30, 170, 42),
    ("名称:甲公司", 40, 70, 130, 82),
    ("0696/79+6663/1*8*0462405794", 300, 70, 520, 82),
    ("价税合计", 40, 110, 100, 122),
    ("¥53.40", 300, 110, 350, 122),
    ("开户行及账号:中国银行天津分行", 40, 150, 250, 162),
]


def _page(rows, *, source=TextSource.TEXT_LAYER, width=W, height=H, scale=1.0, dx=0.0, dy=0.0) -> PageText:
    lines = []
    for text, x0, y0, x1, y1 in rows:
        x0, x1, y0, y1 = x0 * scale + dx, x1 * scale + dx, y0 * scale + dy, y1 * scale + dy
        box = BBox.from_points(x0, y0, x1, y1, width, height)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return PageText(page_no=1, width=width, height=height, source=source, lines=lines)


def _render(rows, blank=()) -> np.ndarray:
    """White page (1 px per point) with a dark bar under every word except those listed in ``blank``."""
    img = np.full((int(H), int(W), 3), 255, np.uint8)
    for text, x0, y0, x1, y1 in rows:
        if text not in blank:
            img[int(y0) + 2 : int(y1) - 2, int(x0) : int(x1)] = 30
    return img


def test_a_perfect_read_in_any_order_scores_zero():
    truth = _page(ROWS)
    read = _page(list(reversed(ROWS)), source=TextSource.OCR)
    got = align_page(truth, read, _render(ROWS))
    assert got.cer == 0 and got.cer_all == 0 and got.registered
    assert got.chars["cipher"] == 27 and got.chars["text"] == sum(len(r[0]) for r in ROWS) - 27


def test_a_line_read_as_two_pieces_is_not_an_error():
    truth = _page(ROWS)
    split = [r for r in ROWS if r[0] != "名称:甲公司"]
    split += [("名称:", 40, 70, 72, 82), ("甲公司", 76, 70, 130, 82)]
    assert align_page(truth, _page(split, source=TextSource.OCR), _render(ROWS)).cer == 0


def test_misreads_count_by_kind_and_cipher_apart():
    truth = _page(ROWS)
    rows = [list(r) for r in ROWS]
    rows[1][0] = "12345679"  # one substitution
    rows[3][0] = "0696/79+6663/1*8*046240579"  # one cipher character dropped
    rows[5][0] = "¥5340"  # the decimal point missed
    got = align_page(truth, _page([tuple(r) for r in rows], source=TextSource.OCR), _render(ROWS))
    assert got.errors["text"] == {"substituted": 1, "missed": 1}
    assert got.errors["cipher"] == {"missed": 1}
    assert got.cer == pytest.approx(2 / got.chars["text"])
    assert ("12345678", "12345679") in got.examples


def test_registration_undoes_scale_and_offset():
    """An OCR page 2.5x larger with a margin (a deskewed or cropped render) still lines up."""
    truth = _page(ROWS)
    read = _page(ROWS, source=TextSource.OCR, width=1700, height=1200, scale=2.5, dx=80, dy=60)
    transform, anchors = register(truth, read)
    assert transform is not None and anchors >= 4
    assert align_page(truth, read, _render(ROWS)).cer == 0


def test_truth_the_render_does_not_draw_is_counted_apart():
    truth = _page(ROWS)
    read = _page([r for r in ROWS if r[0] != "价税合计"], source=TextSource.OCR)
    got = align_page(truth, read, _render(ROWS, blank={"价税合计"}))
    assert got.cer == 0 and got.chars["not_drawn"] == 4
    assert got.cer_all > 0  # the plain rate still counts it


def test_seal_text_is_counted_apart_and_reading_it_is_free():
    rows = [*ROWS, ("国家税务总局", 420, 20, 500, 32)]
    truth = _page(rows)
    read_rows = [*ROWS, ("国家税务总", 420, 20, 500, 32)]
    got = align_page(truth, _page(read_rows, source=TextSource.OCR), _render(rows),
                     seal_boxes=[BBox.from_points(420, 20, 500, 32, W, H)])
    assert got.cer == 0 and got.chars["seal_text"] == 6 and got.read_excluded == 5


def test_text_read_where_the_truth_has_none_is_spurious():
    truth = _page(ROWS)
    read = _page([*ROWS, ("幻影文字", 400, 300, 460, 312)], source=TextSource.OCR)
    img = _render(ROWS)
    img[302:310, 400:460] = 30
    got = align_page(truth, read, img)
    assert got.errors["text"] == {"spurious": 4}


def test_words_running_off_the_page_are_not_drawn():
    rows = [*ROWS, ("下载次数:1", 590, 200, 600, 212)]  # a 6-character word squeezed into 10 points
    got = align_page(_page(rows), _page(ROWS, source=TextSource.OCR), _render(rows))
    assert got.cer == 0 and got.chars["not_drawn"] == 6


def test_small_words_printed_over_a_larger_word_are_overprinted():
    rows = [*ROWS, ("电子发票", 200, 190, 320, 220), ("监", 230, 200, 240, 210)]
    got = align_page(_page(rows), _page(rows[:-1], source=TextSource.OCR), _render(rows))
    assert got.cer == 0 and got.chars["overprinted"] == 1


def test_repeated_table_rows_join_the_fit():
    """A goods list repeats the same cells on every row: after a first fit on the unique header, the rows are
    matched to their nearest truth row and the fit rests on the whole page."""
    rows = [("销售货物或者提供应税劳务清单", 100, 20, 400, 34), ("购买方名称:个人", 40, 50, 200, 62)]
    rows += [("*餐饮服务*餐费", 40, 80 + 12 * i, 150, 90 + 12 * i) for i in range(20)]
    rows += [("100.00", 400, 80 + 12 * i, 450, 90 + 12 * i) for i in range(20)]
    truth = _page(rows, height=400)
    read = _page(rows, source=TextSource.OCR, width=1500, height=1000, scale=2.5)
    transform, anchors = register(truth, read)
    assert transform is not None and anchors > 2 + 20
    got = align_page(truth, read, _render(rows))
    assert got.cer == 0


def test_the_drawn_circled_cross_before_an_amount_is_not_an_insertion_but_other_extra_characters_are():
    """Invoices draw ⊗ before the 大写 amount as a path, so the text layer never has it."""
    rows = [*ROWS, ("伍拾叁圆肆角", 40, 190, 130, 202)]
    truth = _page(rows)
    read_rows = [r if r[0] != "伍拾叁圆肆角" else ("⊗伍拾叁圆肆角", 30, 190, 130, 202) for r in rows]
    got = align_page(truth, _page(read_rows, source=TextSource.OCR), _render(rows))
    assert got.cer == 0 and got.read_excluded == 1 and not got.examples
    read_rows = [r if r[0] != "伍拾叁圆肆角" else ("X伍拾叁圆肆角", 30, 190, 130, 202) for r in rows]
    got = align_page(truth, _page(read_rows, source=TextSource.OCR), _render(rows))
    assert got.errors["text"] == {"spurious": 1}
