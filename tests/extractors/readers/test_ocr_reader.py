"""Real OCR (rapidocr, PP-OCRv6 small) through the whole image path: clean, rotated and photo-like pages."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from extractors.readers.image import ocr_image
from extractors.readers.ocr import OcrEngine, OcrLine, get_engine, lines_to_page, order_lines
from idp.models.geometry import BBox
from idp.models.page import TextLine, TextSource
from idp.synth.degrade import photo, rotate_quadrant
from idp.synth.evaluate import truth_pieces
from idp.synth.measure import flexible_char_error_rate

REPO = Path(__file__).resolve().parents[3]


def _cer(rendered, page) -> float:
    return flexible_char_error_rate(truth_pieces(rendered.page), [ln.text for ln in page.lines])


def test_engine_is_created_once_per_process() -> None:
    engine = get_engine()
    assert engine is get_engine()
    assert isinstance(engine, OcrEngine)


def test_clean_scan_reads_exactly(invoice_page) -> None:
    page = ocr_image(invoice_page.image)
    assert page.source is TextSource.OCR
    assert page.preprocessing == [] and page.rotation_applied == 0
    assert (page.width, page.height) == (invoice_page.image.shape[1], invoice_page.image.shape[0])
    assert _cer(invoice_page, page) <= 0.01
    number = next(ln for ln in page.lines if ln.text.startswith("发票号码"))
    assert number.text == "发票号码:24312000000012345678"
    assert number.confidence > 0.95
    assert number.bbox.x0 > 0.6 and number.bbox.y1 < 0.2  # top right, as printed


@pytest.fixture(scope="module")
def upright_contract_cer(contract_page) -> float:
    return _cer(contract_page, ocr_image(contract_page.image))


@pytest.mark.slow
@pytest.mark.parametrize("turns", [1, 2, 3])
def test_rotated_pages_read_as_well_as_upright(
    contract_page, upright_contract_cer: float, turns: int
) -> None:
    page = ocr_image(rotate_quadrant(contract_page.image, turns))
    assert page.rotation_applied == (360 - 90 * turns) % 360
    assert (page.width, page.height) == (contract_page.image.shape[1], contract_page.image.shape[0])
    assert _cer(contract_page, page) <= upright_contract_cer + 0.002
    title = next(ln for ln in page.lines if ln.text == "购销合同")
    assert title.bbox.cy < 0.15  # at the top of the turned-back page


@pytest.mark.slow
def test_photo_like_page_reads_within_two_percent(invoice_page) -> None:
    page = ocr_image(photo(invoice_page.image, 11))
    assert page.preprocessing[0] == "document_crop"
    assert _cer(invoice_page, page) <= 0.02
    assert any("91310115MA1H8XXX2Q" in ln.text for ln in page.lines)


def test_lines_to_page_normalises_text_boxes_and_splits_words() -> None:
    lines = [
        OcrLine(box=((10, 50), (190, 50), (190, 70), (10, 70)), text="金额 合计：100", score=0.97),
        OcrLine(box=((10, 10), (100, 10), (100, 30), (10, 30)), text="发票", score=0.5),
    ]
    page = lines_to_page(lines, width=200, height=100, page_no=3, rotation=450, steps=["x"])
    assert [ln.text for ln in page.lines] == ["发票", "金额 合计:100"]
    assert page.rotation_applied == 90 and page.preprocessing == ["x"] and page.page_no == 3
    second = page.lines[1]
    assert second.bbox == BBox(x0=0.05, y0=0.5, x1=0.95, y1=0.7)
    assert [w.text for w in second.words] == ["金额", "合计:100"]
    assert second.words[0].bbox.x1 < second.words[1].bbox.x0


def test_a_margin_note_read_down_the_page_is_dropped_but_block_labels_stay() -> None:
    """税总函〔2018〕340号…印制有限公司 down a paper invoice's margin would lie across every row beside it."""
    lines = [
        OcrLine(box=((5, 10), (15, 10), (15, 190), (5, 190)), text="税总函(2018)340号中钞光华印制有限公司", score=0.9),
        OcrLine(box=((20, 40), (30, 40), (30, 80), (20, 80)), text="购买方", score=0.9),  # a block label
        OcrLine(box=((40, 50), (190, 50), (190, 60), (40, 60)), text="*焙烤食品*泡吧夹心软面包", score=0.95),
    ]
    page = lines_to_page(lines, width=200, height=200, page_no=1, steps=["x"])
    assert sorted(ln.text for ln in page.lines) == sorted(["购买方", "*焙烤食品*泡吧夹心软面包"])
    assert page.preprocessing == ["x", "drop_vertical_notes(1)"]


def test_reading_order_keeps_rows_despite_a_tall_label() -> None:
    def line(text: str, x0: float, y0: float, x1: float, y1: float) -> TextLine:
        return TextLine(text=text, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1))

    lines = [
        line("值2", 0.5, 0.31, 0.9, 0.35),
        line("购买方", 0.0, 0.1, 0.04, 0.4),  # a vertical label spanning both rows
        line("名称:", 0.1, 0.1, 0.3, 0.14),
        line("值1", 0.5, 0.105, 0.9, 0.145),
        line("地址:", 0.1, 0.3, 0.3, 0.34),
    ]
    assert [ln.text for ln in order_lines(lines)] == ["名称:", "值1", "购买方", "地址:", "值2"]


@pytest.mark.slow
def test_no_network_from_import_to_inference(tmp_path: Path, invoice_strip) -> None:
    """Import, engine creation and one inference in a fresh interpreter whose sockets all raise."""
    import cv2

    image = tmp_path / "strip.png"
    cv2.imwrite(str(image), invoice_strip)
    code = textwrap.dedent(
        f"""
        import socket
        class Refused(socket.socket):
            def __init__(self, *a, **k):
                raise RuntimeError("network access attempted")
        def refuse(*a, **k):
            raise RuntimeError("network access attempted")
        socket.socket = Refused
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        import cv2
        from extractors.readers.ocr import get_engine
        lines = get_engine().recognize(cv2.imread({str(image)!r}))
        assert any("发票号码" in ln.text for ln in lines), lines
        print("ok", len(lines))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok")
