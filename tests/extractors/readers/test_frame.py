"""Screenshots of a PDF viewer are cut to their page, and very large renders are scaled before reading."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.readers.dispatch import read_document
from extractors.readers.frame import find_viewer_page, scale_for_text
from extractors.readers.preprocess import prepare
from idp.synth import degrade, invoice_forms
from idp.synth.invoice_families import FAMILIES, family_invoice, family_truth
from idp.synth.invoice_set import render_image, scan, write_invoice


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """A 数电 invoice rendered clean at 200 dpi."""
    import tempfile

    from idp.synth._invoice_pdf import render

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "p.pdf"
        render(family_invoice(FAMILIES["shudian"], "32", 77), pdf)
        return degrade.render_pdf(pdf, dpi=200)[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_viewer_screenshot_is_cut_to_its_page(page: np.ndarray, seed: int):
    shot = invoice_forms.screenshot(page, seed)
    box = find_viewer_page(shot)
    assert box is not None
    x0, y0, x1, y1 = box
    crop = shot[y0:y1, x0:x1]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    assert y0 > 30  # below the toolbar
    assert np.median(gray[:, :3]) > 240 and np.median(gray[:, -3:]) > 240  # page paper, no grey margin left
    ratio = (x1 - x0) / (y1 - y0)
    assert abs(ratio - page.shape[1] / page.shape[0]) < 0.03


def test_scans_and_photos_have_no_viewer_frame(page: np.ndarray):
    assert find_viewer_page(scan(page, 5)) is None
    assert find_viewer_page(page) is None  # a clean render fills the frame
    assert find_viewer_page(degrade.photo(page, 5)) is None  # a sheet on a desk, tilted: the document crop's


def test_a_big_render_is_scaled_before_anything_else(page: np.ndarray):
    big = invoice_forms.big_render(page, 1)
    assert max(big.shape[:2]) == invoice_forms.BIG_RENDER_SIDE
    prepared = prepare(big)
    assert any(step.startswith("scale_down") for step in prepared.steps)
    assert max(prepared.image.shape[:2]) < 0.7 * invoice_forms.BIG_RENDER_SIDE
    assert scale_for_text(page, 20.0) == 1.0  # an ordinary page is left alone


@pytest.mark.parametrize("form", ["screenshot", "render_big"])
def test_screenshots_and_big_renders_read_their_totals_and_seller(tmp_path: Path, form: str):
    invoice = family_invoice(FAMILIES["viewer"], "32", 31)
    path = write_invoice(tmp_path, "doc", invoice, form)
    truth = family_truth(invoice, path.name)
    pages = read_document(path)
    assert ("viewer_crop" in pages[0].preprocessing) == (form == "screenshot")
    doc = VatInvoiceExtractor().extract(pages)
    for key in ("invoice_number", "issue_date", "amount_without_tax", "tax_amount", "total_with_tax"):
        assert doc.value(key) == truth[key], key
    assert doc.value("seller_tax_id") == truth["seller"]["tax_id"]  # type: ignore[index]
    assert doc.value("invoice_kind") == "32"


def test_render_image_makes_every_image_form(page: np.ndarray):
    invoice = family_invoice(FAMILIES["paper"], "01", 3)
    rotated = render_image(invoice, "photo_rotated")
    assert max(rotated.shape[:2]) == invoice_forms.LOW_RES_SIDE
    assert rotated.shape[0] > rotated.shape[1]  # a landscape form turned a quarter
