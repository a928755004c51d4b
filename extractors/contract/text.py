"""A contract's text as segments (runs of a row separated by wide gaps, so side-by-side party blocks stay
apart) and as clauses (第N条 … up to the next 第N条), for the label-driven contract readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.text.table import Cell, Row, page_rows
from idp.models import BBox, PageText

#: A gap wider than this many text heights splits a row into segments (two columns of party data).
_SEGMENT_GAP = 2.2
_CLAUSE = re.compile(r"第[一二三四五六七八九十百]+条")
_PARTY_START = re.compile(
    r"^(?:甲方|乙方|买方|卖方|需方|供方|采购方|销售方|供货方|购货方|出卖人|买受人)\s*[(（:：]"
)


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
class ContractText:
    """Every segment of every page in reading order, plus the rows (for tables)."""

    segments: list[Segment]
    rows: dict[int, list[Row]]
    sizes: dict[int, tuple[float, float]]

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
    for page in pages:
        rows = page_rows(page)
        rows_by_page[page.page_no] = rows
        for i, row in enumerate(rows):
            for cells in _split(row):
                segments.append(_segment(page, i, cells))
    return ContractText(segments, rows_by_page, {p.page_no: (p.width, p.height) for p in pages})


def _split(row: Row) -> list[list[Cell]]:
    """Cut at wide gaps and before a party heading (two signing blocks side by side on one row)."""
    groups: list[list[Cell]] = [[row.cells[0]]]
    h = row.h
    for cell in row.cells[1:]:
        gap = cell.x0 - groups[-1][-1].x1
        if gap > _SEGMENT_GAP * h or (gap > 0.5 * h and _PARTY_START.match(cell.text)):
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
    """(heading line, body) of each 第N条 clause in ``full_text`` order."""
    out: list[tuple[str, str]] = []
    matches = list(_CLAUSE.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        chunk = text[m.start() : end]
        heading, _, body = chunk.partition("\n")
        out.append((heading, body.replace("\n", "")))
    return out


def clause_about(text: str, pattern: re.Pattern[str]) -> str | None:
    """The first clause whose heading matches ``pattern``, heading and body on one line."""
    for heading, body in clauses(text):
        if pattern.search(heading):
            return (heading + " " + body).strip()
    return None
