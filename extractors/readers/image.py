"""Image files (JPEG, PNG, TIFF incl. multi-page, BMP) → preprocess → OCR → ``PageText``, EXIF honoured.

:func:`ocr_image` is also what scanned PDF pages go through, so every raster page takes the same path.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extractors.readers.ocr import OcrEngine, OcrLine, get_engine, lines_to_page
from extractors.readers.preprocess import PreprocessOptions, prepare
from idp.errors import InputRejected
from idp.models.page import PageText

logger = logging.getLogger(__name__)

#: JPEGs larger than this (longest side, px) are decoded at half size: phone photos carry far more pixels than
#: the text needs, and decoding is the slow part.
_JPEG_DRAFT_SIDE = 3200
#: EXIF orientation → clockwise turn that ``exif_transpose`` applies (a mirrored variant counts as its turn).
_EXIF_ROTATION = {1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270}
_EXIF_ORIENTATION_TAG = 0x0112


def is_available() -> bool:
    return True


def read_image(
    path: Path, *, options: PreprocessOptions | None = None, engine: OcrEngine | None = None
) -> list[PageText]:
    """OCR every frame of an image file (one page per TIFF frame)."""
    pages = []
    for page_no, (array, exif_turn, steps) in enumerate(load_frames(path), start=1):
        page = ocr_image(array, page_no=page_no, options=options, engine=engine)
        pages.append(
            page.model_copy(
                update={
                    "rotation_applied": (page.rotation_applied + exif_turn) % 360,
                    "preprocessing": steps + page.preprocessing,
                }
            )
        )
    return pages


#: The common reader name (``read(path)``) used by the readers registry.
read = read_image


def load_frames(path: Path) -> list[tuple[np.ndarray, int, list[str]]]:
    """Decode each frame to a BGR array, EXIF-transposed; with the turn applied and the steps taken."""
    try:
        with Image.open(path) as img:
            if img.format == "JPEG" and max(img.size) > _JPEG_DRAFT_SIDE:
                img.draft("RGB", (img.size[0] // 2, img.size[1] // 2))
            frames = []
            for frame in ImageSequence.Iterator(img):
                frames.append(_frame_to_bgr(frame))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputRejected(
            "图像文件损坏或无法解码 (corrupt image)", code="corrupt_image", reason=str(exc)
        ) from exc
    except Image.DecompressionBombError as exc:
        raise InputRejected(
            "图像尺寸过大 (image too large)", code="image_too_large", reason=str(exc)
        ) from exc
    if not frames:
        raise InputRejected("图像中没有可读的页面 (no frames)", code="corrupt_image")
    return frames


def _frame_to_bgr(frame: Image.Image) -> tuple[np.ndarray, int, list[str]]:
    if frame.width == 0 or frame.height == 0:
        raise InputRejected("图像尺寸为零 (empty image)", code="corrupt_image")
    orientation = frame.getexif().get(_EXIF_ORIENTATION_TAG, 1)
    steps = []
    turn = 0
    if orientation in _EXIF_ROTATION and orientation != 1:
        frame = ImageOps.exif_transpose(frame)
        turn = _EXIF_ROTATION[orientation]
        steps.append(f"exif_orientation({orientation})")
    rgb = _to_rgb(frame)
    array = np.asarray(rgb)[:, :, ::-1]  # RGB → BGR
    return np.ascontiguousarray(array), turn, steps


def _to_rgb(frame: Image.Image) -> Image.Image:
    """Any PIL mode to RGB; transparency is laid on white (scans saved as RGBA or LA are common)."""
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(frame, dtype=np.float32)
        top = float(arr.max()) or 1.0
        return Image.fromarray((arr * (255.0 / top)).astype(np.uint8)).convert("RGB")
    return frame.convert("RGB")


def ocr_image(
    image_bgr: np.ndarray,
    *,
    page_no: int = 1,
    options: PreprocessOptions | None = None,
    engine: OcrEngine | None = None,
) -> PageText:
    """Preprocess one page image and OCR it; boxes are relative to the prepared (upright, cropped) page."""
    if image_bgr.size == 0 or min(image_bgr.shape[:2]) == 0:
        raise InputRejected("图像尺寸为零 (empty image)", code="corrupt_image")
    options = options or PreprocessOptions()
    prepared = prepare(image_bgr, options)
    lines = (engine or get_engine()).recognize(prepared.image, det_side=prepared.det_side)
    if prepared.rotation == 90 and _run_down(lines):
        # the glyphs' layout said sideways, but the lines OCR found run down the turned page: it was upright (a
        # dense table whose rows lie closer than its characters misleads the layout measure)
        prepared = prepare(image_bgr, replace(options, orientation=False))
        prepared.steps.insert(0, "kept_upright")
        lines = (engine or get_engine()).recognize(prepared.image, det_side=prepared.det_side)
    h, w = prepared.image.shape[:2]
    rotation, steps = prepared.rotation, list(prepared.steps)
    flipped = sum(len(ln.text) for ln in lines if ln.angle == 180)
    if lines and flipped > 0.5 * sum(len(ln.text) for ln in lines):
        lines = [_turn_180(ln, w, h) for ln in lines]
        rotation += 180
        steps.append("rotate_180")
    logger.debug("page %d: %d lines, steps %s, %s", page_no, len(lines), steps, prepared.timings_ms)
    return lines_to_page(lines, width=w, height=h, page_no=page_no, rotation=rotation, steps=steps)


#: Share of the lines of three characters or more whose box stands upright, at which a page's text runs down.
_RUNNING_DOWN = 0.6


def _run_down(lines: list[OcrLine]) -> bool:
    """Most lines of some length are boxed taller than wide: the text runs down the page as it was turned."""
    def tall(line: OcrLine) -> bool:
        (x0, y0), (x1, y1), (x2, y2), _ = line.box
        return abs(y2 - y1) > 1.5 * abs(x1 - x0)

    long = [ln for ln in lines if len(ln.text) >= 3]
    return bool(long) and sum(tall(ln) for ln in long) >= _RUNNING_DOWN * len(long)


def _turn_180(line: OcrLine, width: int, height: int) -> OcrLine:
    """The same line on the page turned upright: corners mirrored through the centre, top-left first again."""
    pts = [(width - x, height - y) for x, y in line.box]
    return OcrLine(box=(pts[2], pts[3], pts[0], pts[1]), text=line.text, score=line.score, angle=0)
