"""Ink on page images, shared by the seal and signature finders: the red of stamps, and the working copy
blobs are measured on."""

from __future__ import annotations

import cv2
import numpy as np

#: Working size: the longest side of the copy blobs are measured on (px).
_WORK_SIDE = 900
#: Red ink in OpenCV HSV (hue 0..180): low or high hue, saturated, not dark. A faded stamp on a scan keeps a
#: saturation of 45-90 (a paper's tint stays under 30): 60 lost one of two seals on a scanned order form.
_RED_LOW, _RED_HIGH, _RED_SAT, _RED_VAL = 12, 160, 45, 70


def red_mask(image_bgr: np.ndarray) -> np.ndarray:
    """Stamp-red pixels (255) of a BGR image."""
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = cv2.split(hsv)
    red = ((hue <= _RED_LOW) | (hue >= _RED_HIGH)) & (sat >= _RED_SAT) & (val >= _RED_VAL)
    return red.astype(np.uint8) * 255


def work_copy(image_bgr: np.ndarray) -> tuple[np.ndarray, float]:
    """The page at most ``_WORK_SIDE`` px on its longer side, and the scale taken."""
    h, w = image_bgr.shape[:2]
    scale = min(1.0, _WORK_SIDE / max(h, w))
    if scale < 1.0:
        return cv2.resize(image_bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale
    return image_bgr, 1.0
