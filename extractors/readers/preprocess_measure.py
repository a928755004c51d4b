"""Cheap page measures (on downscaled copies) that decide which preprocessing steps a page needs.

The text axis (0° vs 90°) comes from where each glyph's nearest neighbour lies: inside a line, not
across lines, so mostly left/right on an upright page, even in tables whose columns also line up.
Skew comes from projection profiles of ink pixels (the profile across lines is spikiest at the right
angle), and the runs of that profile give the line height. No OCR is involved; 0° vs 180° is left to
the text-line direction classifier.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

logger = logging.getLogger(__name__)

#: Longest side of the copy used for layout measures (px).
_LAYOUT_SIDE = 1000
#: Fewer ink pixels than this: nothing to measure (a blank or nearly blank page).
_MIN_INK = 400
#: Ink pixels sampled for the profiles.
_SAMPLE = 30000
#: Share of nearest neighbours by which one direction must beat the other to name the text axis.
_AXIS_MARGIN = 0.25
#: Fewer glyph-sized components than this: no axis is named. At most this many are queried for neighbours.
_MIN_GLYPHS, _NN_QUERIES = 30, 800
#: Skew search range and steps (degrees).
_SKEW_RANGE, _COARSE, _FINE = 8.0, 1.0, 0.1
#: Longest side of the copy used to find the document outline (px).
_QUAD_SIDE = 600
#: The paper must cover this share of the photo to count as a document (below: none; above: nothing to crop).
_QUAD_MIN_AREA, _QUAD_MAX_AREA = 0.2, 0.92
#: Paper edge test: grey step (levels) between points this far (px, small copy) inside and outside a side.
_EDGE_STEP, _EDGE_PROBE = 30.0, 6.0


@dataclass(frozen=True)
class Layout:
    """Text axis ("horizontal", "vertical", "unknown"), skew (degrees, anticlockwise fix), line height px."""

    axis: str = "unknown"
    skew: float = 0.0
    text_height: float | None = None


def measure_layout(image: np.ndarray) -> Layout:
    """Text axis, skew and line height of a page, from ink projection profiles on a ≤1000 px copy."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    scale = min(1.0, _LAYOUT_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    ys, xs = np.nonzero(ink)
    if len(xs) < _MIN_INK:
        return Layout()
    if len(xs) > _SAMPLE:
        pick = np.random.default_rng(0).choice(len(xs), _SAMPLE, replace=False)
        xs, ys = xs[pick], ys[pick]
    pts = np.stack([xs, ys], 1).astype(np.float32)
    axis = _text_axis(ink)
    offset = 90.0 if axis == "vertical" else 0.0
    coarse = np.arange(-_SKEW_RANGE, _SKEW_RANGE + 1e-6, _COARSE)
    best = coarse[int(np.argmax([_sharpness(pts, a + offset)[0] for a in coarse]))]
    fine = np.arange(best - _COARSE / 2, best + _COARSE / 2 + 1e-6, _FINE)
    scores = [_sharpness(pts, a + offset)[0] for a in fine]
    angle = float(fine[int(np.argmax(scores))])
    hist = _sharpness(pts, angle + offset)[1]
    # The same angle fixes the skew after a quarter turn too (rotations commute), so no sign change.
    return Layout(axis=axis, skew=round(angle, 2), text_height=_line_height(hist, scale))


def _text_axis(ink: np.ndarray) -> str:
    """ "horizontal", "vertical" or "unknown", from the direction of each glyph's nearest neighbour."""
    n, _, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    size = np.maximum(stats[1:, 2], stats[1:, 3])
    pts = centres[1:][(size >= 3) & (size <= 40)].astype(np.float32)
    if len(pts) < _MIN_GLYPHS:
        return "unknown"
    rng = np.random.default_rng(0)
    queries = pts if len(pts) <= _NN_QUERIES else pts[rng.choice(len(pts), _NN_QUERIES, replace=False)]
    d = queries[:, None, :] - pts[None, :, :]
    dist = np.hypot(d[..., 0], d[..., 1])
    dist[dist == 0] = np.inf  # the query itself
    step = pts[dist.argmin(axis=1)] - queries
    angle = np.degrees(np.arctan2(step[:, 1], step[:, 0])) % 180
    across = float(np.mean((angle < 20) | (angle > 160)))
    down = float(np.mean(np.abs(angle - 90) < 20))
    if across >= down + _AXIS_MARGIN:
        return "horizontal"
    if down >= across + _AXIS_MARGIN:
        return "vertical"
    return "unknown"


def _sharpness(pts: np.ndarray, degrees: float) -> tuple[float, np.ndarray]:
    """How spiky the ink profile is across lines at this angle (sum of squared steps), and the profile."""
    th = np.radians(degrees)
    y = pts[:, 1] * np.cos(th) - pts[:, 0] * np.sin(th)
    hist = np.bincount((y - y.min()).astype(np.int32)).astype(np.float32)
    return float(np.sum(np.diff(hist) ** 2)) / len(pts) ** 2, hist


def _line_height(hist: np.ndarray, scale: float) -> float | None:
    """Median height of the profile's ink runs (text lines), in full-size pixels; None from fewer than
    ``_MIN_LINES`` runs: a signing page whose two stamps and table make one tall run is no line height (it
    had been taken for 200 px text and the page shrunk to nothing before OCR)."""
    on = hist > max(1.0, 0.05 * float(hist.max()))
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    runs = np.nonzero(edges == -1)[0] - np.nonzero(edges == 1)[0]
    runs = runs[runs >= 3]
    return round(float(np.median(runs)) / scale, 1) if len(runs) >= _MIN_LINES else None


_MIN_LINES = 3


def find_document_quad(image: np.ndarray) -> np.ndarray | None:
    """Corners (tl, tr, br, bl; full-size px) of a sheet of paper lying on a darker background, or None.

    None when the paper fills (almost) the whole frame, as on a scan, or when no sheet stands out.
    """
    h, w = image.shape[:2]
    scale = min(1.0, _QUAD_SIDE / max(h, w))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    sheet = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(sheet) / float(small.shape[0] * small.shape[1])
    if not _QUAD_MIN_AREA <= share <= _QUAD_MAX_AREA:
        return None
    hull = cv2.convexHull(sheet)
    quad = None
    for eps in (0.02, 0.04, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, eps * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    quad = _order_corners(quad)
    if not _has_paper_edges(gray, quad):
        return None
    return quad / scale


def _has_paper_edges(gray: np.ndarray, quad: np.ndarray) -> bool:
    """True when the outline is a real paper edge: a sharp bright-inside/dark-outside step along every side
    that is not on the frame border. A shadow darkens the paper smoothly and fails this."""
    h, w = gray.shape
    centre = quad.mean(0)
    for a, b in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        t = np.linspace(0.15, 0.85, 24)[:, None]
        pts = a + (b - a) * t
        normal = np.array([a[1] - b[1], b[0] - a[0]], np.float32)
        normal /= max(1e-6, float(np.linalg.norm(normal)))
        if np.dot(centre - pts.mean(0), normal) < 0:
            normal = -normal  # point inwards
        inner = pts + normal * _EDGE_PROBE
        outer = pts - normal * _EDGE_PROBE
        on_frame = (outer[:, 0] < 0) | (outer[:, 1] < 0) | (outer[:, 0] >= w) | (outer[:, 1] >= h)
        if on_frame.mean() > 0.5:
            continue
        keep = ~on_frame
        step = _sample(gray, inner[keep]) - _sample(gray, outer[keep])
        if np.median(step) < _EDGE_STEP:
            return False
    return True


def _sample(gray: np.ndarray, pts: np.ndarray) -> np.ndarray:
    xs = np.clip(pts[:, 0].round().astype(int), 0, gray.shape[1] - 1)
    ys = np.clip(pts[:, 1].round().astype(int), 0, gray.shape[0] - 1)
    return gray[ys, xs].astype(np.float32)


def _order_corners(pts: np.ndarray) -> np.ndarray:
    """tl, tr, br, bl."""
    s = pts.sum(1)
    d = np.diff(pts, axis=1).ravel()
    return np.float32([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]])
