"""Building invoice fields from spans: where a value was read, from which source, and how sure the read is.

An OCR read is never as sure as a text layer: its confidence is the line's OCR score times ``OCR_PRIOR``, so a
value read by OCR alone stays under the straight-through thresholds until another source or a check backs it.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.text.layout import Box, Char, Layout, Span
from extractors.text.patterns import Normaliser
from idp.models import ExtractedField, FieldSource, TextSource

#: Confidence of a value found beside its label and in the expected format.
SURE = 0.99
#: Confidence of a value found under its label (layouts that stack label and value).
BELOW = 0.9
#: Confidence of a value found by a weak fallback (pattern without its label).
WEAK = 0.7
#: Share of the OCR score a value read by OCR keeps (the OCR score is not a probability of being right).
OCR_PRIOR = 0.93
_SOURCES = {
    TextSource.TEXT_LAYER: FieldSource.TEXT_LAYER,
    TextSource.OFD: FieldSource.OFD,
    TextSource.OCR: FieldSource.OCR,
}


def make_field(
    layout: Layout, name: str, value: str | None, span: Span | None, confidence: float
) -> ExtractedField:
    """A field read from ``span`` of ``layout``; OCR reads are scaled by their score and ``OCR_PRIOR``."""
    if layout.source == TextSource.OCR and span is not None and span.chars:
        confidence = confidence * OCR_PRIOR * layout.confidence(span)
    return ExtractedField(
        name=name,
        value=value,
        confidence=round(max(0.0, min(1.0, confidence)), 4),
        page=layout.page_no,
        bbox=layout.bbox(span.box) if span is not None and span.chars else None,
        source=_SOURCES.get(layout.source, FieldSource.TEXT_LAYER),
        raw=span.text if span is not None else None,
    )


def labelled(
    layout: Layout, label: re.Pattern[str], normalise: Normaliser, **kw: Any
) -> tuple[str, Span] | None:
    """The first label occurrence with a fitting value right of it."""
    for found in layout.find(label):
        span = right_of_clean(layout, found, **kw)
        value = normalise(span.text) if span is not None else None
        if span is not None and value is not None:
            return value, span
    return None


def under(layout: Layout, label: re.Pattern[str], normalise: Normaliser) -> tuple[str, Span] | None:
    """The first label occurrence with a fitting value printed under it."""
    for found in layout.find(label):
        span = layout.below(found)
        value = normalise(span.text) if span is not None else None
        if span is not None and value is not None:
            return value, span
    return None


def fallback(
    layout: Layout,
    pattern: re.Pattern[str],
    normalise: Normaliser,
    taken: set[str],
    *,
    y_max: float | None = None,
) -> tuple[str, Span] | None:
    """First match of ``pattern`` in a row (above ``y_max``) whose value no other field uses yet."""
    for row in range(len(layout.lines)):
        span = layout.line_span(row)
        if not span.chars or (y_max is not None and span.box.y0 > y_max):
            continue
        for m in pattern.finditer(span.text):
            value = normalise(m.group(m.lastindex or 0))
            if value is not None and value not in taken:
                start, end = m.span(m.lastindex or 0)
                return value, span.part(start, end)
    return None


#: How far (text heights) a value's centre may sit above or below its label's centre and still be read as on
#: the label's row: forms whose label is printed half a line off its amounts (合计 under ¥ 20.75 ¥ 1.25).
BAND = 0.75


def band_chars(layout: Layout, anchor: Box, *, x_min: float = float("-inf")) -> list[Char]:
    """Characters right of ``x_min`` whose words are centred within ``BAND`` text heights of ``anchor``'s row;
    the nearest row wins when two are in reach (rows of a table are further apart than that)."""
    near = [
        (abs(box.cy - anchor.cy), i)
        for i, (_, box) in enumerate(layout.words)
        if abs(box.cy - anchor.cy) <= BAND * max(layout.h, anchor.h) and box.x1 > x_min
    ]
    if not near:
        return []
    best = layout.words[min(near)[1]][1]
    chars = [
        c
        for _, i in near
        if layout.words[i][1].same_row(best) or layout.words[i][1].same_row(anchor)
        for c in layout.chars[i]
        if c.box.cx >= x_min
    ]
    return sorted(chars, key=lambda c: c.box.x0)


def right_of_clean(
    layout: Layout,
    label: Span,
    *,
    first_gap: float = 4.0,
    next_gap: float = 2.0,
    x_max: float = float("inf"),
    stop: re.Pattern[str] | None = None,
) -> Span | None:
    """As ``Layout.right_of``, but of two reader words that lie over each other (two OCR lines of a curled or
    tilted page on one band) only the one nearer the label's row is read, so their characters never interleave
    (``深圳9市2南4山…`` from an address over a taxpayer id)."""
    box = label.box
    own = {id(c) for c in label.chars}
    near = [
        i for i, (_, b) in enumerate(layout.words)
        if b.same_row(box) and b.x1 > box.x1 - 0.3 * layout.h and b.x0 < x_max
    ]
    keep = [i for i in near if not any(_hidden_by(layout.words[i][1], layout.words[j][1], box) for j in near if j != i)]
    chars = _undoubled(sorted(
        (c for i in keep for c in layout.chars[i]
         if id(c) not in own and c.box.x0 >= box.x1 - 0.3 * layout.h and c.box.cx <= x_max),
        key=lambda c: c.box.x0,
    ))
    while chars and chars[0].ch in ":：;；" and chars[0].box.x0 - box.x1 < first_gap * layout.h:
        box = chars.pop(0).box
    if not chars or chars[0].box.x0 - box.x1 > first_gap * layout.h:
        return None
    run = [chars[0]]
    for c in chars[1:]:
        if c.box.x0 - run[-1].box.x1 > next_gap * layout.h:
            break
        run.append(c)
    span = layout.span(run)
    m = stop.search(span.text) if stop is not None else None
    if m:
        span = span.part(0, m.start())
    return span if span.chars else None


def _hidden_by(word: Box, other: Box, label: Box) -> bool:
    """``word`` overlaps ``other`` over most of the narrower one's width and ``other`` is nearer the label's row."""
    overlap = min(word.x1, other.x1) - max(word.x0, other.x0)
    narrow = min(word.x1 - word.x0, other.x1 - other.x0)
    apart = abs(word.cy - other.cy) > 0.25 * min(word.h, other.h)  # two lines, not a glyph box's overhang
    return apart and overlap > 0.3 * narrow and abs(other.cy - label.cy) < abs(word.cy - label.cy)


def _undoubled(chars: list[Char]) -> list[Char]:
    """Characters in x order without the ones two overlapping OCR boxes both hold (``号:9`` + ``9151…``): a
    character of another word that lies mostly over the same character just before it is dropped."""
    out: list[Char] = []
    for c in chars:
        prev = out[-1] if out else None
        if prev is not None and prev.word != c.word and prev.ch == c.ch:
            overlap = min(prev.box.x1, c.box.x1) - max(prev.box.x0, c.box.x0)
            if overlap > 0.5 * min(prev.box.x1 - prev.box.x0, c.box.x1 - c.box.x0):
                continue
        out.append(c)
    return out
