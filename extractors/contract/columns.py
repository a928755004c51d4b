"""Party details printed in columns under their headings: a header table with a row per party under a row
of labels (| 单位名称 | 地址 | 电话 |, then 甲方 | 某公司 | … | …), a signature table (甲方（盖章）| 乙方（盖章）, then
``label：value`` rows in each party's cell), side-by-side blocks, a table of label/value pairs per party
(买方 | 某公司 | 卖方 | 某公司), or a details table whose first column holds the labels (单位名称（章）| … | …).

A party's column runs from the boundary with the party printed left of it to the boundary with the one on its
right: the ruling line between them where one is drawn, else the middle of the gap between their headings.
"""

from __future__ import annotations

import bisect
import re

from extractors.contract.text import CLAUSE_START, ContractText, Segment

#: Rows further below the last row read than this many text heights are past the block.
_GAP = 2.6
#: How many rows above a party's row its table's row of labels may be (the other party's row, wrapped cells).
_LABEL_ROWS = 8
#: A seal note printed after a label (单位名称（章）：…), not part of the value.
SEAL_NOTE = re.compile(r"^[(（](?:盖?章|签章|公章|签字|签名|签字或盖章|签字盖章)[)）][:：]?")
#: What ends an organisation's name (a name row in a table carries no label).
ORG_END = ("公司", "厂", "集团", "中心", "行", "店", "经营部", "门市部", "工作室", "研究院", "研究所", "合作社",
           "事务所", "农场", "养殖场")


def boundary(text: ContractText, left: Segment, right: Segment) -> float:
    """The x between the columns headed by ``left`` and ``right``: the rightmost vertical rule crossing their
    row in the gap (a label/value rule of the left party lies further left), else the gap's middle."""
    h = max(left.h, right.h)
    y = (left.y0 + left.y1 + right.y0 + right.y1) / 4
    ruled = [r.at for r in text.rules.get(left.page, []) if not r.horizontal
             and left.x1 - 0.5 * h <= r.at <= right.x0 + 0.5 * h and r.start - h <= y <= r.end + h]
    return max(ruled) if ruled else (_left_extent(text, left, right) + right.x0) / 2


#: Rows under two side-by-side headings whose left-column text bounds the gap between the columns.
_EXTENT_ROWS = 8


def _left_extent(text: ContractText, left: Segment, right: Segment) -> float:
    """Where the left column's text ends on the rows under the headings (a short heading "甲方（盖章）：" over a
    long "法定代表人或委托代理人（签字）：" line): the gap between the columns starts there, not at the heading."""
    h = max(left.h, right.h)
    ends = [s.x1 for s in text.segments
            if s.page == left.page and left.y0 - 0.5 * h <= s.y0 <= left.y1 + _EXTENT_ROWS * 1.8 * h
            and s.x0 >= left.x0 - h and s.x1 <= right.x0 - 0.5 * h]
    return max([left.x1, *ends])


def bounds(text: ContractText, heads: list[Segment]) -> list[tuple[float, float]]:
    """(x0, x1) of each column, for headings on one row sorted left to right."""
    w = text.sizes.get(heads[0].page, (1.0, 1.0))[0]
    cuts = [boundary(text, a, b) for a, b in zip(heads, heads[1:], strict=False)]
    return list(zip([0.0, *cuts], [*cuts, w], strict=True))


def column_rows(text: ContractText, heads: list[Segment], k: int, labels: list[tuple[str, str]],
                stop: set[int]) -> list[Segment]:
    """Party ``k``'s cells of the rows under ``heads``, each as ``label：value`` text (a name row without a
    label as ``名称：…``), up to a clause, another heading (ids in ``stop``), a wide gap or a row without labels.

    When the first run of a row starts left of every heading it is the row's label (a label column), perhaps
    read as one run with the first value: the row's other runs are the values, one per column."""
    cols = bounds(text, heads)
    line = max(s.h for s in heads)
    by_row: dict[int, list[Segment]] = {}
    for seg in text.segments:
        if seg.page == heads[0].page and seg.row > heads[0].row:
            by_row.setdefault(seg.row, []).append(seg)
    cells: list[_Cell] = []
    held: list[tuple[float, list[Segment]]] = []  # unlabelled rows: a wrapped value's lines, until placed
    bands = _Bands(text, heads[0].page)
    last = max(s.y1 for s in heads)
    for n, row in enumerate(sorted(by_row)):
        segs = sorted(by_row[row], key=lambda s: s.x0)
        if min(s.y0 for s in segs) - last > _GAP * line or CLAUSE_START.match(segs[0].compact):
            break
        if any(id(s) in stop for s in segs):
            break
        last = max(s.y1 for s in segs)
        middle = sum((s.y0 + s.y1) / 2 for s in segs) / len(segs)
        label = _leading(segs[0].compact, labels)
        if label is not None and segs[0].x0 < heads[0].x0 - line:
            cell = _shared_label(segs, label, cols, k)
            if cell is None and SEAL_NOTE.sub("", segs[0].compact[len(label):]).strip(":：") == "":
                # the label without a value in this column: centred on a value wrapped above and below its row
                cell = (label, [segs[0]])
        else:
            groups = [[s for s in segs if x0 - 0.5 * line <= s.x0 < x1 - 0.5 * line] for x0, x1 in cols]
            texts = ["".join(s.compact for s in g) for g in groups]
            if not any(_leading(t.lstrip("/／、"), labels) for t in texts):  # (a wrapped label's rest is one)
                if n == 0 and any(t.endswith(ORG_END) for t in texts):  # the name row of a signature table
                    texts = [f"名称：{t}" if t else "" for t in texts]
                elif cells and len(held) < _HELD:
                    held.append((middle, groups[k]))
                    continue
                else:
                    break
            cell = (texts[k], groups[k]) if groups[k] else None
        _place(cells, held, row, middle, cell, labels, bands)
        held = []
    _place(cells, held, 0, None, None, labels, bands)
    return [_segment(c.parts or c.label_parts, c.row, c.text()) for c in cells if c.text()]


#: Unlabelled rows in a row of a details table: the lines of a value cell wrapped around its label's row.
_HELD = 2


class _Cell:
    """A party's cell of a details table: its label (and value) run(s), and the lines of a wrapped value."""

    def __init__(self, row: int, middle: float, head: str, parts: list[Segment], bare: bool) -> None:
        self.row, self.middle, self.head, self.bare = row, middle, head, bare
        self.label_parts = parts
        self.before: list[Segment] = []
        self.after: list[Segment] = []

    @property
    def parts(self) -> list[Segment]:
        return [*self.before, *self.label_parts, *self.after]

    def text(self) -> str:
        lines = "".join(s.compact for s in (*self.before, *self.after))
        if not lines:
            return self.head
        if self.bare:
            before = "".join(s.compact for s in self.before)
            after = "".join(s.compact for s in self.after)
            return f"{self.head.rstrip(':：')}：{before}{after}"
        return self.head + lines


class _Bands:
    """The horizontal ruling lines of a page: two heights in one band are in one row of a ruled table."""

    def __init__(self, text: ContractText, page: int) -> None:
        self.cuts = sorted(r.at for r in text.rules.get(page, []) if r.horizontal)

    def same(self, a: float, b: float) -> bool | None:
        """Whether ``a`` and ``b`` lie between the same two rules; None where the page draws none."""
        if len(self.cuts) < 2:
            return None
        return bisect.bisect(self.cuts, a) == bisect.bisect(self.cuts, b)


def _place(cells: list[_Cell], held: list[tuple[float, list[Segment]]], row: int, middle: float | None,
           cell: tuple[str, list[Segment]] | None, labels: list[tuple[str, str]], bands: _Bands) -> None:
    """Adds the row's cell and places the unlabelled rows held before it: a line goes to the cell whose ruled
    row holds it, else to the nearer of the label above and this one; to this one only when its label stands
    alone (centred on a wrapped value), and a line nearer neither than a row apart is dropped."""
    new = None
    if cell is not None and middle is not None:
        text, parts = cell
        label = _leading(text, labels) or ""
        new = _Cell(row, middle, text, parts, bool(label) and text.rstrip(":：") == label)
    prev = cells[-1] if cells else None
    for y, runs in held:
        up = y - prev.middle if prev is not None else float("inf")
        down = middle - y if new is not None and new.bare and middle is not None else float("inf")
        if new is not None and new.bare and bands.same(y, new.middle):
            down = 0.0
        elif prev is not None and bands.same(y, prev.middle):
            up, down = 0.0, float("inf")
        if down < up:
            new.before.extend(runs)  # type: ignore[union-attr]
        elif prev is not None and (new is not None or up <= 1.5 * max((s.h for s in runs), default=0.0)):
            prev.after.extend(runs)
    if new is not None and new.head:
        cells.append(new)


def label_row_cells(text: ContractText, head: Segment, labels: list[tuple[str, str]],
                    stop: set[int]) -> list[Segment] | None:
    """The cells of the table row ``head`` starts, each as ``label：value`` under the label printed over its
    column in the nearest row of labels above; a cell's wrapped lines are joined. None without such a row."""
    segs = [s for s in text.segments if s.page == head.page]
    line = head.h
    above: dict[int, list[Segment]] = {}
    for s in segs:
        if head.row - _LABEL_ROWS <= s.row < head.row:
            above.setdefault(s.row, []).append(s)
    label_row = next((row for n, row in sorted(above.items(), reverse=True)
                      if len(row) >= 2 and all(_leading(s.compact, labels) for s in row)), None)
    if label_row is None:
        return None
    cuts = sorted(r.at for r in text.rules.get(head.page, []) if not r.horizontal
                  and r.start - line <= (head.y0 + head.y1) / 2 <= r.end + line)
    cells: dict[int, list[Segment]] = {}
    last = head.y1
    for row in sorted({s.row for s in segs if s.row >= head.row}):
        mine = sorted((s for s in segs if s.row == row), key=lambda s: s.x0)
        if row > head.row and (min(s.y0 for s in mine) - last > _GAP * line or any(id(s) in stop for s in mine)
                               or CLAUSE_START.match(mine[0].compact) or all(_leading(s.compact, labels)
                                                                             for s in mine)):
            break
        for s in mine:
            k = _column_of(s, label_row, cuts)
            if k is not None and s is not head:
                cells.setdefault(k, []).append(s)
        last = max(s.y1 for s in mine)
    out = []
    for k, parts in sorted(cells.items()):
        label = _leading(label_row[k].compact, labels) or ""
        if not label or _leading(parts[0].compact, labels):
            continue  # a cell labelled by itself
        out.append(_segment(parts, parts[0].row, f"{label}：{''.join(p.compact for p in parts)}"))
    return out


def _column_of(seg: Segment, label_row: list[Segment], cuts: list[float]) -> int | None:
    """The index of the label over ``seg``'s column: the label in the same ruled cell, else the label it
    overlaps most, else the nearest label."""
    if seg.x1 <= min(lab.x0 for lab in label_row):
        return None  # the heading's column (its wrapped rest)
    if cuts:
        cell = bisect.bisect_right(cuts, seg.x0 + 0.5 * seg.h)
        inside = [k for k, lab in enumerate(label_row) if bisect.bisect_right(cuts, (lab.x0 + lab.x1) / 2) == cell]
        return inside[0] if len(inside) == 1 else None
    overlap = [(min(seg.x1, lab.x1) - max(seg.x0, lab.x0), -abs((seg.x0 + seg.x1 - lab.x0 - lab.x1) / 2), k)
               for k, lab in enumerate(label_row)]
    return max(overlap)[2]


def _shared_label(segs: list[Segment], label: str, cols: list[tuple[float, float]],
                  k: int) -> tuple[str, list[Segment]] | None:
    """Column ``k``'s value of a row whose first run is its label (OCR may read the label and the first value
    as one run): by order when there is one value per column, else by position."""
    first = segs[0]
    rest = SEAL_NOTE.sub("", first.compact[len(label):].lstrip(":：")).lstrip(":：")
    values: list[tuple[float, str, Segment]] = []
    if rest:
        share = len(label) / max(1, len(first.compact))
        values.append((first.x0 + share * (first.x1 - first.x0), rest, first))
    values += [(s.x0, s.compact, s) for s in segs[1:]]
    if len(values) == len(cols):
        mine = [values[k]]
    else:
        mine = [v for v in values if cols[k][0] <= v[0] < cols[k][1]]
    if not mine:
        return None
    return f"{label}：{''.join(v[1] for v in mine)}", [v[2] for v in mine]


def _leading(compact: str, labels: list[tuple[str, str]]) -> str | None:
    """The longest label ``compact`` starts with."""
    found = [label for label, _ in labels if label and compact.startswith(label)]
    return max(found, key=len) if found else None


def _segment(parts: list[Segment], row: int, text: str) -> Segment:
    first = parts[0]
    return Segment(first.page, row, text, min(s.x0 for s in parts), min(s.y0 for s in parts),
                   max(s.x1 for s in parts), max(s.y1 for s in parts), min(s.conf for s in parts),
                   first.page_w, first.page_h)
