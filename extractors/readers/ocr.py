"""The OCR engine behind one small interface, created once per process, plus OCR lines → ``PageText``.

Default: PP-OCRv6 small det/rec and the PP-OCR text-line direction classifier, all shipped inside the
``rapidocr`` wheel (nothing is downloaded). ``paddleocr`` can run the same model files; see
:mod:`extractors.readers.ocr_paddle`.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from extractors.readers.normalize import normalize_text
from extractors.text.glyphs import display_width
from idp.models.geometry import BBox
from idp.models.page import PageText, TextLine, TextSource, Word
from idp.settings import get_settings

logger = logging.getLogger(__name__)

#: Longest side of the image the detector sees when the caller gives no hint (pixels).
DEFAULT_DET_SIDE = 1280
#: Narrowest input (px, at 48 px height) the recogniser pads a short crop to. rapidocr pads to 320, which
#: doubles the work on the many short cells of an invoice (单位, 税率, amounts). On the real invoices'
#: renders (``idp eval read``) 128 read as well as 160 (CER clean 0.92 vs 0.97 %, photo 1.88 vs 1.85 %,
#: upside down 1.03 vs 1.04 %) for ~6 % less recognition; 96 lost more on photos (1.92 %).
_REC_MIN_WIDTH = 128
#: Crops per recognition batch (rapidocr: 6). A batch is padded to its widest crop; 3 ran ~10 % faster than 6
#: on invoice photos (interleaved A/B, 8 rounds), 1-2 no better.
_REC_BATCH = 3
#: Text-probability cut-offs of the detector's DB post-processing, per pixel and per box mean (rapidocr: 0.3
#: and 0.5). Lower finds the small isolated labels of invoice forms (密/码/区, 金 额, 税率) that the
#: detector sees only ~7 px high: on real e-invoice renders (``idp eval read``) the position-matched CER
#: fell from 2.0 to 1.5 % clean, 3.7 to 2.5 % photo and 3.3 to 2.3 % shadow; ~4 more lines read per
#: page cost 0-5 % in an interleaved A/B (within the noise of a loaded 2-core machine).
_DET_PIXEL_THRESH, _DET_BOX_THRESH = 0.2, 0.3
#: Lines recognised with a lower score are dropped (rapidocr's own default).
_MIN_TEXT_SCORE = 0.5
#: Share of (length-weighted) lines the direction classifier must call upside down before the whole page is.
_PAGE_FLIP_SHARE = 0.6
#: Lines (the widest) the direction classifier sees first; the rest only when these leave the page unclear.
_CLS_SAMPLE = 12
#: A run of 4+ of one character (single spaces inside allowed: ``000000000 0000025245``) is read again from
#: a window of the line this much wider, with this many characters of context each side
#: (:meth:`RapidOcrEngine._reread_runs`).
_RUN = re.compile(r"(\S)(?: ?\1){3,}")
_RUN_STRETCH, _RUN_MARGIN = 1.6, 3
#: A line box this many times taller than wide was read down a column (vertical text); one of at least
#: ``_MARGIN_NOTE`` characters is a printer's margin note or a copy's name, not a block label (购买方, 密码区).
_VERTICAL, _MARGIN_NOTE = 1.5, 6

Point = tuple[float, float]


@dataclass(frozen=True)
class OcrLine:
    """One recognised text line: four corners (clockwise from top-left, pixels of the input image)."""

    box: tuple[Point, Point, Point, Point]
    text: str
    score: float
    #: 180 when the line was read upside down (the crop was turned before recognition).
    angle: int = 0


@runtime_checkable
class OcrEngine(Protocol):
    """Image in, text lines out. One instance per process: creating one loads the models."""

    name: str

    def recognize(self, image_bgr: np.ndarray, *, det_side: int | None = None) -> list[OcrLine]:
        """Detect and read text lines; ``det_side`` is the longest side the detector should see."""
        ...


class RapidOcrEngine:
    """rapidocr's default models: detection on a resized copy, recognition on full-resolution crops."""

    name = "rapidocr"

    def __init__(self, threads: int = 2) -> None:
        from rapidocr import RapidOCR

        self._ocr = RapidOCR(
            params={
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "Global.log_level": "warning",
            }
        )
        # rapidocr 3.10 internals (pinned <3.11): load the three models now, not on the first page.
        self._det = self._ocr._load_det_model()
        self._cls = self._ocr._load_cls_model()
        self._rec = self._ocr._load_rec_model()
        self._det.limit_type = "max"
        self._det.postprocess_op.thresh = _DET_PIXEL_THRESH
        self._det.postprocess_op.box_thresh = _DET_BOX_THRESH
        # We resize ourselves; the detector then only rounds to a multiple of 32.
        self._det.limit_side_len = 1 << 15
        channels, height, _ = self._rec.rec_image_shape
        self._rec.rec_image_shape = [channels, height, _REC_MIN_WIDTH]
        self._rec.rec_batch_num = _REC_BATCH
        self._lock = threading.Lock()

    @staticmethod
    def is_available() -> bool:
        import importlib.util

        return importlib.util.find_spec("rapidocr") is not None

    def recognize(self, image_bgr: np.ndarray, *, det_side: int | None = None) -> list[OcrLine]:
        """Detect, classify direction, recognise. A page found upside down is turned and detected again,
        so it reads exactly as well as an upright one; its lines come back with ``angle=180``."""
        from rapidocr.ch_ppocr_rec import TextRecInput

        h, w = image_bgr.shape[:2]
        scale = (det_side or min(DEFAULT_DET_SIDE, max(h, w))) / max(h, w)
        with self._lock:
            boxes = self._detect(image_bgr, scale)
            if not boxes:
                return []
            crops = _crops(image_bgr, boxes)
            angles = self._directions(crops)
            page_flipped = all(a == 180 for a in angles)
            if page_flipped:
                upright = cv2.rotate(image_bgr, cv2.ROTATE_180)
                boxes = self._detect(upright, scale)
                crops = _crops(upright, boxes)
                angles = [0] * len(crops)
            if not crops:
                return []
            turned = [
                cv2.rotate(c, cv2.ROTATE_180) if a == 180 else c for c, a in zip(crops, angles, strict=True)
            ]
            rec = self._rec(TextRecInput(img=turned))
            texts, scores = self._reread_runs(turned, list(rec.txts or ()), list(rec.scores))
        lines = []
        for box, text, score, angle in zip(boxes, texts, scores, angles, strict=False):
            if text.strip() and score >= _MIN_TEXT_SCORE:
                if page_flipped:  # back to the input's coordinates: mirror through the centre, tl first
                    pts = [(w - x, h - y) for x, y in box]
                    box, angle = (pts[2], pts[3], pts[0], pts[1]), 180
                lines.append(OcrLine(box=box, text=text, score=float(score), angle=angle))
        return lines

    def _reread_runs(
        self, crops: list[np.ndarray], texts: list[str], scores: list[float]
    ) -> tuple[list[str], list[float]]:
        """Runs of one character (``0000``, ``9999``, ``****``) are read again, from a window of the line
        around the run stretched ``_RUN_STRETCH`` times wider: CTC decoding merges repeats that get too few
        frames apart, so a narrow font loses digits of ``23512000000058396237``. A longer run read in the
        window replaces the run, only when the characters on both sides of it agree."""
        from rapidocr.ch_ppocr_rec import TextRecInput

        jobs = []
        for i, text in enumerate(texts):
            for m in _RUN.finditer(text):
                window = _window(crops[i], text, m.start(), m.end())
                if window is not None:
                    jobs.append((i, m.start(), m.end(), window))
        if not jobs:
            return texts, scores
        wide = [
            cv2.resize(w, None, fx=_RUN_STRETCH, fy=1.0, interpolation=cv2.INTER_CUBIC) for *_, w in jobs
        ]
        again = self._rec(TextRecInput(img=wide))
        for (i, start, end, _), read in sorted(
            zip(jobs, again.txts or (), strict=False), key=lambda job: -job[0][1]
        ):  # right to left, so earlier runs keep their positions
            texts[i] = _longer_run(texts[i], start, end, _bare(read))
        return texts, scores

    def _detect(self, image: np.ndarray, scale: float) -> list[tuple[Point, Point, Point, Point]]:
        h, w = image.shape[:2]
        small = image
        if abs(scale - 1) > 0.02:
            interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
            small = cv2.resize(
                image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=interp
            )
        pad = 0
        sh, sw = small.shape[:2]
        if sh < 32 or sw / sh > 8:  # a single strip: give the detector some room above and below
            pad = max(16, sw // 16 - sh // 2)
            small = cv2.copyMakeBorder(small, pad, pad, 0, 0, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        out = self._det(small)
        if out.boxes is None or len(out.boxes) == 0:
            return []
        pts = np.asarray(out.boxes, np.float32)
        pts[..., 1] -= pad
        pts /= scale
        pts[..., 0] = np.clip(pts[..., 0], 0, w)
        pts[..., 1] = np.clip(pts[..., 1], 0, h)
        return [tuple((float(x), float(y)) for x, y in quad) for quad in pts]  # type: ignore[misc]

    def _directions(self, crops: list[np.ndarray]) -> list[int]:
        """0 or 180 per crop; the page-wide majority wins when it is clear (a page is rarely mixed).

        The widest ``_CLS_SAMPLE`` crops (long lines, the classifier's surest calls) are asked first; only
        a page they leave unclear has every crop classified, for per-line answers."""
        if len(crops) > _CLS_SAMPLE:
            widest = sorted(crops, key=lambda c: -c.shape[1] / max(1, c.shape[0]))[:_CLS_SAMPLE]
            share = self._flipped_share(widest, self._cls(widest).cls_res or [])
            if share >= _PAGE_FLIP_SHARE:
                return [180] * len(crops)
            if share <= 1 - _PAGE_FLIP_SHARE:
                return [0] * len(crops)
        res = self._cls(crops).cls_res or []
        share = self._flipped_share(crops, res)
        if share >= _PAGE_FLIP_SHARE:
            return [180] * len(crops)
        if share <= 1 - _PAGE_FLIP_SHARE:
            return [0] * len(crops)
        return [180 if "180" in label and s > 0.9 else 0 for label, s in res]

    @staticmethod
    def _flipped_share(crops: list[np.ndarray], res: list[tuple[str, float]]) -> float:
        """Share of the (length- and confidence-weighted) crops called upside down."""
        weights = [c.shape[1] / max(1, c.shape[0]) for c in crops]
        flipped = sum(wt * s for wt, (label, s) in zip(weights, res, strict=False) if "180" in label)
        total = sum(wt * s for wt, (_, s) in zip(weights, res, strict=False)) or 1.0
        return flipped / total


def _window(crop: np.ndarray, text: str, start: int, end: int) -> np.ndarray | None:
    """The part of a line crop around ``text[start:end]`` (plus ``_RUN_MARGIN`` characters each side), placed
    by display width; None when that is too narrow to read."""
    widths = [display_width(ch) for ch in text]
    total = sum(widths)
    if not total:
        return None
    lo, hi = max(0, start - _RUN_MARGIN), min(len(text), end + _RUN_MARGIN)
    w = crop.shape[1]
    x0 = int(w * sum(widths[:lo]) / total)
    x1 = int(np.ceil(w * sum(widths[:hi]) / total))
    pad = int(w / total)  # one narrow character of slack each side
    x0, x1 = max(0, x0 - pad), min(w, x1 + pad)
    return crop[:, x0:x1] if x1 - x0 >= 8 else None


def _longer_run(text: str, start: int, end: int, window: str) -> str:
    """``text`` with its run ``text[start:end]`` lengthened to the longest run of that character in
    ``window`` whose neighbours are the run's neighbours in ``text``."""
    ch = text[start]
    before = _bare(text[:start])[-1:]
    after = _bare(text[end:])[:1]
    best = text.count(ch, start, end)
    for m in re.finditer(f"{re.escape(ch)}+", window):
        if m.end() - m.start() <= best:
            continue
        if before and window[max(0, m.start() - 1) : m.start()] != before:
            continue
        if after and window[m.end() : m.end() + 1] != after:
            continue
        best = m.end() - m.start()
    if best == text.count(ch, start, end):
        return text
    return text[:start] + ch * best + text[end:]


def _bare(text: str) -> str:
    """Normalised text without spaces (a wider read may add spaces between digit groups, or ``：``)."""
    return re.sub(r"\s+", "", normalize_text(text))


def _crops(image: np.ndarray, boxes: list[tuple[Point, Point, Point, Point]]) -> list[np.ndarray]:
    from rapidocr.utils.process_img import get_rotate_crop_image

    return [get_rotate_crop_image(image, np.array(b, np.float32)) for b in boxes]


@lru_cache(maxsize=1)
def get_engine() -> OcrEngine:
    """The process-wide engine (models load once); ``settings.ocr_engine == "paddle"`` picks paddleocr."""
    settings = get_settings()
    wanted = getattr(settings, "ocr_engine", "rapidocr")
    if wanted == "paddle":
        from extractors.readers.ocr_paddle import PaddleOcrEngine

        if PaddleOcrEngine.is_available():
            return PaddleOcrEngine(threads=settings.ocr_threads)
        logger.warning("paddleocr is not installed; using rapidocr")
    return RapidOcrEngine(threads=settings.ocr_threads)


def lines_to_page(
    lines: list[OcrLine],
    *,
    width: int,
    height: int,
    page_no: int,
    rotation: int = 0,
    steps: list[str] | None = None,
) -> PageText:
    """A ``PageText`` (source OCR) from lines whose boxes are pixels of a ``width`` x ``height`` image."""
    text_lines = []
    margin_notes = 0
    for line in lines:
        text = normalize_text(line.text)
        if not text:
            continue
        xs = [p[0] for p in line.box]
        ys = [p[1] for p in line.box]
        bbox = BBox.from_points(min(xs), min(ys), max(xs), max(ys), width, height)
        conf = min(1.0, max(0.0, line.score))
        vertical = (max(ys) - min(ys)) > _VERTICAL * (max(xs) - min(xs))
        if vertical and len(text.replace(" ", "")) >= _MARGIN_NOTE:
            margin_notes += 1  # 税总函〔2018〕340号…印制有限公司, 第二联：抵扣联…: no field is printed that way
            continue
        text_lines.append(TextLine(text=text, bbox=bbox, confidence=conf, words=split_words(text, bbox, conf)))
    if margin_notes:
        steps = [*(steps or []), f"drop_vertical_notes({margin_notes})"]
    return PageText(
        page_no=page_no,
        width=width,
        height=height,
        source=TextSource.OCR,
        lines=order_lines(text_lines),
        rotation_applied=rotation % 360,
        preprocessing=list(steps or []),
    )


def split_words(text: str, bbox: BBox, confidence: float) -> list[Word]:
    """Words of a line split at spaces, each box cut from the line box in proportion to its display width."""
    pieces = text.split(" ")
    if len(pieces) == 1:
        return [Word(text=text, bbox=bbox, confidence=confidence)]
    widths = [display_width(p) for p in pieces]
    unit = bbox.width / max(1, sum(widths) + len(pieces) - 1)
    words, x = [], bbox.x0
    for piece, wd in zip(pieces, widths, strict=True):
        x1 = min(bbox.x1, x + wd * unit)
        if piece:
            words.append(
                Word(text=piece, bbox=BBox(x0=x, y0=bbox.y0, x1=x1, y1=bbox.y1), confidence=confidence)
            )
        x = min(bbox.x1, x1 + unit)
    return words


def order_lines(lines: list[TextLine]) -> list[TextLine]:
    """Reading order: rows top to bottom, left to right within a row.

    A line joins the row whose running centre is nearest, if within half the smaller of the two heights;
    comparing centres (not extents) keeps a tall line (a vertical label) from chaining rows together.
    """
    rows: list[list[TextLine]] = []
    centres: list[float] = []
    heights: list[float] = []
    for line in sorted(lines, key=lambda ln: (ln.bbox.cy, ln.bbox.x0)):
        best, best_dist = -1, 0.0
        for i in range(
            max(0, len(rows) - 8), len(rows)
        ):  # rows are built top-down: only recent ones can match
            dist = abs(line.bbox.cy - centres[i])
            if dist <= 0.5 * min(line.bbox.height, heights[i]) and (best < 0 or dist < best_dist):
                best, best_dist = i, dist
        if best < 0:
            rows.append([line])
            centres.append(line.bbox.cy)
            heights.append(line.bbox.height)
            continue
        rows[best].append(line)
        n = len(rows[best])
        centres[best] += (line.bbox.cy - centres[best]) / n
        heights[best] += (line.bbox.height - heights[best]) / n
    order = sorted(range(len(rows)), key=lambda i: centres[i])
    return [line for i in order for line in sorted(rows[i], key=lambda ln: ln.bbox.x0)]


