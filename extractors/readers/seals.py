"""Seals (red stamps) and signatures on page images, filled into ``PageText.marks``.

A seal is red ink (HSV, both ends of the hue circle) forming a blob of seal size whose outline is a ring or a
frame; on a page with no colour at all (a grey or black-and-white copy), or in red too faint for that, it is a
ring with a star (:mod:`extractors.readers.seal_rings`). Signatures are found by
:mod:`extractors.readers.signatures`. Only files that read like a contract are rendered for this (at
``_TEXT_DPI`` for text layers), so invoices stay fast. Presence only: whether a seal is genuine is a person's
call.
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from extractors.readers.ink import red_mask, work_copy
from extractors.readers.seal_rings import colourless, find_faint_red_seals, find_grey_seals
from extractors.readers.signatures import find_signatures
from extractors.text import rulings
from idp.models import BBox, Mark, MarkKind, PageText, TextSource
from idp.models.schema import BUYER_WORDS, PARTY_LETTERS, SELLER_WORDS

logger = logging.getLogger(__name__)

#: Resolution text-layer pages are rendered at for mark detection (dpi).
_TEXT_DPI = 100
#: A seal's smaller side as a share of the page width, and its larger side at most.
_SEAL_MIN, _SEAL_MAX = 0.06, 0.5
#: Share of rays from the blob centre that must hit red ink near the outline (a ring or a frame).
_RING_COVER = 0.6
#: A blob this many times longer than wide may be two overlapping stamps; each end must hold a ring this well.
_PAIR_LONG, _PAIR_COVER = 1.3, 0.85
#: OCR text a stamp covers this much of (share of the text's box) is read through red ink: its confidence is
#: capped below the usual straight-through bar, however sure the recogniser was (a digit under a ring's
#: stroke reads confidently wrong).
_UNDER_SEAL_SHARE, _UNDER_SEAL_CAP = 0.25, 0.9
_CONTRACT = re.compile(r"合同|协议|订单|订货单|订购单")
#: A contract's party words (the schema's role words and letters, longest first: 供货方 is not 供方).
_PARTY = re.compile("|".join(sorted((*BUYER_WORDS, *SELLER_WORDS, *PARTY_LETTERS), key=len, reverse=True)))


def looks_like_contract(pages: list[PageText]) -> bool:
    """Contract words and party role words somewhere in the file."""
    text = "".join("".join(p.text.split()) for p in pages)
    return bool(_CONTRACT.search(text)) and len(set(_PARTY.findall(text))) >= 2


def find_seals(image_bgr: np.ndarray) -> list[Mark]:
    """Red stamp-shaped blobs: seal-sized, roughly round or rectangular, with ink along their outline; and
    rings with a star where the red is too faint for that, or where the page has no colour at all."""
    small, scale = work_copy(image_bgr)
    h, w = small.shape[:2]
    red = red_mask(small)
    if cv2.countNonZero(red) < 0.0005 * h * w and colourless(small):
        return find_grey_seals(small)
    blobs = _red_seals(red) if cv2.countNonZero(red) >= 0.0005 * h * w else []
    rings = find_faint_red_seals(small)
    marks: list[Mark] = []
    for blob in blobs:  # a blob holding two rings is two stamps pressed one over the other
        held = [r for r in rings if _centre_in(r, blob)]
        marks += held if len(held) >= 2 else [blob]
    marks += [r for r in rings if not any(_centre_in(r, m) for m in blobs)]
    logger.debug("seals: %d found (scale %.2f)", len(marks), scale)
    return marks


def _centre_in(mark: Mark, outer: Mark) -> bool:
    return outer.bbox.x0 <= mark.bbox.cx <= outer.bbox.x1 and outer.bbox.y0 <= mark.bbox.cy <= outer.bbox.y1


def _red_seals(red: np.ndarray) -> list[Mark]:
    h, w = red.shape[:2]
    k = max(3, int(0.012 * w)) | 1
    merged = cv2.morphologyEx(red, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(merged)
    marks: list[Mark] = []
    for x, y, bw, bh, _area in sorted(stats[1:n].tolist(), key=lambda s: -s[2] * s[3]):
        if min(bw, bh) < _SEAL_MIN * w or max(bw, bh) > _SEAL_MAX * w:
            continue
        found = _pair(red, x, y, bw, bh) or _one_or_two(red, x, y, bw, bh)
        for sx, sy, sw, sh, cover in found:
            confidence = round(min(0.99, 0.55 + 0.45 * cover), 3)
            if any(_inside(sx, sy, sw, sh, m.bbox, w, h) for m in marks):
                continue  # the star or text inside a ring already found
            marks.append(Mark(kind=MarkKind.SEAL, bbox=BBox.from_points(sx, sy, sx + sw, sy + sh, w, h),
                              confidence=confidence))
    return marks


def _pair(red: np.ndarray, x: int, y: int, bw: int, bh: int) -> list[tuple[int, int, int, int, float]] | None:
    """Two round stamps that overlap (signing blocks set close) merge into one long blob: when both squares at
    the ends of its long side hold a ring, they are two seals, each with its ring cover; else None.

    One oval stamp leaves the inner side of each end square without ink, so it stays one seal."""
    side, long = min(bw, bh), max(bw, bh)
    if long < _PAIR_LONG * side:
        return None
    ends = [(x, y), (x + bw - side, y + bh - side)]
    out = []
    for ex, ey in ends:
        box = red[ey : ey + side, ex : ex + side]
        cover = _ring_cover(box, ellipse=True)
        if cover < _PAIR_COVER or not 0.04 <= cv2.countNonZero(box) / float(side * side) <= 0.7:
            return None
        out.append((ex, ey, side, side, cover))
    return out


def _single(red: np.ndarray, x: int, y: int, bw: int, bh: int) -> list[tuple[int, int, int, int, float]] | None:
    """One stamp: seal-shaped, with ink along its outline."""
    if not 0.45 <= bw / bh <= 2.2:
        return None
    box = red[y : y + bh, x : x + bw]
    if not 0.04 <= cv2.countNonZero(box) / float(bw * bh) <= 0.7:
        return None
    cover = max(_ring_cover(box, ellipse=True), _ring_cover(box, ellipse=False))
    return [(x, y, bw, bh, cover)] if cover >= _RING_COVER else None


def _one_or_two(red: np.ndarray, x: int, y: int, bw: int, bh: int) -> list[tuple[int, int, int, int, float]]:
    """One stamp, or two pressed on a diagonal: the reading whose rings are the better fit."""
    one, two = _single(red, x, y, bw, bh), _diagonal_pair(red, x, y, bw, bh)
    if two and (one is None or min(c for *_, c in two) > one[0][4]):
        return two
    return one or []


def _diagonal_pair(red: np.ndarray, x: int, y: int, bw: int, bh: int) -> list[tuple[int, int, int, int, float]]:
    """Two round stamps pressed one above and beside the other (stacked signing blocks) merge into a squarish
    blob that is neither one ring nor a long pair: two seals when the squares in two opposite corners, for
    some stamp size, each hold a ring; else none."""
    best: list[tuple[int, int, int, int, float]] = []
    for share in np.linspace(0.5, 0.75, 6):  # offset by a quarter of the blob or more: never one ring
        side = int(share * min(bw, bh))
        if side < 8:
            continue
        for corners in (((x, y), (x + bw - side, y + bh - side)), ((x + bw - side, y), (x, y + bh - side))):
            found = []
            for ex, ey in corners:
                box = red[ey : ey + side, ex : ex + side]
                cover = _ring_cover(box, ellipse=True)
                if cover < _PAIR_COVER or not 0.04 <= cv2.countNonZero(box) / float(side * side) <= 0.7:
                    break
                found.append((ex, ey, side, side, cover))
            if len(found) == 2 and min(f[4] for f in found) > min((f[4] for f in best), default=0.0):
                best = found
    return best


def _inside(x: int, y: int, bw: int, bh: int, outer: BBox, w: int, h: int) -> bool:
    return (
        outer.x0 * w - 2 <= x
        and outer.y0 * h - 2 <= y
        and x + bw <= outer.x1 * w + 2
        and y + bh <= outer.y1 * h + 2
    )


def _ring_cover(box: np.ndarray, *, ellipse: bool, rays: int = 72) -> float:
    """Share of rays from the centre meeting ink in the outer band (0.75..1.0 of the way to the edge)."""
    bh, bw = box.shape
    cx, cy = bw / 2, bh / 2
    hits = 0
    for i in range(rays):
        a = 2 * math.pi * i / rays
        dx, dy = math.cos(a), math.sin(a)
        if ellipse:
            reach = 1.0
        else:  # distance to the rectangle's edge along the ray, in units of the half sides
            reach = 1.0 / max(abs(dx), abs(dy), 1e-6)
        found = False
        for t in np.linspace(0.75, 1.0, 8):
            px = int(cx + dx * t * reach * (bw / 2 - 1))
            py = int(cy + dy * t * reach * (bh / 2 - 1))
            if 0 <= px < bw and 0 <= py < bh and box[py, px]:
                found = True
                break
        hits += found
    return hits / rays


def find_marks(image_bgr: np.ndarray, page: PageText) -> list[Mark]:
    """Seals and signatures on one page image aligned with ``page``."""
    seals = find_seals(image_bgr)
    return seals + find_signatures(image_bgr, page, seals)


def annotate(path: Path, kind: str, pages: list[PageText]) -> list[PageText]:
    """``pages`` with seal and signature marks added, when the file reads like a contract (else unchanged)."""
    if kind not in ("pdf", "jpeg", "png", "tiff", "bmp") or not pages or not looks_like_contract(pages):
        return pages
    out = []
    drawn = _pdf_rules(Path(path), pages) if kind == "pdf" else {}
    for page, image in zip(pages, _page_images(Path(path), kind, pages), strict=True):
        if image is None:
            out.append(page)
            continue
        lines = drawn.get(page.page_no)
        if lines is None:  # an image (or an OCR'd page): rules from its pixels
            lines = rulings.rule_marks_from_image(image)
        marks = find_marks(image, page)
        page = under_seals_capped(page, [m.bbox for m in marks if m.kind == MarkKind.SEAL])
        out.append(page.model_copy(update={"marks": [*page.marks, *marks, *lines]}))
    return out


def _covered(box: BBox, seal: BBox) -> float:
    """Share of ``box`` inside ``seal``."""
    w = min(box.x1, seal.x1) - max(box.x0, seal.x0)
    h = min(box.y1, seal.y1) - max(box.y0, seal.y0)
    area = (box.x1 - box.x0) * (box.y1 - box.y0)
    return w * h / area if w > 0 and h > 0 and area > 0 else 0.0


def under_seals_capped(page: PageText, seals: list[BBox]) -> PageText:
    """An OCR page whose lines and words under a stamp carry at most ``_UNDER_SEAL_CAP``; a text layer's
    characters are the document's own and stay as they are."""
    if page.source != TextSource.OCR or not seals:
        return page

    def cap(item: Any) -> Any:
        if item.confidence > _UNDER_SEAL_CAP and any(_covered(item.bbox, s) >= _UNDER_SEAL_SHARE for s in seals):
            return item.model_copy(update={"confidence": _UNDER_SEAL_CAP})
        return item

    lines = []
    for line in page.lines:
        words = [cap(w) for w in line.words]
        capped = cap(line)
        if any(w.confidence < o.confidence for w, o in zip(words, line.words, strict=True)):
            capped = capped.model_copy(update={"confidence": min(capped.confidence, _UNDER_SEAL_CAP)})
        lines.append(capped.model_copy(update={"words": words}))
    return page.model_copy(update={"lines": lines})


def _pdf_rules(path: Path, pages: list[PageText]) -> dict[int, list[Mark]]:
    """Ruling lines a PDF draws, for its text-layer pages (table borders for the contract's goods table)."""
    wanted = {p.page_no: p for p in pages if p.source == TextSource.TEXT_LAYER}
    if not wanted:
        return {}
    import pypdfium2 as pdfium

    out: dict[int, list[Mark]] = {}
    try:
        doc = pdfium.PdfDocument(str(path))
        try:
            for n, page in wanted.items():
                if n <= len(doc):
                    out[n] = rulings.rule_marks_from_pdf(doc[n - 1], page)
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - rules are a hint; a PDF whose paths cannot be read still reads without
        logger.info("%s: no ruling lines read", path.name, exc_info=True)
    return out


def _page_images(path: Path, kind: str, pages: list[PageText]) -> list[np.ndarray | None]:
    """Each page as the image its boxes refer to: a low-dpi render of a text layer, or the OCR'd image
    rebuilt with the same geometric steps (crop, turns, deskew) the OCR reader took."""
    from extractors.readers.dispatch import RENDER_DPI, render_page
    from extractors.readers.image import load_frames

    if kind == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            raw = []
            for i, page in enumerate(pages):
                if i >= len(doc):
                    raw.append(None)
                    continue
                dpi = _TEXT_DPI if page.source == TextSource.TEXT_LAYER else RENDER_DPI
                raw.append(render_page(doc[i], dpi=dpi))
        finally:
            doc.close()
    else:
        raw = [frame for frame, _, _ in load_frames(path)][: len(pages)]
        raw += [None] * (len(pages) - len(raw))
    return [None if img is None else _as_read(img, page) for img, page in zip(raw, pages, strict=True)]


def _as_read(image: np.ndarray, page: PageText) -> np.ndarray:
    if page.source != TextSource.OCR:
        return image
    from extractors.readers.preprocess import PreprocessOptions, prepare

    geometry = PreprocessOptions(illumination=False, seal=False, upscale=False,
                                 orientation="kept_upright" not in page.preprocessing)
    prepared = prepare(image, geometry).image
    if "rotate_180" in page.preprocessing:
        prepared = cv2.rotate(prepared, cv2.ROTATE_180)
    return prepared
