"""Pages of text runs at given positions, for contract extractor tests that need a layout nobody generated."""

from __future__ import annotations

from idp.models import BBox, PageText, TextLine, TextSource, Word

#: Page size in points (A4) and the height of one text line.
W, H, LINE = 595.0, 842.0, 10.0


def page(rows: list[list[tuple[str, float]]], *, page_no: int = 1, top: float = 60.0, step: float = 18.0,
         source: TextSource = TextSource.TEXT_LAYER) -> PageText:
    """A page whose row ``i`` holds runs ``(text, x0)`` (x in points) at y = top + i·step; each run is one
    word about 10 points per Chinese character wide (5.5 per other character)."""
    lines = []
    for i, runs in enumerate(rows):
        y = top + i * step
        words = []
        for text, x0 in runs:
            width = sum(10.0 if ord(ch) > 0x2E80 else 5.5 for ch in text)
            words.append(Word(text=text, bbox=BBox.from_points(x0, y, x0 + width, y + LINE, W, H)))
        if words:
            box = BBox(x0=min(w.bbox.x0 for w in words), y0=words[0].bbox.y0, x1=max(w.bbox.x1 for w in words),
                       y1=words[0].bbox.y1)
            lines.append(TextLine(text=" ".join(w.text for w in words), bbox=box, words=words))
    return PageText(page_no=page_no, width=W, height=H, source=source, lines=lines)
