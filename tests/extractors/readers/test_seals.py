"""Seal and signature marks: red stamps found on a rendered contract page (present and absent), nothing on
pages without stamps, and ``annotate`` touching only files that read like contracts."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors.readers import seals
from extractors.readers.dispatch import read_document
from idp.models import BBox, MarkKind, PageText, TextLine, TextSource, Word
from idp.synth.contract import generate
from idp.synth.contract_layout import render
from idp.synth.degrade import render_pdf

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def signing_pages() -> tuple[np.ndarray, np.ndarray]:
    """The last page of one contract rendered with both seals, and of the same contract with one missing."""
    both = render(generate("jiayi", 5))
    missing = generate("jiayi", 5)
    missing.seals["seller"] = False
    return render_pdf(both, dpi=100)[-1], render_pdf(render(missing), dpi=100)[-1]


def test_two_seals_found_side_by_side(signing_pages: tuple[np.ndarray, np.ndarray]):
    found = seals.find_seals(signing_pages[0])
    assert len(found) == 2
    assert sorted(round(m.bbox.cx, 1) for m in found)[0] < 0.5 < sorted(m.bbox.cx for m in found)[1]
    assert all(m.kind == MarkKind.SEAL and m.confidence > 0.8 for m in found)


def test_missing_seal_is_not_found(signing_pages: tuple[np.ndarray, np.ndarray]):
    found = seals.find_seals(signing_pages[1])
    assert len(found) == 1 and found[0].bbox.cx < 0.5


def test_red_text_and_plain_pages_have_no_seal(signing_pages: tuple[np.ndarray, np.ndarray]):
    page = np.full((1100, 800, 3), 255, np.uint8)
    cv2.putText(page, "RED HEADLINE TEXT", (40, 100), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (30, 30, 220), 4)
    cv2.rectangle(page, (40, 300), (700, 360), (30, 30, 220), -1)  # a filled red bar
    assert seals.find_seals(page) == []


def _grey(page: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


def test_on_a_grey_copy_each_stamp_is_found_as_a_ring_with_a_star(signing_pages: tuple[np.ndarray, np.ndarray]):
    """Banks scan contracts in grey as often as in colour: a stamp copied in grey is still a stamp."""
    both = seals.find_seals(_grey(signing_pages[0]))
    assert len(both) == 2 and all(m.kind == MarkKind.SEAL for m in both)
    assert sorted(m.bbox.cx for m in both)[0] < 0.5 < sorted(m.bbox.cx for m in both)[1]
    one = seals.find_seals(_grey(signing_pages[1]))
    assert len(one) == 1 and one[0].bbox.cx < 0.5


def test_on_a_grey_page_a_ring_without_a_star_or_a_round_table_is_no_seal():
    page = np.full((1200, 900, 3), 250, np.uint8)
    cv2.circle(page, (250, 300), 80, (90, 90, 90), 3)  # a drawn circle: a logo's ring, empty inside
    for y in range(600, 1000, 40):  # a ruled table with text in its cells
        cv2.line(page, (60, y), (840, y), (40, 40, 40), 1)
        cv2.putText(page, "2024-01-05  123,456.78  O0O0O0", (70, y + 28), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (30, 30, 30), 2)
    assert seals.find_seals(page) == []
    filled = page.copy()
    cv2.circle(filled, (250, 300), 14, (90, 90, 90), -1)  # the same ring with ink at its centre is one
    assert len(seals.find_seals(filled)) == 1


def test_a_scanned_seal_is_still_found(signing_pages: tuple[np.ndarray, np.ndarray]):
    from idp.synth.degrade_docs import scan_page

    assert len(seals.find_seals(scan_page(signing_pages[0], 3))) == 2


def test_a_faded_stamp_is_still_found_and_a_paper_tint_is_no_stamp(signing_pages: tuple[np.ndarray, np.ndarray]):
    """A scan that washed the stamps out (saturation about 55, the seller's seal on a scanned order form)."""
    hsv = cv2.cvtColor(signing_pages[0], cv2.COLOR_BGR2HSV)
    red = hsv[..., 1] > 100
    hsv[..., 1][red] = 55
    faded = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
    assert len(seals.find_seals(faded)) == 2
    tinted = signing_pages[1].copy()
    tinted[:] = (tinted.astype(np.float32) * np.float32([0.88, 0.88, 1.0])).astype(np.uint8)  # pink paper
    assert len(seals.find_seals(tinted)) == 1


def test_a_stamp_too_faint_for_the_red_mask_is_found_as_a_ring_with_a_star(
    signing_pages: tuple[np.ndarray, np.ndarray],
):
    """A stamp pressed lightly and scanned onto grey paper keeps a saturation of about 30: one of two seals on a
    scanned contract was reported missing."""
    def faint(page: np.ndarray) -> np.ndarray:
        hsv = cv2.cvtColor(page, cv2.COLOR_BGR2HSV)
        red = hsv[..., 1] > 30
        hsv[..., 1][red] = 30
        hsv[..., 2] = (hsv[..., 2].astype(np.float32) * 0.87).astype(np.uint8)  # grey paper
        out = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
        cv2.rectangle(out, (40, 40), (400, 70), (200, 60, 20), -1)  # a blue letterhead: the page has colour
        return out

    assert cv2.countNonZero(seals.red_mask(faint(signing_pages[0]))) < 100
    assert len(seals.find_seals(faint(signing_pages[0]))) == 2
    assert len(seals.find_seals(faint(signing_pages[1]))) == 1


def test_reading_a_contract_fills_marks_and_a_statement_gets_none():
    contract = read_document(REPO / "samples" / "purchase_contract" / "jiayi_01.pdf")
    kinds = [m.kind for p in contract for m in p.marks]
    assert kinds.count(MarkKind.SEAL) == 2 and MarkKind.SIGNATURE in kinds
    statement = read_document(REPO / "samples" / "bank_statement" / "icbc_01.pdf")
    assert all(not p.marks for p in statement)
    assert not seals.looks_like_contract(statement)


def test_contracts_naming_parties_by_any_role_words_are_contracts():
    """采购方/供货方 (no 甲乙, no 供方) is a contract's pair of parties too, so its seals are looked for."""
    from idp.models import BBox, PageText, TextLine, TextSource

    lines = [TextLine(text=t, bbox=BBox(x0=0.1, y0=0.1 * i, x1=0.9, y1=0.1 * i + 0.05))
             for i, t in enumerate(("采购合同", "采购方：甲公司", "供货方：乙公司"), start=1)]
    page = PageText(page_no=1, width=595, height=842, source=TextSource.TEXT_LAYER, lines=lines)
    assert seals.looks_like_contract([page])


def _ring(page: np.ndarray, centre: tuple[int, int], axes: tuple[int, int]) -> None:
    cv2.ellipse(page, centre, axes, 0, 0, 360, (40, 40, 215), 9)
    cv2.circle(page, centre, min(axes) // 4, (40, 40, 215), -1)  # the star


def test_two_stamps_pressed_one_over_the_other_across_text_are_two_seals():
    """Stacked signing blocks, the lower stamp a little to the side, text under both: one red blob, two rings
    (one seal had been found, and the second party's seal reported missing)."""
    page = np.full((1100, 800, 3), 255, np.uint8)
    _ring(page, (300, 400), (75, 75))
    _ring(page, (325, 505), (75, 75))
    for y in range(330, 600, 28):
        cv2.putText(page, "TEXT LINE UNDER STAMPS 12345", (150, y), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (30, 30, 30), 2)
    found = sorted(seals.find_seals(page), key=lambda m: m.bbox.cy)
    assert len(found) == 2
    assert found[0].bbox.cy < found[1].bbox.cy


def test_two_overlapping_stamps_are_two_seals():
    page = np.full((1100, 800, 3), 255, np.uint8)
    _ring(page, (300, 400), (75, 75))
    _ring(page, (300, 510), (75, 75))  # stacked signing blocks: the rings cross
    found = sorted(seals.find_seals(page), key=lambda m: m.bbox.cy)
    assert len(found) == 2
    assert found[0].bbox.cy < 0.4 < found[1].bbox.cy


def test_two_stamps_overlapping_on_a_diagonal_are_two_seals():
    page = np.full((1100, 800, 3), 255, np.uint8)
    _ring(page, (360, 400), (75, 75))
    _ring(page, (290, 500), (75, 75))  # one block's stamp lower and to the left: a squarish blob
    found = sorted(seals.find_seals(page), key=lambda m: m.bbox.cy)
    assert len(found) == 2
    assert found[0].bbox.cx > found[1].bbox.cx and found[0].bbox.cy < found[1].bbox.cy


def test_an_oval_stamp_stays_one_seal():
    page = np.full((1100, 800, 3), 255, np.uint8)
    _ring(page, (400, 500), (110, 70))
    assert len(seals.find_seals(page)) == 1
    _ring(page := np.full((1100, 800, 3), 255, np.uint8), (400, 500), (80, 80))
    assert len(seals.find_seals(page)) == 1  # one round stamp is never split in two


def _ocr_page(source: str = "ocr") -> object:
    from idp.models import BBox, PageText, TextLine, TextSource, Word

    def box(x0: float, x1: float) -> BBox:
        return BBox(x0=x0, y0=0.50, x1=x1, y1=0.52)

    under = TextLine(text="统一社会信用代码 91110000600037341L", bbox=box(0.1, 0.6), confidence=0.99,
                     words=[Word(text="统一社会信用代码", bbox=box(0.1, 0.3), confidence=0.99),
                            Word(text="91110000600037341L", bbox=box(0.4, 0.6), confidence=0.99)])
    clear = TextLine(text="签订地点 北京", bbox=BBox(x0=0.1, y0=0.2, x1=0.3, y1=0.22), confidence=0.99)
    return PageText(page_no=1, width=1000, height=1400, source=TextSource(source), lines=[under, clear])


def test_ocr_text_under_a_stamp_is_capped_below_the_straight_through_bar():
    from idp.models import BBox

    stamp = BBox(x0=0.38, y0=0.42, x1=0.62, y1=0.6)  # over the code, not over its label
    page = seals.under_seals_capped(_ocr_page(), [stamp])
    under, clear = page.lines
    assert [w.confidence for w in under.words] == [0.99, 0.9] and under.confidence == 0.9
    assert clear.confidence == 0.99


def test_a_text_layer_under_a_stamp_keeps_its_confidence():
    from idp.models import BBox

    page = _ocr_page("text_layer")
    assert seals.under_seals_capped(page, [BBox(x0=0.0, y0=0.0, x1=1.0, y1=1.0)]) == page


def _signing_line_page(cue: str, extra: float = 0.16) -> tuple[np.ndarray, PageText]:
    """A scanned page of plain lines and one line ``cue`` whose OCR box runs on over a signature beside it."""
    w, h, cell = 900, 1200, 0.012  # a Chinese character is two cells wide
    image = np.full((h, w, 3), 255, np.uint8)
    lines = []

    def line(text: str, y: float, extra: float = 0.0) -> None:
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) * cell
        for k in range(int(width / (2 * cell))):  # the characters' ink
            x = 0.1 + k * 2 * cell
            cv2.rectangle(image, (int(x * w) + 2, int(y * h) + 3), (int((x + 2 * cell) * w) - 3, int((y + 0.02) * h)),
                          (40, 40, 40), -1)
        box = BBox(x0=0.1, y0=y, x1=0.1 + width + extra, y1=y + 0.022)
        lines.append(TextLine(text=text, bbox=box, confidence=0.95, words=[Word(text=text, bbox=box, confidence=0.95)]))

    for i in range(4):
        line("本合同一式两份双方各执一份具有同等效力", 0.1 + 0.04 * i)
    line(cue, 0.4, extra=extra)
    cue_width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cue.rstrip("D")) * cell
    sx = int((0.1 + cue_width + 0.02) * w)  # a scribble right after the colon, inside the OCR box
    pts = np.array([[sx + 8 * k, int(0.4 * h) + (6 if k % 2 else 18)] for k in range(14)], np.int32)
    cv2.polylines(image, [pts], False, (60, 30, 20), 2)
    return image, PageText(page_no=1, width=w, height=h, source=TextSource.OCR, lines=lines)


@pytest.mark.parametrize("cue", ["法定代表人（签字）：", "法定代表人（签字）：D",  # OCR may read the scribble as D
                                 "法定代表人（签:)", "法定代表人或授权代表(字)"])  # or garble the cue itself
def test_a_signature_inside_the_ocr_box_of_its_signing_cue_is_still_found(cue: str):
    image, page = _signing_line_page(cue)
    found = [m for m in seals.find_signatures(image, page, []) if m.kind == MarkKind.SIGNATURE]
    cue_width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cue.rstrip("D")) * 0.012
    assert len(found) == 1 and found[0].bbox.x0 > 0.1 + cue_width and 0.38 < found[0].bbox.cy < 0.43


def test_ink_inside_the_box_of_a_line_that_asks_for_no_signature_is_text():
    image, page = _signing_line_page("本合同自双方盖章之日起：")
    assert seals.find_signatures(image, page, []) == []


def test_a_signature_ocr_read_with_the_name_before_it_as_one_box_is_still_found():
    """委托代理人 | 魏春梅 + a scribble: OCR boxed the name and the signature together and read ``魏春梅a``."""
    image, page = _signing_line_page("魏春梅a", extra=0.3)
    found = seals.find_signatures(image, page, [])
    assert len(found) == 1 and found[0].bbox.x0 > 0.1 + 6 * 0.012  # right of the name


def _blank_page(w: int = 900, h: int = 1200) -> np.ndarray:
    return np.full((h, w, 3), 255, np.uint8)


def _flat_signature(image: np.ndarray, x: int, y: int, colour: tuple[int, int, int]) -> None:
    """A flat cursive signature: a small loop, then a long level stroke (6 % of the page width)."""
    pts = np.array([[x + 4 * k, y + (0 if k % 2 else 12)] for k in range(3)], np.int32)
    cv2.polylines(image, [pts], False, colour, 2)
    cv2.line(image, (x + 8, y + 6), (x + 8 + 54, y + 8), colour, 2)


@pytest.mark.parametrize("colour", [(40, 40, 40), (150, 40, 20)])  # black ink, blue ink (BGR)
def test_a_flat_signature_with_a_long_level_stroke_is_not_taken_for_a_rule(colour: tuple[int, int, int]):
    image = _blank_page()
    _flat_signature(image, 500, 600, colour)
    page = PageText(page_no=1, width=900, height=1200, source=TextSource.OCR, lines=[])
    found = seals.find_signatures(image, page, [])
    assert len(found) == 1 and 500 / 900 - 0.01 < found[0].bbox.x0 < 510 / 900


def test_a_table_rule_broken_by_a_stamps_strokes_leaves_no_signature():
    """A grey rule under a stamp shows between its red strokes in pieces shorter than a rule; they are the
    rule's, not a signature."""
    image = _blank_page()
    for y in (300, 314):  # two rules of a table, and the short upright rules between them
        cv2.line(image, (60, y), (840, y), (110, 110, 110), 2)
    for x in range(60, 840, 30):
        cv2.line(image, (x, 300), (x, 314), (110, 110, 110), 2)
    for x in range(400, 700, 45):  # the stamp's characters over the rules, 45 px apart
        cv2.rectangle(image, (x, 290), (x + 12, 350), (40, 40, 220), -1)
    page = PageText(page_no=1, width=900, height=1200, source=TextSource.OCR, lines=[])
    assert seals.find_signatures(image, page, []) == []


def test_a_flat_blue_scribble_lower_than_any_print_is_a_signature_and_a_black_one_is_not():
    """A pen's squiggle 7 px high on a 1200 px page (its rest under a stamp): blue ink is a pen's; the same
    shape in black could be what is left of an underline or a strikethrough."""
    page = PageText(page_no=1, width=900, height=1200, source=TextSource.OCR, lines=[])
    for colour, found in (((150, 40, 20), 1), ((40, 40, 40), 0)):
        image = _blank_page()
        pts = np.array([[500 + 6 * k, 600 + (0 if k % 2 else 3)] for k in range(14)], np.int32)
        cv2.polylines(image, [pts], False, colour, 2)
        assert len(seals.find_signatures(image, page, [])) == found


def _unsure_line_over(colour: tuple[int, int, int]) -> tuple[np.ndarray, PageText]:
    """A 3-character name (or a scribble) OCR read at 0.6: in ``colour``, boxed by its OCR line."""
    image = _blank_page()
    if colour == (40, 40, 40):
        for k in range(3):
            cv2.rectangle(image, (500 + 26 * k, 600), (520 + 26 * k, 622), colour, 2)
            cv2.line(image, (500 + 26 * k, 611), (520 + 26 * k, 611), colour, 2)
    else:
        pts = np.array([[500 + 6 * k, 600 + (0 if k % 2 else 18)] for k in range(14)], np.int32)
        cv2.polylines(image, [pts], False, colour, 2)
    box = BBox.from_points(496, 596, 584, 626, 900, 1200)
    line = TextLine(text="阎立新", bbox=box, confidence=0.6, words=[Word(text="阎立新", bbox=box, confidence=0.6)])
    return image, PageText(page_no=1, width=900, height=1200, source=TextSource.OCR, lines=[line])


def test_print_under_a_line_ocr_read_unsure_is_text_and_pen_ink_under_it_is_not():
    """A printed name OCR read at 0.6 was taken for a signature (its ink was kept, in case it was one); only
    pen-blue ink under such a line is kept now."""
    assert seals.find_signatures(*_unsure_line_over((40, 40, 40)), []) == []
    assert len(seals.find_signatures(*_unsure_line_over((150, 40, 20)), [])) == 1
