"""Page images inside something else: a screenshot of a PDF viewer (toolbar, grey margins, scrollbar around the
page) is cropped to the page, and a very large image is scaled down before anything else looks at it.

A viewer's page is a bright, axis-aligned rectangle with straight, sharp edges on a darker, even surround; a
photographed sheet is tilted and its bounding box is not filled, and a scan has no surround, so neither is cut.
"""

from __future__ import annotations

import cv2
import numpy as np

#: Longest side of the copy the page rectangle is looked for on (px).
_FRAME_SIDE = 800
#: A pixel counts as page paper within this many grey levels of the image's paper white (its 98th percentile),
#: and only if that white is at least ``_MIN_WHITE`` (a light viewer's toolbar and margins are a little darker).
_PAPER_BAND, _MIN_WHITE = 7, 200
#: The page must cover this share of the screenshot (less: not a page; more: nothing around it to cut).
_MIN_AREA, _MAX_AREA = 0.2, 0.95
#: The bright blob must fill this share of its bounding box (a tilted sheet in a photo does not).
_FILL = 0.93
#: Outside the page, at most this share may be paper-bright (a scan's white margin is all bright).
_OUTSIDE_BRIGHT = 0.2
#: Share of an edge's length along which it must be a sharp bright-inside / dark-outside step.
_STRAIGHT = 0.85
#: Text this many px high (or more) is larger than OCR needs: such images are scaled down first.
_BIG_TEXT_PX, _SCALED_TEXT_PX = 44.0, 28.0
#: Only images with a longest side above this are considered for scaling down (px).
_BIG_SIDE = 2400


def find_viewer_page(image: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) in full-size px of the page a viewer screenshot shows, or None when there is none."""
    h, w = image.shape[:2]
    scale = min(1.0, _FRAME_SIDE / max(h, w))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    white = float(np.percentile(gray, 98))
    if white < _MIN_WHITE:
        return None
    level = white - _PAPER_BAND
    paper = (gray >= level).astype(np.uint8)
    k = max(5, min(gray.shape) // 60) | 1
    closed = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=4)
    if n < 2:
        return None
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = (int(v) for v in stats[best])
    sh, sw = gray.shape
    if not _MIN_AREA <= bw * bh / float(sh * sw) <= _MAX_AREA or area < _FILL * bw * bh:
        return None
    outside = np.ones_like(paper, bool)
    outside[y : y + bh, x : x + bw] = False
    if paper[outside].mean() > _OUTSIDE_BRIGHT:
        return None
    if not _sharp_edges(gray, x, y, bw, bh, level):
        return None
    inset = 1
    return (
        int((x + inset) / scale),
        int((y + inset) / scale),
        int(min(w, (x + bw - inset) / scale)),
        int(min(h, (y + bh - inset) / scale)),
    )


def _sharp_edges(gray: np.ndarray, x: int, y: int, bw: int, bh: int, level: float) -> bool:
    """Every side of the rectangle that is not on the image border is a straight bright/dark step."""
    sh, sw = gray.shape
    sides = (
        (y - 3 >= 0, gray[min(sh - 1, y + 2), x : x + bw], gray[max(0, y - 3), x : x + bw]),
        (y + bh + 2 < sh, gray[max(0, y + bh - 3), x : x + bw], gray[min(sh - 1, y + bh + 2), x : x + bw]),
        (x - 3 >= 0, gray[y : y + bh, min(sw - 1, x + 2)], gray[y : y + bh, max(0, x - 3)]),
        (x + bw + 2 < sw, gray[y : y + bh, max(0, x + bw - 3)], gray[y : y + bh, min(sw - 1, x + bw + 2)]),
    )
    inner_sides = [(inside, out) for present, inside, out in sides if present]
    if len(inner_sides) < 2:
        return False
    for inside, out in inner_sides:
        step = (inside.astype(np.int16) >= level) & (out.astype(np.int16) < level)
        if step.mean() < _STRAIGHT:
            return False
    return True


def scale_for_text(image: np.ndarray, text_height: float | None) -> float:
    """The factor (≤ 1) that brings text ``text_height`` px high down to what OCR needs; 1 for ordinary images."""
    if text_height is None or max(image.shape[:2]) <= _BIG_SIDE or text_height < _BIG_TEXT_PX:
        return 1.0
    return _SCALED_TEXT_PX / text_height
