"""QR codes of the real e-invoice PDFs (``../shared/real/invoices``): the decoded payload agrees with the truth
JSON, whether the QR is the file's own image or redrawn as vector paths (as some writers and OFD converters do).

The vector copies are made in ``tmp_path`` from the real file: its QR image object is removed and the same
payload is drawn in its place, one filled rectangle per module or one path of many squares.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extractors.invoice.sources import qr_fields
from extractors.readers import codes
from extractors.readers.dispatch import read_document
from idp.models.page import PageText

#: As the ``real_invoices`` fixture (conftest.py), which skips when the folder is missing.
REAL_INVOICES = Path(__file__).resolve().parents[3].parent / "shared" / "real" / "invoices"
PDFS = sorted(p.name for p in REAL_INVOICES.glob("*.pdf")) if REAL_INVOICES.is_dir() else []


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


def _assert_matches_truth(pages: list[PageText], truth: dict) -> None:
    qr = qr_fields(pages)
    assert qr, [c.text for p in pages for c in p.codes]
    assert qr["qr.invoice_number"].value == truth["invoice_number"]
    assert qr["qr.invoice_code"].value == truth["invoice_code"]
    assert qr["qr.issue_date"].value == truth["issue_date"]
    # 税控 e-invoices put the amount excluding tax in the QR; 数电票 reportedly the total (domain.md §1.7)
    amount = Decimal(qr["qr.amount"].value)
    assert amount in (Decimal(truth["amount_without_tax"]), Decimal(truth["total_with_tax"]))
    if truth.get("check_code"):
        assert qr["qr.check_code"].value == truth["check_code"]


def _qr_image(page: object) -> tuple[object, tuple[float, float, float, float]]:
    width, height = page.get_size()  # type: ignore[attr-defined]
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        side = right - left
        if 28 < side < 0.45 * min(width, height) and 0.8 < side / (top - bottom) < 1.25:
            return obj, (left, bottom, right, top)
    raise AssertionError("no QR image on the page")


def vectorize_qr(src: Path, dst: Path, *, style: str = "rects", scale: float = 1.0) -> str:
    """Copy ``src`` to ``dst`` with its QR image replaced by the same payload drawn as vector paths; returns
    the payload. ``style``: ``"rects"`` (one rectangle object per dark module) or ``"path"`` (one path);
    ``scale`` shrinks or grows the modules (anchored at the image's top-left corner)."""
    from reportlab.graphics.barcode import qrencoder

    doc = pdfium.PdfDocument(str(src))
    try:
        page = doc[0]
        payload = codes.decode_pdf_page(page)[0].text
        obj, (left, _, right, top) = _qr_image(page)
        page.remove_obj(obj)
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(payload)
        qr.make()
        n = qr.getModuleCount()
        module = scale * (right - left) / (n + 2)
        x0, y0 = left + module, top - module
        path = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0) if style == "path" else None
        for row in range(n):
            for col in range(n):
                if not qr.isDark(row, col):
                    continue
                x, y = x0 + col * module, y0 - (row + 1) * module
                if path is None:
                    rect = pdfium_c.FPDFPageObj_CreateNewRect(x, y, module, module)
                    pdfium_c.FPDFPageObj_SetFillColor(rect, 0, 0, 0, 255)
                    pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_WINDING, 0)
                    pdfium_c.FPDFPage_InsertObject(page.raw, rect)
                else:
                    pdfium_c.FPDFPath_MoveTo(path, x, y)
                    pdfium_c.FPDFPath_LineTo(path, x + module, y)
                    pdfium_c.FPDFPath_LineTo(path, x + module, y + module)
                    pdfium_c.FPDFPath_LineTo(path, x, y + module)
                    pdfium_c.FPDFPath_Close(path)
        if path is not None:
            pdfium_c.FPDFPageObj_SetFillColor(path, 0, 0, 0, 255)
            pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_WINDING, 0)
            pdfium_c.FPDFPage_InsertObject(page.raw, path)
        page.gen_content()
        doc.save(str(dst))
    finally:
        doc.close()
    return payload


@pytest.mark.parametrize("name", PDFS)
def test_real_pdf_qr_matches_truth(real_invoices: Path, name: str):
    path = real_invoices / name
    pages = read_document(path)
    _assert_matches_truth(pages, _truth(path))
    box = pages[0].codes[0].bbox
    assert box is not None and box.x1 < 0.3 and box.y1 < 0.3  # top-left, where e-invoices print it


@pytest.mark.parametrize("name", PDFS)
@pytest.mark.parametrize("style", ["rects", "path"])
def test_vector_drawn_qr_is_decoded_from_the_top_band(real_invoices: Path, tmp_path: Path, name: str, style: str):
    src = real_invoices / name
    dst = tmp_path / f"vector_{style}.pdf"
    payload = vectorize_qr(src, dst, style=style)
    doc = pdfium.PdfDocument(str(dst))
    try:
        assert codes.decode_pdf_page(doc[0]) == []  # no QR image left: only the band render finds it
        found = codes.decode_pdf_page(doc[0], search_band=True)
    finally:
        doc.close()
    assert [c.text for c in found] == [payload]
    box = found[0].bbox
    assert box is not None and box.x1 < 0.3 and box.y1 < 0.3


@pytest.mark.parametrize("scale", [0.6, 0.7, 0.85])
def test_small_and_large_vector_modules_decode(real_invoices: Path, tmp_path: Path, scale: float):
    """Modules down to 0.86 pt (the test set behind ``BAND_RENDER_DPI``), in the harder rectangle style."""
    dst = tmp_path / "vector.pdf"
    payload = vectorize_qr(real_invoices / "i2e_didi.pdf", dst, style="rects", scale=scale)
    doc = pdfium.PdfDocument(str(dst))
    try:
        assert [c.text for c in codes.decode_pdf_page(doc[0], search_band=True)] == [payload]
    finally:
        doc.close()


def test_dispatch_reads_a_vector_qr_end_to_end(real_invoices: Path, tmp_path: Path):
    src = real_invoices / "i2e_012001900111_51142414.pdf"
    dst = tmp_path / "vector.pdf"
    vectorize_qr(src, dst, style="path")
    _assert_matches_truth(read_document(dst), _truth(src))


def test_only_invoice_pages_are_searched():
    assert codes.looks_like_invoice("天津增值税电子普通发票 发票代码: 012001800211")
    assert codes.looks_like_invoice("电子发票（普通发票）")
    assert not codes.looks_like_invoice("购销合同 合同编号: HT-2024-001")
