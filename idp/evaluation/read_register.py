"""Registration of an OCR page onto its truth page for :mod:`idp.evaluation.read_align`.

The OCR boxes are in pixels of the image the reader prepared (turned, deskewed, cropped off a desk), the truth
boxes in the page's units; a map between them is fitted on texts both sides read identically.
"""

from __future__ import annotations

import cv2
import numpy as np

from extractors.readers.normalize import compact
from idp.models.geometry import BBox
from idp.models.page import PageText

#: Exact-text anchors: at least this long, from at most this many adjacent truth words.
_ANCHOR_MIN_LEN, _ANCHOR_MAX_WORDS = 4, 6
#: A freer model than a similarity (:func:`_fit`) needs this many anchor points spread over ``_MIN_SPREAD`` of
#: the page both ways, and must take in ``_MORE_POINTS`` more inliers and ``_MORE_SHARE`` times as many.
#: Guided matching of repeated texts runs this many rounds.
_HOMOGRAPHY_POINTS, _MIN_SPREAD, _MORE_POINTS, _MORE_SHARE, _GUIDED_ROUNDS = 12, 0.5, 4, 1.15, 2


def register(truth: PageText, read: PageText) -> tuple[np.ndarray | None, int]:
    """3x3 map from ``read`` pixels to ``truth`` page units, and the number of anchors it rests on (None when
    fewer than 3 agree).

    Anchors are texts read identically on both sides: first those unique on each side, then, guided by that
    first fit, repeated ones (table rows) matched to the nearest truth occurrence, so the fit spans the page.
    """
    truth_spans, read_spans = _truth_spans(truth), _read_spans(read)
    truth_keys, read_keys = _unique(truth_spans), _unique(read_spans)
    pairs = [(box, truth_keys[key]) for key, box in read_keys.items() if key in truth_keys]
    if len(pairs) < 2:
        return None, len(pairs)
    heights = [w.bbox.height * truth.height for ln in truth.lines for w in ln.words]
    text_h = float(np.median(heights)) if heights else 6.0
    threshold = max(2.0, 0.6 * text_h)
    best = _fit(pairs, threshold, truth)
    for _ in range(_GUIDED_ROUNDS):
        if best is None:
            break
        guided = _guided_pairs(best, truth_spans, read_spans, 1.5 * text_h)
        if len(guided) <= len(pairs):
            break
        pairs = guided
        refit = _fit(pairs, threshold, truth)
        if refit is not None:
            best = refit
    return best, len(pairs)


def _fit(
    pairs: list[tuple[tuple[float, ...], tuple[float, ...]]], threshold: float, truth: PageText
) -> np.ndarray | None:
    """The simplest model that explains most anchor points: a similarity (turn, uniform scale, shift, what
    every degradation but a photo's perspective needs), else an affine map or a homography when it takes in
    clearly more points and the points spread over the page (freer models extrapolate badly otherwise)."""
    src = np.float32([p for read_box, _ in pairs for p in _mid_points(read_box)])
    dst = np.float32([p for _, truth_box in pairs for p in _mid_points(truth_box)])
    models = []
    similar, _ = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=threshold)
    if similar is not None:
        models.append(np.vstack([similar, [0.0, 0.0, 1.0]]))
    if len(src) >= _HOMOGRAPHY_POINTS and _spread(dst, truth):
        affine, _ = cv2.estimateAffine2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=threshold)
        if affine is not None:
            models.append(np.vstack([affine, [0.0, 0.0, 1.0]]))
        homography, _ = cv2.findHomography(src, dst, cv2.RANSAC, threshold)
        if homography is not None:
            models.append(homography)
    best, best_in = None, 0
    for model in models:
        inliers = _inliers(model, src, dst, threshold)
        if best is None or inliers > max(best_in + _MORE_POINTS, best_in * _MORE_SHARE):
            best, best_in = model, inliers
    return best if best_in >= 3 else None


def _inliers(model: np.ndarray, src: np.ndarray, dst: np.ndarray, threshold: float) -> int:
    moved = cv2.perspectiveTransform(src.reshape(-1, 1, 2).astype(np.float64), model).reshape(-1, 2)
    return int((np.linalg.norm(moved - dst, axis=1) <= threshold).sum())


def _guided_pairs(
    model: np.ndarray,
    truth_spans: list[tuple[str, tuple[float, float, float, float]]],
    read_spans: list[tuple[str, tuple[float, float, float, float]]],
    reach: float,
) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
    """Every read span paired with the truth span of the same text nearest to where ``model`` puts it (its
    left end within ``reach``); each truth span is used once."""
    by_key: dict[str, list[tuple[float, float, float, float]]] = {}
    for key, box in truth_spans:
        by_key.setdefault(key, []).append(box)
    used: set[tuple[str, int]] = set()
    pairs = []
    for key, read_box in read_spans:
        options = by_key.get(key)
        if not options:
            continue
        moved = cv2.perspectiveTransform(np.float64([[_mid_points(read_box)[0]]]), model).reshape(2)
        x, y = float(moved[0]), float(moved[1])
        dists = [np.hypot(b[0] - x, (b[1] + b[3]) / 2 - y) for b in options]
        i = int(np.argmin(dists))
        if dists[i] <= reach and (key, i) not in used:
            used.add((key, i))
            pairs.append((read_box, options[i]))
    return pairs


def _spread(points: np.ndarray, page: PageText) -> bool:
    """Anchors cover at least half the page both ways."""
    span = points.max(axis=0) - points.min(axis=0)
    return bool(span[0] >= _MIN_SPREAD * page.width and span[1] >= _MIN_SPREAD * page.height)


def _truth_spans(truth: PageText) -> list[tuple[str, tuple[float, float, float, float]]]:
    spans = []
    for line in truth.lines:
        words = [w for w in line.words if compact(w.text)]
        for i in range(len(words)):
            box = None
            text = ""
            for word in words[i : i + _ANCHOR_MAX_WORDS]:
                text += compact(word.text)
                wb = points(word.bbox, truth)
                box = wb if box is None else _union(box, wb)
                if len(text) >= _ANCHOR_MIN_LEN:
                    spans.append((text, box))
    return spans


def _read_spans(read: PageText) -> list[tuple[str, tuple[float, float, float, float]]]:
    spans = []
    for line in read.lines:
        pieces = [(line.text, line.bbox)] + [(w.text, w.bbox) for w in line.words if len(line.words) > 1]
        for text, bbox in pieces:
            key = compact(text)
            if len(key) >= _ANCHOR_MIN_LEN:
                spans.append((key, points(bbox, read)))
    return spans


def _unique(spans: list[tuple[str, tuple[float, float, float, float]]]) -> dict[str, tuple[float, ...]]:
    seen: dict[str, tuple[float, ...] | None] = {}
    for key, box in spans:
        seen[key] = None if key in seen else box
    return {k: v for k, v in seen.items() if v is not None}


def _mid_points(box: tuple[float, ...]) -> list[tuple[float, float]]:
    """Left and right ends at mid-height: a render that spaces a word differently from its box (a stand-in
    render) moves the right end only, and RANSAC drops those; the left ends still agree."""
    x0, y0, x1, y1 = box
    cy = (y0 + y1) / 2
    return [(x0, cy), (x1, cy)]


def points(box: BBox, page: PageText) -> tuple[float, float, float, float]:
    """A normalised box in the page's own units (points, mm or pixels)."""
    return (box.x0 * page.width, box.y0 * page.height, box.x1 * page.width, box.y1 * page.height)


def _union(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
