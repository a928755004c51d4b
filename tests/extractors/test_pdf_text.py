"""The pdfplumber text-layer reader: words and lines with boxes; bad input refused with stable codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from extractors.readers import READERS, pdf_text
from extractors.readers.pdf_text import group_lines, page_count, read_pdf
from idp.errors import InputRejected
from idp.models import BBox, TextSource, Word

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "vat_invoice"
SAMPLE = SAMPLES / "putong_dianzi_01.pdf"


def _pdf(path: Path, text: str | None = "hello world", **canvas_kw: object) -> Path:
    canvas = Canvas(str(path), invariant=1, **canvas_kw)
    if text:
        canvas.drawString(72, 700, text)
    else:
        canvas.rect(72, 600, 200, 100)
    canvas.showPage()
    canvas.save()
    return path


def _rejected_code(path: Path) -> str:
    with pytest.raises(InputRejected) as info:
        read_pdf(path)
    assert info.value.http_status == 422
    assert "(" in info.value.message and ")" in info.value.message  # Chinese first, English in brackets
    return info.value.code


def test_registered_and_available():
    assert READERS["pdf_text"] is pdf_text
    assert pdf_text.is_available()
    assert pdf_text.read is read_pdf


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _rejected_code(path) == "empty_file"


def test_not_a_pdf(tmp_path: Path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes("这不是PDF，是一段文字。".encode())
    assert _rejected_code(path) == "not_a_pdf"


def test_png_renamed_to_pdf(tmp_path: Path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert _rejected_code(path) == "not_a_pdf"


def test_encrypted_with_user_password(tmp_path: Path):
    path = _pdf(tmp_path / "locked.pdf", encrypt="s3cret")
    assert _rejected_code(path) == "encrypted_pdf"


def test_owner_password_only_is_read(tmp_path: Path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = _pdf(tmp_path / "perm.pdf", encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0))
    assert [line.text for line in read_pdf(path)[0].lines] == ["hello world"]


def test_truncated(tmp_path: Path):
    data = SAMPLE.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert _rejected_code(path) == "corrupt_pdf"


def test_garbage_body(tmp_path: Path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage\xff" * 50 + b"\n%%EOF\n")
    assert _rejected_code(path) == "corrupt_pdf"


def test_no_pages(tmp_path: Path):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "nopages.pdf"
    path.write_bytes(bytes(out))
    assert _rejected_code(path) == "no_pages"


def test_page_without_text_layer(tmp_path: Path):
    pages = read_pdf(_pdf(tmp_path / "drawing.pdf", text=None))
    assert len(pages) == 1
    assert pages[0].lines == []
    assert pages[0].source is TextSource.TEXT_LAYER


def test_reads_words_and_lines_in_reading_order():
    pages = read_pdf(SAMPLE)
    assert page_count(SAMPLE) == len(pages) == 1
    page = pages[0]
    assert (page.width, page.height) == (610, 394)
    centres = [line.bbox.cy for line in page.lines]
    assert centres == sorted(centres)
    for line in page.lines:
        assert line.confidence == 1.0
        xs = [w.bbox.x0 for w in line.words]
        assert xs == sorted(xs)
        for word in line.words:
            assert 0 <= word.bbox.x0 < word.bbox.x1 <= 1 and 0 <= word.bbox.y0 < word.bbox.y1 <= 1
    texts = [line.text for line in page.lines]
    assert any("校 验 码" in t for t in texts)  # spaced label: visible gaps become spaces
    # the label and its value are separate words even when pdfplumber would merge them
    code_line = next(line for line in page.lines if "发票代码" in line.text)
    assert [w.text for w in code_line.words if "发票代码" in w.text][0] in ("发票代码:", "发票代码：")


def test_group_lines_does_not_chain_rows():
    def word(text: str, top: float, x: float) -> Word:
        return Word(text=text, bbox=BBox(x0=x, y0=top, x1=x + 0.05, y1=top + 0.02))

    # a staircase of small offsets (like a stamp's characters) must not merge three rows into one
    words = [word("a", 0.100, 0.1), word("b", 0.1095, 0.2), word("c", 0.119, 0.3), word("d", 0.140, 0.1)]
    assert [line.text for line in group_lines(words)] == ["a b", "c", "d"]
