"""QR codes: decoded from a rendered invoice image, from a text PDF's QR image, and filled in by dispatch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from extractors.readers import codes
from extractors.readers.dispatch import read_document
from idp.synth.invoice_set import render_image
from idp.synth.vat_invoice import generate, write_sample

REPO = Path(__file__).resolve().parents[3]


def test_decodes_the_qr_of_a_scanned_and_a_photographed_invoice():
    invoice = generate("04", 5)
    for form in ("scan", "photo"):
        found = codes.decode_image(render_image(invoice, form))
        assert [c.text for c in found] == [invoice.qr_payload], form
        assert found[0].format == "QRCode" and found[0].bbox is not None and found[0].bbox.x1 < 0.5


def test_text_pdf_qr_image_is_decoded_in_place(tmp_path: Path):
    pdf = write_sample(tmp_path, "x", "31", 3)
    doc = pdfium.PdfDocument(str(pdf))
    try:
        found = codes.decode_pdf_page(doc[0])
    finally:
        doc.close()
    assert [c.text for c in found] == [generate("31", 3).qr_payload]
    box = found[0].bbox
    assert box is not None and box.x0 < 0.1 and box.y0 < 0.1  # top-left, where the drawing puts it


def test_dispatch_fills_codes_for_text_pdfs():
    """(Images: see tests/extractors/test_vat_invoice_forms.py, which OCRs a photo sample anyway.)"""
    pages = read_document(REPO / "samples" / "vat_invoice" / "putong_dianzi_01.pdf")
    assert pages[0].codes and pages[0].codes[0].text.startswith("01,10,")


def test_blank_image_has_no_codes():
    assert codes.decode_image(np.full((300, 400, 3), 255, np.uint8)) == []
