"""Ruling lines (table borders) as ``Mark(kind=RULE)``: from the path objects of a PDF text layer (pdfium) or,
on images, from long thin runs of dark pixels (OpenCV morphology).

Tables use them where they are drawn: the rows between two horizontal rules are one table row (wrapped cell
text included), the gaps between vertical rules are the columns. Where none are drawn, tables fall back to
the gutters of the text (:mod:`extractors.text.table_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from idp.models import BBox, Mark, MarkKind, PageText

#: Shortest rule kept, as a share of the page width (horizontal) or height (vertical).
_MIN_H, _MIN_V = 0.04, 0.008
#: Thickest rule, as a share of the page's smaller side (thicker is a filled box, not a line).
_MAX_THICK = 0.006


@dataclass(frozen=True)
class Rule:
    """A ruling line in page units: horizontal (y fixed, x0..x1) or vertical (x fixed, y0..y1)."""

    horizontal: bool
    at: float
    start: float
    end: float


def rule_marks_from_pdf(pdf_page: object, page: PageText) -> list[Mark]:
    """Horizontal and vertical strokes a PDF page draws (lines, rectangle sides), as RULE marks, from its path
    objects (pdfium: a few milliseconds a page, where pdfplumber's edges take a hundred)."""
    import pypdfium2.raw as raw

    w, h = page.width, page.height
    out = []
    for obj in pdf_page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        if right - left >= _MIN_H * w and top - bottom <= 2.0:
            out.append(_mark(left, h - (top + bottom) / 2, right, h - (top + bottom) / 2, w, h))
        elif top - bottom >= _MIN_V * h and right - left <= 2.0:
            out.append(_mark((left + right) / 2, h - top, (left + right) / 2, h - bottom, w, h))
        elif right - left >= _MIN_H * w or top - bottom >= _MIN_V * h:
            out += _segments(obj, w, h)
    return out


def _segments(obj: object, w: float, h: float) -> list[Mark]:
    """The long axis-parallel segments of a path (a rectangle drawn as one path has four)."""
    import ctypes

    import pypdfium2.raw as raw

    a, b, c, d, e, f = obj.get_matrix().get()  # type: ignore[attr-defined]
    points = []
    for i in range(raw.FPDFPath_CountSegments(obj.raw)):  # type: ignore[attr-defined]
        seg = raw.FPDFPath_GetPathSegment(obj.raw, i)  # type: ignore[attr-defined]
        x, y = ctypes.c_float(), ctypes.c_float()
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        kind = raw.FPDFPathSegment_GetType(seg)
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        points.append((kind == raw.FPDF_SEGMENT_LINETO, px, h - py))
    out = []
    for (_, x0, y0), (line, x1, y1) in zip(points, points[1:], strict=False):
        if not line:  # a move, or a curve's point (signatures are curves)
            continue
        if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= _MIN_H * w:
            out.append(_mark(min(x0, x1), (y0 + y1) / 2, max(x0, x1), (y0 + y1) / 2, w, h))
        elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= _MIN_V * h:
            out.append(_mark((x0 + x1) / 2, min(y0, y1), (x0 + x1) / 2, max(y0, y1), w, h))
    return out


def rule_marks_from_image(image_bgr: np.ndarray) -> list[Mark]:
    """Long thin dark runs of an image (its boxes are in the image's own pixels, as OCR boxes are)."""
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY) if image_bgr.ndim == 3 else image_bgr
    h, w = gray.shape[:2]
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    out = []
    thick = max(2, int(_MAX_THICK * min(w, h)))
    for horizontal in (True, False):
        length = int((_MIN_H * w) if horizontal else (_MIN_V * h * 3))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh = (int(v) for v in stats[i][:4])
            if horizontal and bw >= _MIN_H * w and bh <= 2 * thick:
                out.append(_mark(x, y + bh / 2, x + bw, y + bh / 2, w, h))
            elif not horizontal and bh >= _MIN_V * h * 3 and bw <= 2 * thick:
                out.append(_mark(x + bw / 2, y, x + bw / 2, y + bh, w, h))
    return out


def _mark(x0: float, y0: float, x1: float, y1: float, w: float, h: float) -> Mark:
    box = BBox.from_points(max(0.0, x0), max(0.0, y0), min(w, max(x1, x0 + 0.5)), min(h, max(y1, y0 + 0.5)), w, h)
    return Mark(kind=MarkKind.RULE, bbox=box, confidence=1.0)


def rules(page: PageText) -> list[Rule]:
    """The page's RULE marks in page units."""
    out = []
    for m in page.marks:
        if m.kind != MarkKind.RULE:
            continue
        b = m.bbox
        x0, x1, y0, y1 = b.x0 * page.width, b.x1 * page.width, b.y0 * page.height, b.y1 * page.height
        if x1 - x0 >= y1 - y0:
            out.append(Rule(True, (y0 + y1) / 2, x0, x1))
        else:
            out.append(Rule(False, (x0 + x1) / 2, y0, y1))
    return out
