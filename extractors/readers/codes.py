"""QR codes on page images (e-invoices print one with code, number, amount, date and check code).

zxing-cpp decodes when installed, OpenCV's ``QRCodeDetector`` otherwise. Text-layer PDF pages are cheap: only
square image objects (where e-invoices keep their QR) are rendered, at a modest resolution, cropped to them.
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


def decode_pdf_page(pdf_page: Any) -> list[Barcode]:
    """QR codes of a text-layer PDF page: square image objects rendered alone, boxes normalised to the page.

    Only image objects are looked at, so a page without a QR image costs a few microseconds.
    """
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
