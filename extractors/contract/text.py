"""A contract's text as segments (runs of a row separated by wide gaps, so side-by-side party blocks stay
apart) and as clauses (第N条 … up to the next 第N条), for the label-driven contract readers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extractors.text.glyphs import x_at
from extractors.text.rulings import Rule, rules
from extractors.text.table import Cell, Row, page_rows
from idp.models import BBox, MarkKind, PageText
from idp.models.schema import BUYER_WORDS, PARTY_LETTERS, SELLER_WORDS

_WIDE = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
#: A gap wider than this many text heights splits a row into segments (two columns of party data).
_SEGMENT_GAP = 2.2
#: A clause heading at the start of a line: 第一条, 一、, 1. / 1、, （一）.
CLAUSE_START = re.compile(
    r"^(?:第[一二三四五六七八九十百]+条|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．](?![\d.])|"
    r"[(（][一二三四五六七八九十]{1,3}[)）])"
)
_ROLES = "|".join(sorted((*BUYER_WORDS, *SELLER_WORDS, *PARTY_LETTERS), key=len, reverse=True))
_PARTY_START = re.compile(rf"^(?:{_ROLES})\s*[(（:：]")
#: A party heading inside a run, where OCR read two blocks side by side as one box: a signing heading
#: (乙方（卖方）（盖章）) anywhere; a labelled one (乙方：) on a row that starts with a party heading (甲方：… 乙方：…).
_ROLE_HEAD = rf"(?:{_ROLES})\s*(?:[(（][^()（）:：]{{1,4}}[)）])?\s*"
#: （盖章）, （签字）; on a photo the stamp may hide 章 and the closing bracket: （盖 then the name
_SEAL_BRACKET = r"[(（][^()（）:：]{0,4}?[盖章签](?:[^()（）:：]{0,3}[)）])?"
_SIGNING_HEAD = rf"{_ROLE_HEAD}{_SEAL_BRACKET}"
_ANY_HEAD = rf"{_ROLE_HEAD}(?:{_SEAL_BRACKET}|[:：])"
_HEADS = {lead: (re.compile(head), re.compile(rf"(?<=\S)\s*(?={head})"))
          for lead, head in ((False, _SIGNING_HEAD), (True, _ANY_HEAD))}


@dataclass(frozen=True)
class Segment:
    """A run of text on one row: page, row index on the page, box in page units, confidence."""

    page: int
    row: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    conf: float
    page_w: float
    page_h: float

    @property
    def compact(self) -> str:
        return "".join(self.text.split())

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def bbox(self) -> BBox:
        return BBox.from_points(self.x0, self.y0, self.x1, self.y1, self.page_w, self.page_h)


@dataclass
class Stream:
    """Every segment as one string (segments of a row joined by a tab, rows by a newline), so patterns may read
    a label in one run and its value in the next; an offset maps back to the segment it falls in."""

    text: str
    starts: list[int]
    segments: list[Segment]

    def segment_at(self, offset: int) -> Segment:
        return self.segments[max(0, bisect.bisect_right(self.starts, offset) - 1)]


@dataclass
class ContractText:
    """Every segment of every page in reading order, plus the rows (for tables)."""

    segments: list[Segment]
    rows: dict[int, list[Row]]
    sizes: dict[int, tuple[float, float]]
    #: Ruling lines drawn on each page (table borders), in page units.
    rules: dict[int, list[Rule]] = field(default_factory=dict)
    _stream: Stream | None = field(default=None, repr=False)

    @property
    def stream(self) -> Stream:
        if self._stream is None:
            parts: list[str] = []
            starts: list[int] = []
            at, last = 0, None
            for s in self.segments:
                key = (s.page, s.row)
                if last is not None:
                    sep = "\t" if key == last else "\n"
                    parts.append(sep)
                    at += 1
                starts.append(at)
                parts.append(s.compact)
                at += len(s.compact)
                last = key
            self._stream = Stream("".join(parts), starts, self.segments)
        return self._stream

    def full_text(self) -> str:
        """All rows joined without spaces, one row per line."""
        lines: list[str] = []
        last: tuple[int, int] | None = None
        for s in self.segments:
            key = (s.page, s.row)
            if key == last:
                lines[-1] += s.compact
            else:
                lines.append(s.compact)
            last = key
        return "\n".join(lines)


def read_text(pages: list[PageText]) -> ContractText:
    segments: list[Segment] = []
    rows_by_page: dict[int, list[Row]] = {}
    ruled = {p.page_no: _not_stamps(p, rules(p)) for p in pages}
    for page in pages:
        rows = page_rows(page)
        rows_by_page[page.page_no] = rows
        upright = _borders(ruled[page.page_no])
        for i, row in enumerate(rows):
            cut, heads = _cut_at_headings(_cut_at_rules(row.cells, upright))
            for cells in _split(Row(cut, row.page_no), upright, heads):
                segments.append(_segment(page, i, cells))
    return ContractText(segments, rows_by_page, {p.page_no: (p.width, p.height) for p in pages}, ruled)


def _not_stamps(page: PageText, found: list[Rule]) -> list[Rule]:
    """The page's rules without the strokes a stamp's ring leaves on an image (a straight stretch of its edge
    read as a rule would end a party's column in the middle of its signing block)."""
    stamps = [m.bbox for m in page.marks if m.kind == MarkKind.SEAL]
    out = []
    for r in found:
        x0, x1 = (r.start, r.end) if r.horizontal else (r.at, r.at)
        y0, y1 = (r.at, r.at) if r.horizontal else (r.start, r.end)
        if not any(b.x0 * page.width <= x0 and x1 <= b.x1 * page.width and b.y0 * page.height <= y0
                   and y1 <= b.y1 * page.height for b in stamps):
            out.append(r)
    return out


def _borders(found: list[Rule]) -> list[Rule]:
    """The vertical rules that are table borders: one end meets a horizontal rule (``found`` holds no stamp's
    strokes, see :func:`_not_stamps`)."""
    flat = [r for r in found if r.horizontal]
    out = []
    for r in found:
        if r.horizontal:
            continue
        tol = 0.3 * (r.end - r.start) if r.end - r.start < 20 else 6.0
        if any(f.start - tol <= r.at <= f.end + tol and min(abs(f.at - r.start), abs(f.at - r.end)) <= tol
               for f in flat):
            out.append(r)
    return out


def _cut_at_rules(cells: list[Cell], upright: list[Rule]) -> list[Cell]:
    """Cells cut where a vertical ruling line crosses them: OCR may read two table cells as one run."""
    out: list[Cell] = []
    for cell in cells:
        pending = [cell]
        for rule in upright:
            last = pending[-1]
            if rule.start <= last.cy <= rule.end and last.x0 + last.h < rule.at < last.x1 - last.h:
                pending[-1:] = _cut(last, rule.at)
        out += pending
    return out


def _cut_at_headings(cells: list[Cell]) -> tuple[list[Cell], set[int]]:
    """Cells cut before a party heading inside them: two party blocks side by side (signing blocks, or
    甲方：…乙方：… in a header) that OCR read as one run; with the ids of the cells that start at such a heading."""
    starts, inside = _HEADS[bool(cells and _PARTY_START.match(cells[0].text))]
    out: list[Cell] = []
    heads: set[int] = set()
    for k, cell in enumerate(cells):
        if k and starts.match(cell.text):  # a cell of its own, however close to the one before
            heads.add(id(cell))
        m = inside.search(cell.text, 1)
        if m is None:
            out.append(cell)
            continue
        x = x_at(cell.text, m.end(), cell.x0, cell.x1)
        second = Cell(cell.text[m.end():], x, cell.y0, cell.x1, cell.y1, cell.conf)
        out += [Cell(cell.text[: m.start()], cell.x0, cell.y0, x, cell.y1, cell.conf), second]
        heads.add(id(second))
    return out, heads


def _cut(cell: Cell, x: float) -> list[Cell]:
    """``cell`` cut at ``x``, its characters spread by width (a CJK character one em, others about half)."""
    widths = [1.0 if _WIDE.match(ch) else 0.55 for ch in cell.text]
    scale = (cell.x1 - cell.x0) / max(sum(widths), 1e-6)
    at, k = cell.x0, 0
    while k < len(widths) and at + widths[k] * scale / 2 < x:
        at += widths[k] * scale
        k += 1
    left, right = cell.text[:k].rstrip(), cell.text[k:].lstrip()
    if not left or not right:
        return [cell]
    return [Cell(left, cell.x0, cell.y0, at, cell.y1, cell.conf), Cell(right, at, cell.y0, cell.x1, cell.y1, cell.conf)]


def _split(row: Row, upright: list[Rule], heads: set[int] | None = None) -> list[list[Cell]]:
    """Cut at wide gaps, at a vertical ruling line (table cells), and before a party heading (two signing
    blocks side by side on one row)."""
    groups: list[list[Cell]] = [[row.cells[0]]]
    h = row.h
    for cell in row.cells[1:]:
        prev = groups[-1][-1]
        gap = cell.x0 - prev.x1
        ruled = any(r.start <= cell.cy <= r.end and prev.x1 - 0.3 * h <= r.at <= cell.x0 + 0.3 * h for r in upright)
        if gap > _SEGMENT_GAP * h or ruled or (gap > 0.5 * h and _PARTY_START.match(cell.text)) or \
                id(cell) in (heads or ()):
            groups.append([cell])
        else:
            groups[-1].append(cell)
    return groups


def _segment(page: PageText, row: int, cells: list[Cell]) -> Segment:
    text = " ".join(c.text for c in cells)
    return Segment(
        page.page_no,
        row,
        text,
        min(c.x0 for c in cells),
        min(c.y0 for c in cells),
        max(c.x1 for c in cells),
        max(c.y1 for c in cells),
        min(c.conf for c in cells),
        page.width,
        page.height,
    )


def clauses(text: str) -> list[tuple[str, str]]:
    """(heading line, body) of each numbered clause (第一条, 一、, 1., （一）) in ``full_text`` order."""
    out: list[tuple[str, str]] = []
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if CLAUSE_START.match(line) and len(line) <= 40]
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        out.append((lines[i], "".join(lines[i + 1 : end])))
    return out


def clause_about(text: str, pattern: re.Pattern[str]) -> str | None:
    """The first clause whose heading matches ``pattern``, heading and body on one line."""
    for heading, body in clauses(text):
        if pattern.search(heading):
            return (heading + " " + body).strip()
    return None
