"""Seals as rings with a star: on a page without colour (a grey or black-and-white scan), and in red too faint
for the red mask.

A red stamp copied in grey is a circle of mid-grey ink round a filled star, so on a page with no coloured ink at
all :mod:`extractors.readers.seals` cannot use its red mask. Circles of seal size are proposed by the Hough
transform and each is kept only when it is a drawn ring: ink all the way round its outline (text and table
cells that merely happen to be round leave gaps), little ink just outside it, and ink at its centre, where the
star is. A circle that is not all three is not a seal: a missing seal must never be found here.
"""

from __future__ import annotations

import cv2
import numpy as np

from idp.models import BBox, Mark, MarkKind

#: Saturated pixels (share of the page) below which a page has no coloured ink: a grey or B/W copy.
_COLOURED_SHARE = 0.0005
_COLOUR_SAT, _COLOUR_VAL = 45, 70
#: Ink is darker than the paper by this much (a faded stamp copies to about 30 grey levels under the paper).
_INK_BELOW_PAPER = 18
#: A seal's radius as a share of the page width (a 38-42 mm stamp on A4 is about 0.09).
_RADIUS = (0.04, 0.13)
#: The ring: share of the outline with ink, the most of a band just outside it with ink, and the least ink
#: in the core (the star). Circles proposed over text and tables reached 0.66 round their outline.
_RING_ON, _RING_OUTSIDE, _CORE = 0.9, 0.5, 0.3
_ANGLES = np.linspace(0, 2 * np.pi, 120, endpoint=False)


def colourless(image_bgr: np.ndarray) -> bool:
    """No coloured ink anywhere on the page."""
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    coloured = (hsv[..., 1] >= _COLOUR_SAT) & (hsv[..., 2] >= _COLOUR_VAL)
    return int(coloured.sum()) < _COLOURED_SHARE * coloured.size


def find_grey_seals(image_bgr: np.ndarray) -> list[Mark]:
    """Rings with a star on a colourless page, as seal marks (boxes relative to the page)."""
    grey = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    return _rings(grey, grey < float(np.median(grey)) - _INK_BELOW_PAPER)


def find_faint_red_seals(image_bgr: np.ndarray) -> list[Mark]:
    """Rings with a star in red too pale for the red mask (a stamp pressed lightly, then scanned onto grey):
    red ink here is only redder than the paper, by ``_FAINT_RED`` levels of red over green and blue."""
    px = image_bgr.astype(np.int16)
    redness = np.clip(px[..., 2] - np.maximum(px[..., 1], px[..., 0]), 0, 63).astype(np.uint8)
    return _rings(255 - 4 * redness, redness >= _FAINT_RED)


#: Red over green and blue (levels) that a faint stamp keeps and paper, black and grey ink do not.
_FAINT_RED = 12


def _rings(grey: np.ndarray, ink: np.ndarray) -> list[Mark]:
    h, w = grey.shape
    found = cv2.HoughCircles(cv2.GaussianBlur(grey, (5, 5), 1.5), cv2.HOUGH_GRADIENT, dp=1, minDist=0.08 * w,
                             param1=120, param2=35, minRadius=int(_RADIUS[0] * w), maxRadius=int(_RADIUS[1] * w))
    if found is None:
        return []
    marks: list[Mark] = []
    for cx, cy, r in np.round(found[0]).astype(int).tolist():
        on, outside, x, y, radius = _best_ring(ink, cx, cy, r)
        if on < _RING_ON or outside > _RING_OUTSIDE:
            continue
        k = max(2, int(0.18 * radius))
        if ink[max(0, y - k) : y + k + 1, max(0, x - k) : x + k + 1].mean() < _CORE:
            continue
        box = BBox.from_points(x - radius, y - radius, x + radius, y + radius, w, h)
        marks.append(Mark(kind=MarkKind.SEAL, bbox=box, confidence=round(min(0.99, 0.55 + 0.45 * on), 3)))
    return marks


def _best_ring(ink: np.ndarray, cx: int, cy: int, r: int) -> tuple[float, float, int, int, int]:
    """(ink round the outline, ink just outside it, centre, radius): the proposed circle moved by a few pixels
    to where it is most a ring, inked on its outline and clear outside (Hough is coarse, and a circle just
    inside the ring is inked on its outline too)."""
    best = (0.0, 1.0, cx, cy, r)
    for dx in range(-4, 5, 2):
        for dy in range(-4, 5, 2):
            for dr in range(-4, 5):
                x, y, radius = cx + dx, cy + dy, r + dr
                on = _ink_round(ink, x, y, radius, (-1, 0, 1))
                if on <= best[0] - best[1]:
                    continue  # cannot beat the best even with nothing outside
                outside = _ink_round(ink, x, y, radius, (4, 5, 6))
                if on - outside > best[0] - best[1]:
                    best = (on, outside, x, y, radius)
    return best


def _ink_round(ink: np.ndarray, cx: int, cy: int, r: int, band: tuple[int, ...]) -> float:
    """Share of directions from the centre that meet ink at one of the distances ``r + band``."""
    h, w = ink.shape
    hit = np.zeros(len(_ANGLES), dtype=bool)
    for d in band:
        xs = np.round(cx + (r + d) * np.cos(_ANGLES)).astype(int)
        ys = np.round(cy + (r + d) * np.sin(_ANGLES)).astype(int)
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        hit[inside] |= ink[ys[inside], xs[inside]]
    return float(hit.mean())
