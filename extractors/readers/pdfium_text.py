"""A PDF text layer read through pdfium (pypdfium2): the same ``PageText`` as :mod:`pdf_text`, many times
faster.

pdfplumber spends 0.3-0.8 s on a dense statement page; pdfium's text API gives every character's box in a few
milliseconds, so long documents (a 30-page statement) are read here. Words are cut at spaces, at gaps wider
than ``_WORD_GAP`` text heights, at line changes and after a label colon, as pdf_text does.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from statistics import median

import numpy as np

from extractors.readers.normalize import normalize_text
from idp.models import BBox, PageText, TextLine, TextSource, Word

logger = logging.getLogger(__name__)

#: A horizontal gap wider than this many text heights starts a new word (pdfplumber's x_tolerance is 3 pt).
_WORD_GAP = 0.3
#: Two characters are on one line when their centres differ by less than this share of the height.
_SAME_LINE = 0.5
_LABEL_ENDS = ":："


def is_available() -> bool:
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


def read_pdf(path: Path, *, normalise: bool = False) -> list[PageText]:
    """One :class:`PageText` per page (no checks of the file: callers run :func:`pdf_text.page_count` first).

    ``normalise`` applies :func:`normalize_text` to every word as it is built (what ``normalize_page`` would
    do afterwards, without copying every line and word again).
    """
    return read_pdf_reporting_losses(path, normalise=normalise)[0]


def read_pdf_reporting_losses(path: Path, *, normalise: bool = False) -> tuple[list[PageText], set[int]]:
    """The pages, and the numbers of those where pdfium dropped text objects it could not lay out.

    pdfium leaves a text object empty, with a zero-size box, when it cannot load the object's font for text
    extraction (seen on 2019 Tianjin e-invoices: every KaiTi_GB2312 label, 年/月/日 and 购买方 among them,
    while pdfminer reads them); such pages must be read by another reader.
    """
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        pages, lost = [], set()
        for i in range(len(doc)):
            page = doc[i]
            pages.append(_page(i + 1, page, normalise))
            if lost_text_objects(page):
                lost.add(i + 1)
        return pages, lost
    finally:
        doc.close()


def lost_text_objects(page: object) -> int:
    """Text objects (forms included) that pdfium gave a zero-size box: glyphs it could not place (~1 ms)."""
    import ctypes

    import pypdfium2.raw as raw

    edges = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(e) for e in edges]
    lost = 0
    pending = [(raw.FPDFPage_CountObjects(page.raw), page.raw, raw.FPDFPage_GetObject)]  # type: ignore[attr-defined]
    while pending:
        count, owner, get = pending.pop()
        for i in range(count):
            obj = get(owner, i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                raw.FPDFPageObj_GetBounds(obj, *refs)
                left, bottom, right, top = (e.value for e in edges)
                lost += right <= left and top <= bottom
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                pending.append((raw.FPDFFormObj_CountObjects(obj), obj, raw.FPDFFormObj_GetObject))
    return lost


_normal = lru_cache(maxsize=65536)(normalize_text)


def _page(number: int, page: object, normalise: bool = False) -> PageText:
    width, height = page.get_size()  # type: ignore[attr-defined]
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        if len(text) != n:  # surrogate pairs or a text range that does not map 1:1: ask per character
            import pypdfium2.raw as raw

            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n))
        boxes = _char_boxes(textpage, n)
    finally:
        textpage.close()
    words = _words(text, boxes, width, height)
    if normalise:
        words = [
            w if (t := _normal(w.text)) == w.text else Word(text=t, bbox=w.bbox, confidence=w.confidence)
            for w in words
        ]
        words = [w for w in words if w.text]
    return PageText(
        page_no=number,
        width=width,
        height=height,
        source=TextSource.TEXT_LAYER,
        lines=_lines(words, width / height),
    )


def _words(
    text: str, boxes: list[tuple[float, float, float, float]], width: float, height: float
) -> list[Word]:
    """Characters (pdf coordinates, y up) → words with normalised boxes (y down); vectorised, since a
    statement page has thousands of characters."""
    n = len(text)
    if n == 0:
        return []
    b = np.asarray(boxes, dtype=np.float64).reshape(n, 4)
    left, bottom, right, top = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    blank = np.fromiter((ch.isspace() for ch in text), bool, n) | (right <= left)
    colon = np.fromiter((ch in _LABEL_ENDS for ch in text), bool, n)
    cy, h = (top + bottom) / 2, np.maximum(top - bottom, 1e-6)
    hmax = np.maximum(h[1:], h[:-1])
    starts = np.ones(n, bool)  # a word starts at char i when it is cut from char i-1
    starts[1:] = (
        blank[:-1]
        | colon[:-1]
        | (np.abs(cy[1:] - cy[:-1]) >= _SAME_LINE * hmax)
        | (left[1:] - right[:-1] > _WORD_GAP * hmax)
        | (left[1:] < left[:-1] - 0.5 * hmax)
    )
    keep = ~blank
    ids = np.cumsum(starts) - 1
    ids = ids[keep]
    if ids.size == 0:
        return []
    idx = np.flatnonzero(keep)
    cut = np.flatnonzero(np.diff(ids)) + 1
    bounds = np.concatenate(([0], cut, [ids.size]))
    x0 = np.minimum.reduceat(left[idx], bounds[:-1]) / width
    x1 = np.maximum.reduceat(right[idx], bounds[:-1]) / width
    y0 = (height - np.maximum.reduceat(top[idx], bounds[:-1])) / height
    y1 = (height - np.minimum.reduceat(bottom[idx], bounds[:-1])) / height
    x0, x1, y0, y1 = (np.clip(a, 0.0, 1.0).tolist() for a in (x0, x1, y0, y1))
    kept = [text[i] for i in idx.tolist()]
    words = []
    for k in range(len(bounds) - 1):
        s = "".join(kept[bounds[k] : bounds[k + 1]])
        box = BBox(x0=x0[k], y0=y0[k], x1=x1[k], y1=y1[k])
        words.append(Word(text=s, bbox=box, confidence=1.0))
    return words


def _char_boxes(textpage: object, n: int) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every character: font-height boxes, so CJK and digits line up."""
    import ctypes

    import pypdfium2.raw as raw

    rect = raw.FS_RECTF()
    ref, handle, loose = ctypes.byref(rect), textpage.raw, raw.FPDFText_GetLooseCharBox  # type: ignore[attr-defined]
    out = []
    for i in range(n):
        loose(handle, i, ref)
        out.append((rect.left, rect.bottom, rect.right, rect.top))
    return out


def _clamp(v: float) -> float:
    return min(1.0, max(0.0, v))


def _lines(words: list[Word], aspect: float) -> list[TextLine]:
    """Words into lines by vertical centre (as ``pdf_text.group_lines``), comparing only the last few lines:
    words come sorted top-down, so a word can only join a recent line (linear time on long pages)."""
    rows: list[list[Word]] = []
    centres: list[float] = []
    heights: list[float] = []
    for word in sorted(words, key=lambda w: ((w.bbox.y0 + w.bbox.y1) / 2, w.bbox.x0)):
        cy, h = (word.bbox.y0 + word.bbox.y1) / 2, word.bbox.y1 - word.bbox.y0
        best, best_dist = -1, 0.0
        for i in range(max(0, len(rows) - 4), len(rows)):
            dist = abs(cy - centres[i])
            if dist <= _SAME_LINE * min(h, heights[i]) and (best < 0 or dist < best_dist):
                best, best_dist = i, dist
        if best < 0:
            rows.append([word])
            centres.append(cy)
            heights.append(h)
        else:
            rows[best].append(word)
            n = len(rows[best])
            centres[best] += (cy - centres[best]) / n
            heights[best] += (h - heights[best]) / n
    lines = []
    for row in rows:
        row.sort(key=lambda w: w.bbox.x0)
        gap = 0.15 * median(w.bbox.y1 - w.bbox.y0 for w in row) / aspect
        parts = [row[0].text]
        for prev, word in zip(row, row[1:], strict=False):
            if word.bbox.x0 - prev.bbox.x1 > gap:
                parts.append(" ")
            parts.append(word.text)
        box = BBox(
            x0=min(w.bbox.x0 for w in row),
            y0=min(w.bbox.y0 for w in row),
            x1=max(w.bbox.x1 for w in row),
            y1=max(w.bbox.y1 for w in row),
        )
        lines.append(TextLine(text="".join(parts), bbox=box, confidence=1.0, words=row))
    return sorted(lines, key=lambda ln: ((ln.bbox.y0 + ln.bbox.y1) / 2, ln.bbox.x0))
