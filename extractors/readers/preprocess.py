"""OpenCV page preparation before OCR, each step switchable and chosen per page from cheap measures.

A clean scan costs a few downscaled measurements (tens of ms) and gets no pixel work; photos get the crop, the
perspective fix, flattening and seal suppression. Every step taken is named in ``Prepared.steps``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, fields, replace

import cv2
import numpy as np

from extractors.readers.frame import find_viewer_page, scale_for_text
from extractors.readers.preprocess_measure import Layout, find_document_quad, measure_layout

logger = logging.getLogger(__name__)

#: Text line height (px) the detector should see; the page is resized for detection to match. On renders of
#: the real e-invoices (``idp eval read``) 10 px lost small isolated labels (密/码/区, 金 额, 税率) and the
#: baseline of coarse boxes (decimal points, ``:``); 16 px cut the position-matched CER of clean, skewed and
#: shadowed pages from 1.1-2.3 % to 0.25-0.6 %, for ~2.5x the detector's pixels (+0.2-0.4 s on a page) — but
#: it broke the row reading of a scanned statement sample and the real 2010 paper-invoice scan (code and
#: machine number swapped), so it stays at 10 px until those are understood.
DET_TEXT_PX = 10.0
#: The same for a phone photo (a sheet cropped off its background), kept where it was so photos take no
#: longer; 16 px would cut their CER from ~2.2 % to ~1.4 % for about +0.25 s of detection per page.
PHOTO_DET_TEXT_PX = 10.0
#: Bounds for the detector's longest side (px).
_DET_SIDE_MIN, _DET_SIDE_MAX = 640, 2048
#: Pages up to this size (longest side, px) are detected at their own size at least.
_SMALL_PAGE_SIDE = 1280
#: Text lower than this (px) is upscaled before OCR, to about ``_UPSCALE_TO`` px, at most ×2 and never to a
#: longest side above ``_MAX_UPSCALED_SIDE``.
_SMALL_TEXT_PX, _UPSCALE_TO = 14.0, 20.0
_MAX_UPSCALED_SIDE = 4000
#: Skew (degrees) below which a page is left as is.
_MIN_SKEW = 0.3
#: Background unevenness ((p95 - p5) / p95 of the text-free background) above which light is flattened.
_UNEVEN_LIGHT = 0.15
#: Seal ink in OpenCV HSV: red hues on both ends of the circle, saturated and not dark.
_RED_HUE_LOW, _RED_HUE_HIGH, _RED_SAT, _RED_VAL = 8, 165, 80, 90
#: In a seal box, seal-coloured pixels at this share of the paper level or lighter become paper.
_SEAL_LIFT = 0.8
#: The same for every other pixel of the box (the seal's faint blur and JPEG halo), gentler.
_BOX_LIFT = 0.85
#: Saturation from which a red pixel in a seal box counts as seal ink (lower than for finding seals, so the
#: pale fringe of the stroke goes too).
_SEAL_FRINGE_SAT = 40
#: Through the red filter brown form text (发票 titles, labels) fades to a pale grey; this gamma darkens the
#: mid-tones back (brown ~0.73 → ~0.5 of paper) and leaves seal ink (lifted to paper) and black text alone.
_FILTER_GAMMA = 2.2
#: Opaque seal ink (saturated, and as bright in the red channel as this share of the paper: nothing dark
#: under it) is filled in from its surroundings (Telea inpainting, this radius in px) rather than turned to
#: paper, so a title or label stroke the seal ring crosses stays whole. On the real e-invoice renders this
#: halved the position-matched CER of clean pages (0.92 → 0.40 %) and cut it under a synthetic seal
#: (0.77 → 0.60 %), for ~25 ms a page with seals. Not done on photos (see :func:`prepare`): there the seal
#: ink bleeds into the text it crosses, and filling it smudged table headers (photo field accuracy on 30
#: synthetic invoices 99.3 → 98.6 %).
_INPAINT_RADIUS = 3
_OPAQUE_RED = 0.75


@dataclass(frozen=True)
class PreprocessOptions:
    """Which steps may run; a step that may run still only runs when its measure calls for it."""

    orientation: bool = True
    deskew: bool = True
    document: bool = True
    illumination: bool = True
    seal: bool = True
    upscale: bool = True

    @classmethod
    def off(cls) -> PreprocessOptions:
        return cls(**{f.name: False for f in fields(cls)})


@dataclass
class Prepared:
    """The image to OCR, the clockwise rotation already applied to it, and what was done."""

    image: np.ndarray
    rotation: int = 0
    steps: list[str] = field(default_factory=list)
    text_height: float | None = None
    det_side: int | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)


def prepare(image_bgr: np.ndarray, options: PreprocessOptions | None = None) -> Prepared:
    """Run the steps the page needs, in order: document crop, orientation, deskew, light, seals, upscaling."""
    opts = options or PreprocessOptions()
    out = Prepared(image=image_bgr)
    clock = _Clock(out.timings_ms)

    if opts.document:
        _crop_document(out, clock)

    layout = measure_layout(out.image) if (opts.orientation or opts.deskew or opts.upscale) else Layout()
    clock.lap("measure_layout")
    factor = scale_for_text(out.image, layout.text_height) if opts.upscale else 1.0
    if factor < 1.0:  # a 4800 px render: every later step (and OCR) would work on 5x the pixels it needs
        out.image = cv2.resize(out.image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        layout = replace(layout, text_height=(layout.text_height or 0) * factor)
        out.steps.append(f"scale_down(x{factor:.2f})")
        clock.lap("scale_down")
    if opts.orientation and layout.axis == "vertical":
        out.image = cv2.rotate(out.image, cv2.ROTATE_90_CLOCKWISE)
        out.rotation = 90
        out.steps.append("rotate_90")
        clock.lap("rotate")
    if opts.deskew and abs(layout.skew) >= _MIN_SKEW:
        out.image = rotate_by(out.image, layout.skew)
        out.steps.append(f"deskew({layout.skew:+.1f}°)")
        clock.lap("deskew")

    if opts.illumination:
        background = _background(out.image, layout.text_height)
        clock.lap("measure_light")
        if _unevenness(background) > _UNEVEN_LIGHT:
            out.image = flatten_illumination(out.image, background)
            out.steps.append("flatten_light")
            clock.lap("flatten_light")

    if opts.seal:
        regions = find_seals(out.image)
        clock.lap("measure_seal")
        if regions:
            # a photo's seal ink bleeds into the text it crosses: filling it in there smudges the text
            out.image = suppress_seals(out.image, regions, fill_strokes="document_crop" not in out.steps)
            out.steps.append(f"suppress_seal({len(regions)})")
            clock.lap("suppress_seal")

    text_h = layout.text_height
    if text_h and opts.upscale and text_h < _SMALL_TEXT_PX and max(out.image.shape[:2]) < _MAX_UPSCALED_SIDE:
        # never past _MAX_UPSCALED_SIDE: small text on a huge canvas (a page shown small in a 4800 px capture)
        # would otherwise become an 80-megapixel image
        factor = min(2.0, _UPSCALE_TO / text_h, _MAX_UPSCALED_SIDE / max(out.image.shape[:2]))
        out.image = cv2.resize(out.image, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        text_h *= factor
        out.steps.append(f"upscale(x{factor:.1f})")
        clock.lap("upscale")
    out.text_height = text_h
    if text_h:
        target = PHOTO_DET_TEXT_PX if "document_crop" in out.steps else DET_TEXT_PX
        side = max(out.image.shape[:2]) * target / text_h
        # a small page (a low-resolution photo) is never shrunk for detection: its text is already near the
        # detector's limit, and the line-height measure overestimates it on dense forms
        longest = max(out.image.shape[:2])
        floor = max(_DET_SIDE_MIN, longest) if longest <= _SMALL_PAGE_SIDE else _DET_SIDE_MIN
        out.det_side = int(min(_DET_SIDE_MAX, max(floor, side)))
    return out


def _crop_document(out: Prepared, clock: _Clock) -> None:
    """A viewer screenshot is cut to its page; a photographed sheet is cropped and flattened."""
    page = find_viewer_page(out.image)
    clock.lap("measure_viewer")
    if page is not None:
        x0, y0, x1, y1 = page
        out.image = np.ascontiguousarray(out.image[y0:y1, x0:x1])
        out.steps.append("viewer_crop")
        return
    quad = find_document_quad(out.image)
    clock.lap("measure_document")
    if quad is not None:
        out.image = warp_quad(out.image, quad)
        out.steps.append("document_crop")
        clock.lap("document_crop")


def warp_quad(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Perspective-correct the quadrilateral ``quad`` (tl, tr, br, bl in image pixels) to a flat rectangle."""
    tl, tr, br, bl = quad.astype(np.float32)
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(
        image, m, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def rotate_by(image: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate anticlockwise by ``degrees`` on a canvas grown to keep the corners, filled white."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def flatten_illumination(image: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Divide by the (small, text-free) background so paper becomes evenly white."""
    h, w = image.shape[:2]
    bg = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    bg = np.maximum(bg, 1)
    return cv2.divide(image, cv2.merge([bg, bg, bg]), scale=255)


def find_seals(image: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1, full-size pixels) of red stamp-shaped blobs: big, roundish, mostly hollow."""
    h, w = image.shape[:2]
    scale = min(1.0, 800 / max(h, w))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    hue, sat, val = cv2.split(hsv)
    red = ((hue <= _RED_HUE_LOW) | (hue >= _RED_HUE_HIGH)) & (sat >= _RED_SAT) & (val >= _RED_VAL)
    if red.mean() < 0.001:
        return []
    mask = cv2.morphologyEx(red.astype(np.uint8) * 255, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    min_side = 0.06 * min(small.shape[:2])
    boxes: list[tuple[int, int, int, int]] = []
    for x, y, bw, bh, area in sorted(stats[1:n].tolist(), key=lambda s: -s[4]):
        if min(bw, bh) < min_side or not 0.5 <= bw / bh <= 2.0 or area > 0.7 * bw * bh:
            continue
        pad = 0.05 * max(bw, bh)
        box = (
            int(max(0, (x - pad) / scale)),
            int(max(0, (y - pad) / scale)),
            int(min(w, (x + bw + pad) / scale)),
            int(min(h, (y + bh + pad) / scale)),
        )
        if not any(b[0] <= box[0] and b[1] <= box[1] and box[2] <= b[2] and box[3] <= b[3] for b in boxes):
            boxes.append(box)  # a star or the text inside a ring already found is skipped
    return boxes


def suppress_seals(
    image: np.ndarray, regions: list[tuple[int, int, int, int]], *, fill_strokes: bool = True
) -> np.ndarray:
    """Inside each seal box, show the page as seen through a red filter: red ink vanishes into the paper,
    black text stays dark, brown form text stays a readable grey.

    Each pixel's red channel is divided by the local paper level in that channel and multiplied by the
    local paper grey, so shadows and tinted paper leave no blotches; pixels of the seal's own hue are
    lifted a little more (``_SEAL_LIFT``) so its pale fringe leaves no trace to misread. With
    ``fill_strokes`` (scans and renders, not photos), opaque seal ink is filled in from around it instead,
    so strokes it was drawn across stay whole.
    """
    out = image.copy()
    for x0, y0, x1, y1 in regions:
        box = out[y0:y1, x0:x1]
        hue, sat, val = cv2.split(cv2.cvtColor(box, cv2.COLOR_BGR2HSV))
        ink = ((hue <= _RED_HUE_LOW) | (hue >= _RED_HUE_HIGH)) & (sat >= _SEAL_FRINGE_SAT) & (val >= _RED_VAL)
        k = max(9, min(box.shape[:2]) // 15) | 1
        red = box[..., 2].astype(np.float32)
        grey = cv2.cvtColor(box, cv2.COLOR_BGR2GRAY).astype(np.float32)
        paper_red, paper_grey = (_local_paper(c, k) for c in (red, grey))
        raw = red / np.maximum(paper_red, 1.0)
        ratio = np.clip(raw / np.where(ink, _SEAL_LIFT, _BOX_LIFT), 0.0, 1.0)
        ratio = np.where(ink, ratio, ratio**_FILTER_GAMMA)
        flat = (ratio * paper_grey).astype(np.uint8)
        if fill_strokes and _INPAINT_RADIUS:
            opaque = ink & (sat >= _RED_SAT) & (raw >= _OPAQUE_RED)
            flat = cv2.inpaint(flat, opaque.astype(np.uint8), _INPAINT_RADIUS, cv2.INPAINT_TELEA)
        box[:] = flat[..., None]
    return out


def _local_paper(channel: np.ndarray, k: int) -> np.ndarray:
    """The paper level around each pixel: a max filter (wider than strokes), smoothed."""
    return cv2.GaussianBlur(cv2.dilate(channel, np.ones((k, k), np.uint8)), (0, 0), k / 2)


def _background(image: np.ndarray, text_height: float | None) -> np.ndarray:
    """Paper brightness map at low resolution (text removed with a max filter)."""
    h, w = image.shape[:2]
    scale = min(1.0, 400 / max(h, w))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = int(max(7, 2.5 * (text_height or 20) * scale)) | 1
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return cv2.GaussianBlur(bg, (0, 0), k / 2)


def _unevenness(background: np.ndarray) -> float:
    lo, hi = np.percentile(background, [5, 95])
    return float((hi - lo) / max(hi, 1.0))


class _Clock:
    def __init__(self, sink: dict[str, float]) -> None:
        self._sink = sink
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self._sink[name] = self._sink.get(name, 0.0) + (now - self._t) * 1000
        self._t = now
