"""``read_document``: the bytes decide the reader, PDFs are decided per page, bad input gets a stable code."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from extractors.readers.dispatch import read_document, sniff
from idp.errors import InputRejected
from idp.models.page import TextSource
from idp.synth.specimen import invoice_specimen, specimen_pdf


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _scan_with_stamp_pdf(image: np.ndarray) -> bytes:
    """A page that is one big image plus a short line of real text (a scanner's footer)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    h, w = image.shape[:2]
    size = (w * 72 / 200, h * 72 / 200)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=size)
    c.drawImage(ImageReader(Image.fromarray(image[:, :, ::-1].copy())), 0, 0, *size)
    c.setFont("Helvetica", 6)
    c.drawString(5, 5, "Scanned copy, page 2 of 2, archive 2024-03")
    c.save()
    return out.getvalue()


def _merge(*pdfs: bytes) -> bytes:
    import pypdfium2 as pdfium

    target = pdfium.PdfDocument.new()
    for data in pdfs:
        target.import_pages(pdfium.PdfDocument(data))
    out = io.BytesIO()
    target.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "empty_file"),
        ("notes.txt", "发票号码 12345678\n".encode(), "unsupported_format"),
        ("random.bin", bytes(range(256)) * 4, "unsupported_format"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "corrupt_image"),
        ("flat.bmp", b"BM" + b"\x00" * 60, "corrupt_image"),
    ],
)
def test_bad_inputs_get_stable_codes(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    with pytest.raises(InputRejected) as err:
        read_document(_write(tmp_path, name, content))
    assert err.value.code == code


def test_zip_that_is_not_ofd_is_unsupported(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputRejected) as err:
        read_document(_write(tmp_path, "contract.ofd", buf.getvalue()))
    assert err.value.code == "unsupported_format"


def test_sniffing_ignores_the_name_and_the_declared_type(tmp_path: Path) -> None:
    path = _write(tmp_path, "photo.jpg", specimen_pdf(invoice_specimen()))
    pages = read_document(path, content_type="image/jpeg")
    assert [p.source for p in pages] == [TextSource.TEXT_LAYER]
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg" and sniff(b"MM\x00*") == "tiff" and sniff(b"GIF89a") is None


def test_text_pdf_is_read_from_its_text_layer_and_normalised(tmp_path: Path) -> None:
    (page,) = read_document(_write(tmp_path, "inv.pdf", specimen_pdf(invoice_specimen())))
    assert page.source is TextSource.TEXT_LAYER and page.preprocessing == []
    assert "发票号码:24312000000012345678" in page.text  # ASCII colon and parentheses after normalising
    assert "电子发票(增值税专用发票)" in page.text
    assert "：" not in page.text and "（" not in page.text


def test_ofd_goes_to_the_ofd_reader(real_invoices: Path) -> None:
    pages = read_document(real_invoices / "ofdrw_999.ofd")
    assert len(pages) == 5 and {p.source for p in pages} == {TextSource.OFD}


@pytest.mark.slow
def test_mixed_pdf_is_decided_per_page(tmp_path: Path, contract_page, invoice_page) -> None:
    """A digital contract page followed by a scanned invoice page that carries a scanner's footer line."""
    data = _merge(contract_page.pdf, _scan_with_stamp_pdf(invoice_page.image))
    pages = read_document(_write(tmp_path, "mixed.pdf", data))
    assert [p.source for p in pages] == [TextSource.TEXT_LAYER, TextSource.OCR]
    assert pages[1].preprocessing[0] == "render(200dpi)"
    assert "发票号码:24312000000012345678" in pages[1].text
    assert "购销合同" in pages[0].text
