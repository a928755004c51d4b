"""Preprocessing measures and steps, on rendered specimens (no OCR here, so these run in milliseconds)."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.readers.preprocess import PreprocessOptions, find_seals, prepare, warp_quad
from extractors.readers.preprocess_measure import find_document_quad, measure_layout
from idp.synth.degrade import on_desk, perspective, photo, rotate_quadrant, rotate_small, shadow, stamp_seal


def test_clean_scans_get_no_pixel_work(invoice_page, contract_page, statement_page) -> None:
    for rendered in (invoice_page, contract_page, statement_page):
        prepared = prepare(rendered.image)
        assert prepared.steps == []
        assert prepared.image is rendered.image  # not even a copy
        assert prepared.rotation == 0


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_text_axis_is_found_without_ocr(contract_page, turns: int) -> None:
    layout = measure_layout(rotate_quadrant(contract_page.image, turns))
    assert layout.axis == ("horizontal" if turns % 2 == 0 else "vertical")


def test_vertical_page_is_turned_upright_or_upside_down(statement_page) -> None:
    prepared = prepare(rotate_quadrant(statement_page.image, 1))
    assert prepared.steps[0] == "rotate_90"
    assert prepared.image.shape[:2] == statement_page.image.shape[:2]
    assert measure_layout(prepared.image).axis == "horizontal"


@pytest.mark.parametrize("degrees", [-4.0, -1.5, 2.0, 4.5])
def test_skew_is_measured_and_removed(invoice_page, degrees: float) -> None:
    skewed = rotate_small(invoice_page.image, degrees)
    layout = measure_layout(skewed)
    assert layout.skew == pytest.approx(-degrees, abs=0.2)
    prepared = prepare(skewed)
    assert any(s.startswith("deskew") for s in prepared.steps)
    assert abs(measure_layout(prepared.image).skew) <= 0.2


def test_text_height_drives_upscaling_and_detector_size(invoice_page) -> None:
    h = measure_layout(invoice_page.image).text_height
    assert h is not None and 18 <= h <= 30  # 9-pt text at 200 dpi
    small = invoice_page.image[::2, ::2].copy()
    prepared = prepare(small)
    assert any(s.startswith("upscale") for s in prepared.steps)
    assert prepared.det_side is not None and prepared.det_side >= 640


def test_a_signing_page_of_two_stamps_and_one_line_is_not_shrunk_as_if_its_text_were_huge() -> None:
    """A scanned page 2 holding only a signing table with two stamps: its ink made two runs, the stamps' band
    was taken for 200 px text, and the page was scaled to 0.14 before OCR (no text, no seals, no parties)."""
    import cv2

    page = np.full((3300, 2550, 3), 250, np.uint8)
    for cx in (700, 1800):
        cv2.circle(page, (cx, 500), 230, (120, 120, 120), 12)
        cv2.putText(page, "SEAL TEXT", (cx - 200, 520), cv2.FONT_HERSHEY_SIMPLEX, 2.5, (60, 60, 60), 6)
    cv2.putText(page, "Page 2 / 2", (1100, 3100), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (40, 40, 40), 3)
    assert measure_layout(page).text_height is None
    assert not any(s.startswith("scale_down") for s in prepare(page).steps)


def test_document_quad_found_on_desk_not_on_scan_or_shadow(invoice_page) -> None:
    assert find_document_quad(invoice_page.image) is None
    assert find_document_quad(shadow(invoice_page.image, 3)) is None
    desk = perspective(on_desk(invoice_page.image, 5, margin=0.1), 5, strength=0.05)
    quad = find_document_quad(desk)
    assert quad is not None
    flat = warp_quad(desk, quad)
    h, w = invoice_page.image.shape[:2]
    assert flat.shape[1] / flat.shape[0] == pytest.approx(w / h, rel=0.12)


def test_seal_found_and_suppressed_but_brown_form_text_is_not_a_seal(invoice_page) -> None:
    assert find_seals(invoice_page.image) == []  # the specimen's form labels are brown
    stamped = stamp_seal(invoice_page.image, 9)
    seals = find_seals(stamped)
    assert len(seals) == 1
    prepared = prepare(stamped)
    assert prepared.steps == ["suppress_seal(1)"]
    x0, y0, x1, y1 = seals[0]

    def red_share(image: np.ndarray) -> float:
        region = image[y0:y1, x0:x1].astype(int)
        return float((region[..., 2] - np.maximum(region[..., 0], region[..., 1]) > 40).mean())

    assert red_share(stamped) > 0.1
    assert red_share(prepared.image) < 0.01  # only a few dark fringe pixels where ink meets text
    dark_before = (stamped[y0:y1, x0:x1].max(axis=2) < 60).sum()
    dark_after = (prepared.image[y0:y1, x0:x1].max(axis=2) < 60).sum()
    assert dark_after >= 0.95 * dark_before  # black text under the seal is kept


def test_uneven_light_is_flattened(contract_page) -> None:
    dark = shadow(contract_page.image, 4, depth=0.6)
    prepared = prepare(dark)
    assert "flatten_light" in prepared.steps
    paper = prepared.image[prepared.image.mean(axis=2) > 128]
    assert np.percentile(paper.mean(axis=1), 10) > 200


def test_photo_gets_crop_light_and_seal_steps(invoice_page) -> None:
    prepared = prepare(photo(invoice_page.image, 7))
    assert prepared.steps[0] == "document_crop"
    assert any(s.startswith("suppress_seal") for s in prepared.steps)


def test_every_step_can_be_switched_off(invoice_page) -> None:
    img = photo(invoice_page.image, 7)
    prepared = prepare(img, PreprocessOptions.off())
    assert prepared.steps == [] and prepared.image is img
    only_seal = prepare(
        img, PreprocessOptions(orientation=False, deskew=False, document=False, illumination=False)
    )
    assert [s for s in only_seal.steps if not s.startswith(("suppress_seal", "upscale"))] == []


@pytest.mark.parametrize(("turns", "degrees"), [(1, 3.0), (3, 3.0), (1, -2.0), (3, -2.0)])
def test_quarter_turn_and_skew_together(contract_page, turns: int, degrees: float) -> None:
    page = rotate_quadrant(rotate_small(contract_page.image, degrees), turns)
    prepared = prepare(page)
    assert prepared.steps[0] == "rotate_90" and prepared.steps[1].startswith("deskew")
    layout = measure_layout(prepared.image)
    assert layout.axis == "horizontal" and abs(layout.skew) <= 0.2


def test_a_table_with_strong_columns_is_not_taken_for_a_turned_page(real_invoices) -> None:
    """Page 2 of ofdrw_999 is a goods list: its number columns line up more sharply than its rows."""
    from extractors.readers.ofd import read_ofd
    from idp.synth.degrade import render_page_text

    page = render_page_text(read_ofd(real_invoices / "ofdrw_999.ofd")[1])
    assert measure_layout(page).axis == "horizontal"
    assert measure_layout(rotate_quadrant(page, 1)).axis == "vertical"
    assert "rotate_90" not in prepare(page).steps


def test_a_stroke_an_opaque_seal_ring_crosses_stays_whole_and_the_ring_goes() -> None:
    """A brown title stroke with a red ring drawn over it (as 发票监制章 over the e-invoice title)."""
    import cv2

    from extractors.readers.preprocess import suppress_seals

    page = np.full((300, 400, 3), 255, np.uint8)
    cv2.rectangle(page, (20, 145), (380, 155), (36, 82, 158), -1)  # brown bar (BGR), 11 px high
    cv2.circle(page, (200, 150), 100, (30, 30, 235), 6)  # red ring crossing it at x ≈ 100 and 300
    out = suppress_seals(page, [(80, 30, 320, 270)])
    grey = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
    assert grey[148:153, 97:104].max() < 170  # the bar where the ring crossed it: still ink
    assert grey[47:54, 197:204].min() > 225  # the ring elsewhere: paper
    assert grey[148:153, 150:160].max() < 170  # the bar inside the ring keeps its darkness

