"""Page geometry for extractors: find labels in the words of a page and read the value printed beside them.

Works on characters with boxes (interpolated inside each word), in page units, so a label and its value may
be one word ("发票代码:0120...") or separate runs far apart, as on the JD invoices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from idp.models import BBox, PageText, Word

#: Share of the smaller height two boxes must overlap vertically to count as on the same row.
_ROW_OVERLAP = 0.5
#: A word this many times taller than the text (and than its per-character width) was read down a column.
_VERTICAL_HEIGHT = 1.7
#: A gap wider than this many text heights is visible (a space in value text).
_SPACE_GAP = 0.15


#: What ends a label: a colon, or a semicolon (how OCR often reads a colon; no value starts with one).
_LABEL_COLONS = ":：;；"


@dataclass(frozen=True)
class Box:
    """A rectangle in page units (x right, y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1)
        )

    def same_row(self, other: Box) -> bool:
        overlap = min(self.y1, other.y1) - max(self.y0, other.y0)
        return overlap >= _ROW_OVERLAP * min(self.h, other.h)


@dataclass(frozen=True)
class Char:
    ch: str
    box: Box
    word: int  #: index of the word it came from


@dataclass
class Span:
    """Some characters of a page, in reading order, with their text and box."""

    chars: list[Char] = field(default_factory=list)
    text: str = ""

    @property
    def box(self) -> Box:
        box = self.chars[0].box
        for c in self.chars[1:]:
            box = box.union(c.box)
        return box

    def part(self, start: int, end: int) -> Span:
        """The sub-span for ``text[start:end]`` (indexes into the text, which has spaces the chars lack)."""
        first = len(self.text[:start].replace(" ", ""))
        last = len(self.text[:end].replace(" ", ""))
        return Span(chars=self.chars[first:last], text=self.text[start:end].strip())


class Layout:
    """The characters of one page, with label search and value reading."""

    def __init__(self, page: PageText) -> None:
        self.page_no = page.page_no
        self.source = page.source
        self.width, self.height = page.width, page.height
        self.words: list[tuple[str, Box]] = []
        self.confidences: list[float] = []  #: the reader's confidence of each word
        for line in page.lines:
            for word in line.words or [Word(text=line.text, bbox=line.bbox, confidence=line.confidence)]:
                self.words.append((word.text, self._box(word.bbox)))
                self.confidences.append(min(word.confidence, line.confidence))
        heights = [box.h for text, box in self.words if text.strip()]
        self.h = median(heights) if heights else 1.0  #: typical text height
        self._split_vertical()
        self.chars: list[list[Char]] = [self._chars(i, text, box) for i, (text, box) in enumerate(self.words)]
        #: word indexes of each visual row (top-down), left to right: readers that cut a row into cells
        #: (OFD runs, OCR lines) and those that do not (PDF text layer) give the same rows.
        self.lines: list[list[int]] = self._rows()
        self._texts: list[tuple[list[Char], str]] | None = None

    def _split_vertical(self) -> None:
        """OCR sometimes reads single characters stacked in a column (units of successive item rows, a
        vertical label) as one tall line: give each character its own box, one above the other."""
        words: list[tuple[str, Box]] = []
        confidences: list[float] = []
        for (text, box), conf in zip(self.words, self.confidences, strict=True):
            chars = text.strip()
            if (
                len(chars) >= 2
                and box.h > _VERTICAL_HEIGHT * self.h
                and box.h > _VERTICAL_HEIGHT * (box.x1 - box.x0) / len(chars)
                and all("\u4e00" <= ch <= "\u9fff" for ch in chars)
            ):
                step = box.h / len(chars)
                for i, ch in enumerate(chars):
                    words.append((ch, Box(box.x0, box.y0 + i * step, box.x1, box.y0 + (i + 1) * step)))
                    confidences.append(conf)
            else:
                words.append((text, box))
                confidences.append(conf)
        self.words, self.confidences = words, confidences

    def _rows(self) -> list[list[int]]:
        rows: list[list[int]] = []
        centres: list[float] = []
        heights: list[float] = []
        for i in sorted(range(len(self.words)), key=lambda i: (self.words[i][1].cy, self.words[i][1].x0)):
            box = self.words[i][1]
            best, best_dist = -1, 0.0
            for r in range(max(0, len(rows) - 12), len(rows)):
                dist = abs(box.cy - centres[r])
                if dist <= _ROW_OVERLAP * min(box.h, heights[r]) and (best < 0 or dist < best_dist):
                    best, best_dist = r, dist
            if best < 0:
                rows.append([i])
                centres.append(box.cy)
                heights.append(box.h)
                continue
            rows[best].append(i)
            n = len(rows[best])
            centres[best] += (box.cy - centres[best]) / n
            heights[best] += (box.h - heights[best]) / n
        order = sorted(range(len(rows)), key=lambda r: centres[r])
        return [sorted(rows[r], key=lambda i: self.words[i][1].x0) for r in order]

    def confidence(self, span: Span) -> float:
        """The lowest reader confidence of the words a span's characters come from (1.0 for no chars)."""
        return min((self.confidences[c.word] for c in span.chars), default=1.0)

    def _box(self, b: BBox) -> Box:
        return Box(b.x0 * self.width, b.y0 * self.height, b.x1 * self.width, b.y1 * self.height)

    @staticmethod
    def _chars(index: int, text: str, box: Box) -> list[Char]:
        n = max(len(text), 1)
        step = (box.x1 - box.x0) / n
        return [
            Char(ch, Box(box.x0 + i * step, box.y0, box.x0 + (i + 1) * step, box.y1), index)
            for i, ch in enumerate(text)
            if not ch.isspace()
        ]

    def bbox(self, box: Box) -> BBox:
        """The normalised BBox of a box in page units."""
        return BBox.from_points(box.x0, box.y0, box.x1, box.y1, self.width, self.height)

    def line_span(self, line: int) -> Span:
        return self.span([c for w in self.lines[line] for c in self.chars[w]])

    def _row_texts(self) -> list[tuple[list[Char], str]]:
        """Each row's characters and space-free text (computed once: ``find`` runs many times per page)."""
        if self._texts is None:
            self._texts = []
            for line in self.lines:
                chars = [c for w in line for c in self.chars[w]]
                self._texts.append((chars, "".join(c.ch for c in chars)))
        return self._texts

    def find(self, pattern: re.Pattern[str]) -> list[Span]:
        """Every match of ``pattern`` in the space-free text of each line, top-down then left-right."""
        found = []
        for chars, text in self._row_texts():
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    found.append(self.span(chars[m.start() : m.end()]))
        rows: list[list[Span]] = []
        for span in sorted(found, key=lambda s: s.box.cy):
            if rows and rows[-1][0].box.same_row(span.box):
                rows[-1].append(span)
            else:
                rows.append([span])
        return [span for row in rows for span in sorted(row, key=lambda s: s.box.x0)]

    def block_edges(self, markers: dict[str, str]) -> list[Box]:
        """Columns of vertical block labels (密/码, 备/注, 销/售): each box spans the marker and its partner.

        ``markers`` maps a first character to those printed under it; a value right of a label never
        crosses such a column, so the 密码区 and 备注 stay out of party values.
        """
        edges = []
        for text, box in self.words:
            word = text.strip()
            if len(word) == 2 and markers.get(word[0], "").find(word[1]) >= 0:
                edges.append(box)  # the reader joined the two characters (OCR: "密码", "备注")
                continue
            partner = markers.get(word)
            if partner is None:
                continue
            for other_text, other in self.words:
                if (
                    (other_text.strip()[:1] or "\0") in partner
                    and abs(other.x0 - box.x0) < 1.0 * self.h
                    and box.cy + 0.5 * self.h <= other.cy
                    and other.y0 <= box.y1 + 2.5 * self.h
                ):
                    edges.append(box.union(other))
                    break
        return edges

    def row_chars(self, anchor: Box, x_min: float = float("-inf"), x_max: float = float("inf")) -> list[Char]:
        """Characters on the same row as ``anchor`` whose centre lies in [x_min, x_max], left to right."""
        out = [
            c
            for i, (_, box) in enumerate(self.words)
            if box.same_row(anchor)
            for c in self.chars[i]
            if x_min <= c.box.cx <= x_max
        ]
        return sorted(out, key=lambda c: c.box.x0)

    def right_of(
        self,
        label: Span,
        *,
        first_gap: float = 4.0,
        next_gap: float = 2.0,
        x_max: float = float("inf"),
        stop: re.Pattern[str] | None = None,
    ) -> Span | None:
        """The run of characters printed right of ``label`` on its row.

        The run starts within ``first_gap`` text heights of the label (after a colon), continues while gaps
        stay under ``next_gap`` heights, and ends before ``x_max`` or where ``stop`` would match.
        """
        own = {id(c) for c in label.chars}
        box = label.box
        chars = [c for c in self.row_chars(box, box.x1 - 0.3 * self.h, x_max) if id(c) not in own]
        chars = [c for c in chars if c.box.x0 >= box.x1 - 0.3 * self.h]
        while chars and chars[0].ch in _LABEL_COLONS and chars[0].box.x0 - box.x1 < first_gap * self.h:
            box = chars.pop(0).box
        if not chars or chars[0].box.x0 - box.x1 > first_gap * self.h:
            return None
        run = [chars[0]]
        for c in chars[1:]:
            if c.box.x0 - run[-1].box.x1 > next_gap * self.h:
                break
            run.append(c)
        span = self.span(run)
        if stop is not None:
            m = stop.search(span.text)
            if m:
                span = span.part(0, m.start())
        return span if span.chars else None

    def below(self, label: Span, *, max_gap: float = 1.5, reach: float = 8.0) -> Span | None:
        """The text on the first row under ``label`` (within ``max_gap`` heights) that starts under it.

        For layouts that print the value under its label; the row is cut to the words starting between the
        label's left edge and ``reach`` heights right of it.
        """
        box = label.box
        own = {id(c) for c in label.chars}
        below = [
            (b.y0, i)
            for i, (_, b) in enumerate(self.words)
            if box.y1 - 0.2 * self.h <= b.y0 <= box.y1 + max_gap * self.h
            and box.x0 - self.h <= b.x0 <= box.x1 + reach * self.h
            and not any(id(c) in own for c in self.chars[i])
        ]
        if not below:
            return None
        anchor = self.words[min(below)[1]][1]
        chars = [
            c
            for y0, i in sorted(below, key=lambda t: self.words[t[1]][1].x0)
            if self.words[i][1].same_row(anchor)
            for c in self.chars[i]
        ]
        return self.span(chars) if chars else None

    def span(self, chars: list[Char]) -> Span:
        """Chars as a Span whose text has a space wherever the gap is visible."""
        parts = []
        for i, c in enumerate(chars):
            if i and c.box.x0 - chars[i - 1].box.x1 > _SPACE_GAP * self.h:
                parts.append(" ")
            parts.append(c.ch)
        return Span(chars=list(chars), text="".join(parts))
