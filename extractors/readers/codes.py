"""QR codes on page images (e-invoices print one with code, number, amount, date and check code).

zxing-cpp decodes when installed, OpenCV's ``QRCodeDetector`` otherwise. Text-layer PDF pages are cheap: only
square image objects (where e-invoices keep their QR) are rendered, at a modest resolution, cropped to them.
Some writers draw the QR as vector paths instead (one rectangle per module, or one path of many squares);
on a page that reads like an invoice and has no QR image, the top band of the page is rendered and decoded.
"""

from __future__ import annotations

import logging
from typing import Any

import cv2
import numpy as np

from idp.models.geometry import BBox
from idp.models.page import Barcode

logger = logging.getLogger(__name__)

#: Resolution a QR candidate region of a text PDF is rendered at (dpi): ~4 px per module on e-invoices.
QR_RENDER_DPI = 150
#: A QR candidate image is about square (this aspect range) and this big (points).
_SQUARE, _MIN_SIDE_PT, _MAX_SIDE_SHARE = (0.8, 1.25), 28.0, 0.45
#: Margin (points) around a candidate when it is rendered (the quiet zone).
_MARGIN_PT = 6.0
#: Vector QR fallback: the top band of the page (this share of its height, at most this many points) where
#: e-invoices and 数电票 print the QR, rendered at this dpi. On 220 vector QRs (the 11 real e-invoice layouts,
#: modules 0.86-1.51 pt, one rectangle per module or one path) 150 and 200 dpi decoded all, 135 dpi 215,
#: 120 dpi 195, 100 dpi 152: pdfium snaps small rectangles to the pixel grid, so a module needs ~2 px.
_BAND_SHARE, _BAND_MAX_PT, BAND_RENDER_DPI = 0.45, 300.0, 150
#: A page is searched for a vector QR only when its text has one of these words.
_INVOICE_WORDS = ("发票",)
#: Images larger than this (longest side, px) are also tried at half size: a blurred photo's QR decodes
#: better smaller, and the decoder is faster.
_HALF_ABOVE = 2600


def is_available() -> bool:
    """True: OpenCV is always there; zxing-cpp is preferred when installed."""
    return True


def _zxing() -> Any | None:
    try:
        import zxingcpp
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return zxingcpp


def decode_image(image: np.ndarray) -> list[Barcode]:
    """Every QR code found in a BGR or grey image; boxes are normalised to that image."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    gray = np.ascontiguousarray(gray)
    h, w = gray.shape[:2]
    found = _decode(gray)
    if not found and max(h, w) > _HALF_ABOVE:
        small = cv2.resize(gray, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
        found = [(text, [(x * 2, y * 2) for x, y in pts]) for text, pts in _decode(small)]
    out = []
    for text, pts in found:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        bbox = BBox.from_points(min(xs), min(ys), max(xs), max(ys), w, h) if pts else None
        out.append(Barcode(format="QRCode", text=text, bbox=bbox))
    return out


def _decode(gray: np.ndarray) -> list[tuple[str, list[tuple[float, float]]]]:
    zxing = _zxing()
    if zxing is not None:
        results = zxing.read_barcodes(gray, formats=zxing.BarcodeFormat.QRCode, try_rotate=True)
        out = []
        for r in results:
            if not r.valid or not r.text:
                continue
            pos = r.position
            pts = [
                (float(p.x), float(p.y))
                for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
            ]
            out.append((r.text, pts))
        return out
    detector = cv2.QRCodeDetector()
    text, points, _ = detector.detectAndDecode(gray)
    if not text or points is None:
        return []
    return [(text, [(float(x), float(y)) for x, y in points.reshape(-1, 2)])]


def looks_like_invoice(text: str) -> bool:
    """True when a page's text names an invoice (发票): worth searching for a vector-drawn QR code."""
    return any(word in text for word in _INVOICE_WORDS)


def decode_pdf_page(pdf_page: Any, *, search_band: bool = False) -> list[Barcode]:
    """QR codes of a text-layer PDF page: square image objects rendered alone, boxes normalised to the page.

    Only image objects are looked at, so a page without a QR image costs a few microseconds. With
    ``search_band`` (the caller saw an invoice), a page where no QR image decoded also has its top band
    rendered and decoded, for QRs drawn as vector paths (about 5 ms on an e-invoice page).
    """
    out = _decode_images(pdf_page)
    if not out and search_band:
        out = decode_top_band(pdf_page)
    return out


def decode_top_band(pdf_page: Any, dpi: int = BAND_RENDER_DPI) -> list[Barcode]:
    """QR codes in the top band of a PDF page rendered whole (vector paths, images and text alike)."""
    width, height = pdf_page.get_size()
    band = min(_BAND_SHARE * height, _BAND_MAX_PT)
    bitmap = pdf_page.render(scale=dpi / 72, crop=(0, height - band, 0, 0), grayscale=True).to_numpy()
    region = np.ascontiguousarray(bitmap[..., 0] if bitmap.ndim == 3 else bitmap)
    out = []
    share = band / height
    for code in decode_image(region):
        box = code.bbox
        if box is not None:
            box = BBox(x0=box.x0, y0=box.y0 * share, x1=box.x1, y1=box.y1 * share)
        out.append(code.model_copy(update={"bbox": box}))
    return out


def _decode_images(pdf_page: Any) -> list[Barcode]:
    import pypdfium2.raw as pdfium_c

    width, height = pdf_page.get_size()
    out: list[Barcode] = []
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        side_w, side_h = right - left, top - bottom
        if min(side_w, side_h) < _MIN_SIDE_PT or max(side_w, side_h) > _MAX_SIDE_SHARE * min(width, height):
            continue
        if not _SQUARE[0] <= side_w / max(side_h, 1e-6) <= _SQUARE[1]:
            continue
        crop = (
            max(0.0, left - _MARGIN_PT),
            max(0.0, bottom - _MARGIN_PT),
            max(0.0, width - right - _MARGIN_PT),
            max(0.0, height - top - _MARGIN_PT),
        )
        bitmap = pdf_page.render(scale=QR_RENDER_DPI / 72, crop=crop, grayscale=True).to_numpy()
        region = bitmap[..., 0] if bitmap.ndim == 3 else bitmap
        for code in decode_image(region):
            out.append(
                code.model_copy(
                    update={
                        "bbox": BBox.from_points(left, height - top, right, height - bottom, width, height)
                    }
                )
            )
    return out
