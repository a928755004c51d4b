"""The CJK fallback font: PDFs that name Chinese fonts without embedding them render their Chinese text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from extractors.readers import pdf_fonts
from extractors.readers.pdf_text import read_pdf


def test_cjk_requests_are_recognised():
    assert pdf_fonts.is_cjk_request(134, b"KaiTi_GB2312")
    assert pdf_fonts.is_cjk_request(0, b"SimSun")
    assert pdf_fonts.is_cjk_request(0, "宋体".encode())
    assert not pdf_fonts.is_cjk_request(0, b"Courier")
    assert not pdf_fonts.is_cjk_request(0, None)


def test_non_embedded_chinese_fonts_render(real_invoices: Path):
    """The JD e-invoice names KaiTi_GB2312/STSong-Light without embedding them: its title must show ink."""
    path = real_invoices / "i2e_012001900111_51142414.pdf"
    (page,) = read_pdf(path)
    title = next(w for ln in page.lines for w in ln.words if w.text == "天津增值税电子普通发票")
    assert pdf_fonts.install_cjk_fallback()
    doc = pdfium.PdfDocument(str(path))
    try:
        gray = doc[0].render(scale=150 / 72, grayscale=True).to_numpy()
    finally:
        doc.close()
    gray = gray[..., 0] if gray.ndim == 3 else gray
    h, w = gray.shape
    box = title.bbox
    crop = gray[int(box.y0 * h) : int(box.y1 * h), int(box.x0 * w) : int(box.x1 * w)]
    assert float(np.mean(crop < 200)) > 0.05
