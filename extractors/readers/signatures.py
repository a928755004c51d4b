"""Signatures on page images: dark or blue ink outside every text box, neither a table rule nor a seal.

Blue is a pen's: it is never taken for a rule, it stays whole where it crosses a stamp, it may form a flatter
blob than print, and under a line OCR read unsure (perhaps the signature itself) it is kept while
print-coloured ink is erased.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from extractors.readers.ink import red_mask, work_copy
from extractors.text.glyphs import display_width
from extractors.text.patterns import SCRIBBLE_AFTER_NAME
from idp.models import BBox, Mark, MarkKind, PageText, TextSource

#: A straight dark stroke at least this share of the page width long is a rule or an underline, not
#: handwriting (a flat signature's strokes run to 4-6 %: at 4 % they were erased as rules, and signatures in
#: foreign scans were missed). Blue ink is a pen's and is never taken for a rule.
_RULE_W = 0.08
#: Signature blob limits (share of page width / height) and ink density inside its box.
_SIGN_W, _SIGN_H, _SIGN_DENSITY = (0.025, 0.35), (0.008, 0.1), (0.02, 0.45)
#: The lowest a blob of mostly blue (pen) ink may be: a flat scribble, partly hidden under a stamp.
_PEN_H = 0.005

def find_signatures(image_bgr: np.ndarray, page: PageText, seals: list[Mark]) -> list[Mark]:
    """Blobs of handwriting-like ink (dark or blue) outside the page's text boxes, rules and seals."""
    small, _ = work_copy(image_bgr)
    h, w = small.shape[:2]
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    paper = float(np.percentile(gray, 90))
    blue = (hsv[..., 0] >= 95) & (hsv[..., 0] <= 135) & (hsv[..., 1] >= 60) & (hsv[..., 2] <= 220)
    # a stamp's fringe (ink too pale or too thin for the red test) is not dark ink: red is dark to a grey test
    red = red_mask(small)
    stamp = cv2.dilate(red, np.ones((5, 5), np.uint8))
    ink = ((gray < 0.6 * paper) & (stamp == 0)) | (blue & (red == 0))  # a pen's line crossing a stamp stays whole
    mask = ink.astype(np.uint8) * 255
    cell = _cell_width(page)
    pen = (blue & (red == 0)).astype(np.uint8) * 255
    for line in page.lines:
        # a line OCR read unsure may be a signature it tried to read: only its print-coloured ink is text
        unsure = page.source == TextSource.OCR and (line.confidence < 0.8 or len(line.text) < 2)
        for word in line.words or []:
            _erase(mask, _text_part(word.bbox, word.text, cell), w, h, pad=0.25, keep=pen if unsure else None)
    for size in ((max(15, int(_RULE_W * w)), 1), (1, max(15, h // 30))):  # table rules and underlines
        # a rule runs on under a stamp's ink: measured with the stamp, its pieces between the strokes go too
        lines = cv2.morphologyEx(cv2.bitwise_or(mask, stamp), cv2.MORPH_OPEN,
                                 cv2.getStructuringElement(cv2.MORPH_RECT, size))
        mask = cv2.subtract(mask, cv2.subtract(cv2.dilate(lines, np.ones((3, 3), np.uint8)), pen))
    k = max(3, int(0.012 * w))
    merged = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, max(3, k // 2))))
    n, _, stats, _ = cv2.connectedComponentsWithStats(merged)
    marks = []
    for x, y, bw, bh, _area in stats[1:n].tolist():
        inked = cv2.countNonZero(mask[y : y + bh, x : x + bw])
        # a pen's flat scribble may be lower than any print's stroke; print is never blue
        lowest = _PEN_H if cv2.countNonZero(cv2.bitwise_and(mask, pen)[y : y + bh, x : x + bw]) > 0.5 * inked \
            else _SIGN_H[0]
        if not (_SIGN_W[0] * w <= bw <= _SIGN_W[1] * w and lowest * h <= bh <= _SIGN_H[1] * h):
            continue
        density = inked / float(bw * bh)
        if not _SIGN_DENSITY[0] <= density <= _SIGN_DENSITY[1]:
            continue
        marks.append(
            Mark(kind=MarkKind.SIGNATURE, bbox=BBox.from_points(x, y, x + bw, y + bh, w, h), confidence=0.8)
        )
    return marks


#: A line asking for a signature (法定代表人（签字）：): OCR's box of it may run on over the signature beside it.
#: OCR may read the signature itself as a letter or two after the colon (签字）：D).
#: OCR may garble the cue itself (签字）： read as ``(签:)`` or ``(字)``).
_SIGN_CUE = re.compile(r"(?P<cue>(?:签[字名章署]?|(?<=[(（])[字名章])[)）]?\s*[:：]?[)）]?)[^\u4e00-\u9fff]{0,4}$")


def _cell_width(page: PageText) -> float | None:
    """The page's width of one half-width cell (page units): the median over its longer OCR lines."""
    if page.source != TextSource.OCR:
        return None
    units = [ln.bbox.width / display_width(ln.text) for ln in page.lines
             if len(ln.text) >= 6 and ln.confidence >= 0.8 and not _SIGN_CUE.search(ln.text)]
    return float(np.median(units)) if len(units) >= 3 else None


def _text_part(box: BBox, text: str, cell: float | None) -> BBox:
    """The part of an OCR box its text fills: a signing cue's box, or a name's box ending in a letter or two,
    that runs more than three cells past what its characters need ends where they do (the rest is the
    signature written after the colon or after the name)."""
    cue, scribble = _SIGN_CUE.search(text), SCRIBBLE_AFTER_NAME.search(text)
    if cell is None or (cue is None and scribble is None):
        return box
    text_end = cue.end("cue") if cue is not None else scribble.start()  # type: ignore[union-attr]
    end = box.x0 + (display_width(text[:text_end]) + 1) * cell
    return box if box.x1 <= end + 2 * cell else BBox(x0=box.x0, y0=box.y0, x1=end, y1=box.y1)


def _erase(mask: np.ndarray, b: BBox, w: int, h: int, pad: float, keep: np.ndarray | None = None) -> None:
    """Clears ``b`` (padded) in ``mask``, except the pixels ``keep`` marks."""
    ph = (b.y1 - b.y0) * h * pad
    x0, y0 = max(0, int(b.x0 * w - ph)), max(0, int(b.y0 * h - ph))
    x1, y1 = min(w, int(b.x1 * w + ph) + 1), min(h, int(b.y1 * h + ph) + 1)
    if keep is None:
        mask[y0:y1, x0:x1] = 0
    else:
        mask[y0:y1, x0:x1] = cv2.bitwise_and(mask[y0:y1, x0:x1], keep[y0:y1, x0:x1])
