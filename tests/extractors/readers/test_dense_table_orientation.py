"""A page the glyph layout calls sideways is turned only when OCR agrees: a dense statement whose rows lie
closer than its characters (each word's nearest neighbour the one above it) was turned and its columns read as
rows ("layout unknown")."""

from __future__ import annotations

import numpy as np

from extractors.readers.image import ocr_image
from extractors.readers.preprocess_measure import measure_layout


def _dense_statement_page() -> np.ndarray:
    """A statement set in a heavy face, every other row shaded, its columns far apart and its rows close: at
    the measuring scale each word is one blob, and its nearest neighbour the word above it in its column."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from idp.synth._font import register_cjk_font
    from idp.synth.degrade import render_pdf

    rows = [(f"202408{d % 28 + 1:02d}", "转账支出" if d % 2 else "付款", f"-{290437.03 + d * 17:.2f}",
             f"{4044908.33 - d * 991:.2f}", "苏州市联创科技发展有限公司") for d in range(50)]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    font = register_cjk_font("".join("".join(r) for r in rows))
    for i, row in enumerate(rows):
        y = 790 - i * 14
        if i % 2:
            c.setFillGray(0.9)
            c.rect(30, y - 4, 540, 14, stroke=0, fill=1)
        c.setFillGray(0)
        text = c.beginText()
        text.setTextRenderMode(2)  # fill and stroke: a heavy face
        text.setFont(font, 9.5)
        for x, cell in zip((45, 120, 200, 290, 370), row, strict=True):
            text.setTextOrigin(x, y)
            text.textOut(cell)
        c.drawText(text)
    c.save()
    return render_pdf(buffer.getvalue(), dpi=200)[0]


def test_a_dense_statement_the_layout_calls_sideways_is_read_upright():
    page = _dense_statement_page()
    assert measure_layout(page).axis == "vertical"  # what misled the reader
    read = ocr_image(page)
    assert "kept_upright" in read.preprocessing and "rotate_90" not in read.preprocessing
    texts = [line.text for line in read.lines]
    assert "苏州市联创科技发展有限公司" in texts and "-290437.03" in texts
