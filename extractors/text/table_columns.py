"""Columns of a table: a header row found by column aliases, column x-ranges from the gutters of the data under
it, and each row's cells assigned to them (splitting a cell that runs across a gutter).

Rows and cells come from :mod:`extractors.text.table`. Coordinates are page units (x right, y down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.text.glyphs import cell_widths, simplified
from extractors.text.table import _CELL_GAP, _HEADER_COVER, Cell, Row, row_chars

#: A Chinese character (a bilingual header's own script).
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Column:
    """A column: its key (from the header), the header box and the x-range its data occupies."""

    key: str
    x0: float
    x1: float
    header: tuple[float, float]


@dataclass
class Header:
    """A header row: the row index and each matched column key with its label's x-range."""

    row: int
    labels: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: How many rows the header takes (a label over two lines: 交易日期 / Transaction Date); data starts below.
    rows: int = 1

    @property
    def end(self) -> int:
        """The index of the first row under the header."""
        return self.row + self.rows


#: What may follow a column name in its own header cell: a bracketed qualifier (单价(含税), 金额(元), 数量(吨)).
_QUALIFIER = re.compile(r"[(（][^()（）]{1,6}[)）]")


def _qualified_cells(row: Row) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of each header cell that is a name followed by a bracketed qualifier."""
    out = []
    for cell in row.cells:
        text = "".join(cell.text.split()).lower()
        m = _QUALIFIER.search(text)
        if m is not None and m.end() == len(text) and m.start() > 0:
            out.append((text[: m.start()], cell.x0, cell.x1))
    return out


def match_header(
    row: Row, aliases: dict[str, tuple[str, ...]], *, cover: float = _HEADER_COVER
) -> dict[str, tuple[float, float]]:
    """Column keys whose alias appears in the row, longest aliases first and never overlapping. A name whose
    cell goes on with a bracketed qualifier (单价(含税)) labels the whole cell: the column lies under the cell's
    middle, not under the name's first characters."""
    qualified = _qualified_cells(row)
    chars = row_chars(row)
    text = simplified("".join(ch for ch, _, _ in chars).lower())
    found: list[tuple[int, int, str]] = []
    candidates = sorted(
        ((alias.lower(), key) for key, names in aliases.items() for alias in names),
        key=lambda t: -len(t[0]),
    )
    taken = [False] * len(text)
    keys: dict[str, tuple[float, float]] = {}
    for alias, key in candidates:
        if not alias:
            continue
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                x0, x1 = chars[start][1], chars[end - 1][2]
                whole = next(((c0, c1) for name, c0, c1 in qualified if name == alias and c0 <= x0 and x1 <= c1 + 1),
                             None)
                if whole is not None:  # the qualifier is part of the label
                    x0, x1 = whole
                    for i, (_, a, b) in enumerate(chars):
                        taken[i] = taken[i] or (x0 - 1 <= a and b <= x1 + 1)
                if key not in keys:
                    keys[key] = (x0, x1)
                elif max(x0 - keys[key][1], keys[key][0] - x1) < 1.5 * row.h:  # 交易摘要 Summary: one label
                    keys[key] = (min(x0, keys[key][0]), max(x1, keys[key][1]))
                found.append((start, end, key))
            start = text.find(alias, start + 1)
    if len(keys) >= _MISREAD_CONTEXT:
        _misread_labels(row, text, chars, candidates, keys, taken)
    return keys if _covered(text, taken) >= cover else {}


#: Labels a row must match exactly before its other cells may be read as labels with one character misread.
_MISREAD_CONTEXT = 2


def _misread_labels(
    row: Row,
    text: str,
    chars: list[tuple[str, float, float]],
    candidates: list[tuple[str, str]],
    keys: dict[str, tuple[float, float]],
    taken: list[bool],
) -> None:
    """In a row that is a header by its other labels, a whole cell one character off the name of a column the
    row still lacks is that name as OCR misread it (变出 for 支出, 集要 for 摘要, 余韵 for 余额), when it is one
    column's name alone. Two cells each one off both 借方 and 贷方(发生额) (僧方…, 货方…; or 备方 beside a 方 whose
    贷 was lost) are the two, in the order double entry prints them: 借 before 贷 (printed the other way, the
    running balance turns every sign and says so)."""
    start = 0
    pairs: list[tuple[int, int]] = []
    for cell in row.cells:
        n = sum(1 for ch in cell.text if not ch.isspace())
        end, start = start + n, start + n
        at = end - n
        if n < 1 or all(taken[at:end]):
            continue
        word = text[at:end]  # a part may have matched a shorter name (发生额 in 僧方发生额): the whole cell wins
        fits = {key for alias, key in candidates if key not in keys and _one_off(word, alias)}
        if len(fits) == 1 and n >= 2:
            _take(fits.pop(), at, end, chars, keys, taken)
        elif _DEBIT_CREDIT <= (fits or {k for alias, k in candidates if k not in keys and _one_lost(word, alias)}):
            pairs.append((at, end))  # 备方 / 方 (贷 lost): one of the two, which the other one decides
    if len(pairs) == 2 and not _DEBIT_CREDIT & keys.keys():
        for key, (at, end) in zip(("debit", "credit"), sorted(pairs, key=lambda p: chars[p[0]][1]), strict=True):
            _take(key, at, end, chars, keys, taken)


_DEBIT_CREDIT = {"debit", "credit"}


def _take(key: str, at: int, end: int, chars: list[tuple[str, float, float]], keys: dict[str, tuple[float, float]],
          taken: list[bool]) -> None:
    x0, x1 = chars[at][1], chars[end - 1][2]
    for inside in [k for k, (a, b) in keys.items() if x0 <= a and b <= x1]:
        del keys[inside]
    keys[key] = (x0, x1)
    taken[at:end] = [True] * (end - at)


def _one_off(word: str, alias: str) -> bool:
    return len(word) == len(alias) and sum(a != b for a, b in zip(word, alias, strict=True)) == 1


def _one_lost(word: str, alias: str) -> bool:
    return len(word) + 1 == len(alias) and any(alias[:i] + alias[i + 1 :] == word for i in range(len(alias)))


def _covered(text: str, taken: list[bool]) -> float:
    """Share of the row's characters that column names cover; in a bilingual header (Chinese names with
    English glosses: ``交易日期 Transaction Date``) the glosses no list has do not count against it."""
    share = sum(taken) / max(1, len(text))
    latin = [ch.isascii() and ch.isalpha() for ch in text]
    if any(latin) and any(_CJK.match(ch) for ch in text):
        rest = [t for t, lat in zip(taken, latin, strict=True) if not lat]
        share = max(share, sum(rest) / max(1, len(rest)))
    return share


def find_header(
    rows: list[Row],
    aliases: dict[str, tuple[str, ...]],
    *,
    required: tuple[str, ...],
    min_columns: int = 3,
    start: int = 0,
    cover: float = _HEADER_COVER,
) -> Header | None:
    """The first row (from ``start``) matching at least ``min_columns`` keys including every ``required``
    one (a ``|`` in a required key means any of them), its labels covering ``cover`` of its text; a header
    split over two rows is joined."""

    def fits(labels: dict[str, tuple[float, float]]) -> bool:
        if "date" not in labels and "time" in labels and "date" in aliases:
            labels["date"] = labels.pop("time")
        return len(labels) >= min_columns and all(
            any(k in labels for k in req.split("|")) for req in required
        )

    for i in range(start, len(rows)):
        labels = match_header(rows[i], aliases, cover=cover)
        close = i + 1 < len(rows) and rows[i + 1].y0 - rows[i].y1 < 0.8 * rows[i].h
        below = match_header(rows[i + 1], aliases, cover=cover) if labels and close else {}
        if fits(labels):
            # a second label line under it (the English of a bilingual header) is part of the header
            return Header(i, {**below, **labels}, 2) if len(below) >= 2 else Header(i, labels)
        if len(below) >= 2 and not fits(dict(below)) and fits(merged := {**below, **labels}):
            return Header(i, merged, 2)
    return None


def columns_from(header: Header, data: list[Row], *, text_height: float) -> list[Column]:
    """Columns for the rows under ``header``: x-ranges the data covers (split at gutters no data word
    crosses), each given to the header label it overlaps or, failing that, the nearest one beside it."""
    labels = sorted(header.labels.items(), key=lambda kv: kv[1][0])
    left = min(x0 for x0, _ in header.labels.values())
    right = max(x1 for _, x1 in header.labels.values())
    wide = 0.4 * max(right - left, 1.0)  # a cell this wide is prose or a footer, not a table cell
    spans = sorted((c.x0, c.x1, _numeric(c.text)) for r in data for c in r.cells if c.x1 - c.x0 < wide)
    runs: list[list[tuple[float, float, bool]]] = []  # spans whose union has no gap wider than a space
    for span in spans:
        if runs and span[0] - max(s[1] for s in runs[-1]) < _CELL_GAP * text_height:
            runs[-1].append(span)
        else:
            runs.append([span])
    intervals: list[list[float]] = []  # x0, x1, numeric count, total
    for piece in (p for run in runs for p in _split_run(run, labels)):
        intervals.append(
            [
                min(s[0] for s in piece),
                max(s[1] for s in piece),
                float(sum(s[2] for s in piece)),
                float(len(piece)),
            ]
        )
    keys = [_nearest_label(x0, x1, labels, numeric / total > 0.5, text_height) for x0, x1, numeric, total in intervals]
    keys = _shift_to_empty_label(intervals, keys, labels)
    columns: list[Column] = []
    for (x0, x1, _numeric_count, _total), key in zip(intervals, keys, strict=True):
        if key is None:
            continue
        label = header.labels[key]
        if columns and columns[-1].key == key:
            columns[-1].x1 = x1
        else:
            columns.append(Column(key, x0, x1, label))
    for key, (lx0, lx1) in labels:  # a column with no data still gets its header's range
        if all(c.key != key for c in columns):
            columns.append(Column(key, lx0, lx1, (lx0, lx1)))
    return sorted(columns, key=lambda c: c.x0)


#: Share of the distance between two labels' centres that a gap between data centres must span to part them:
#: right-aligned amounts whose boxes reach the next (empty) column's edge have centres a few pixels apart.
_CLUSTER_GAP = 0.25


def _split_run(
    run: list[tuple[float, float, bool]], labels: list[tuple[str, tuple[float, float]]]
) -> list[list[tuple[float, float, bool]]]:
    """A run of data under two or more header labels (a right-aligned amount close to the next column's
    text, or OCR boxes that touch) is cut between each pair of labels at the widest gap between the centres
    of its spans, or, where that cut would go through a span, at the widest stretch no span covers (a cell's
    last word boxed apart, ``…/1T`` ``SSD`` under 规格型号, went to the 单位 column by centres); spans go to the
    side their centre is on. Centres of one column's values (amounts set right up to an empty 备注 column) are
    never parted."""
    x0, x1 = min(s[0] for s in run), max(s[1] for s in run)
    # labels the run reaches under (a right-aligned number may sit right of its label's centre)
    inside = sorted((lx0 + lx1) / 2 for _, (lx0, lx1) in labels if lx0 < x1 and x0 < lx1)
    if len(inside) < 2:
        return [run]
    centres = sorted((s[0] + s[1]) / 2 for s in run)
    uncovered = _uncovered(run)
    cuts = []
    for a, b in zip(inside, inside[1:], strict=False):
        gaps = [  # a gap between two clusters of centres, not between the centres of one column's values
            (hi - lo, (lo + hi) / 2)
            for lo, hi in zip(centres, centres[1:], strict=False)
            if a < (lo + hi) / 2 < b and hi - lo >= _CLUSTER_GAP * (b - a)
        ]
        if gaps and any(x0 < max(gaps)[1] < x1 for x0, x1, _ in run):  # the cut would go through a span
            gaps = [(hi - lo, (lo + hi) / 2) for lo, hi in uncovered if a < (lo + hi) / 2 < b] or gaps
        if gaps:
            cuts.append(max(gaps)[1])
    pieces: list[list[tuple[float, float, bool]]] = [[] for _ in range(len(cuts) + 1)]
    for span in run:
        centre = (span[0] + span[1]) / 2
        pieces[sum(1 for c in cuts if centre > c)].append(span)
    bounds = [float("-inf"), *cuts, float("inf")]
    # a span crossing a cut (two cells OCR read as one box) must not stretch its column over the next one
    return [
        [(max(a, lo), min(b, hi), n) for a, b, n in piece]
        for piece, lo, hi in zip(pieces, bounds, bounds[1:], strict=False)
        if piece
    ]


def _shift_to_empty_label(intervals: list[list[float]], keys: list[str | None],
                          labels: list[tuple[str, tuple[float, float]]]) -> list[str | None]:
    """Two runs of data apart under one label while the label right of it has none: the right run is that
    label's when it lies nearer to it (values set left of centred labels: 玉米 under 品名, then 三等 just left of
    型号规格 went to 品名 too, and the name read 玉米三等)."""
    order = [k for k, _ in labels]
    out = list(keys)
    for i in range(1, len(out)):
        key = out[i]
        if key is None or out[i - 1] != key or order.index(key) + 1 >= len(order):
            continue
        right = order[order.index(key) + 1]
        if right in out:
            continue
        x0, x1 = intervals[i][0], intervals[i][1]
        own, nxt = dict(labels)[key], dict(labels)[right]
        if _edge_gap(x0, x1, nxt) < _edge_gap(x0, x1, own):
            out[i] = right
    return out


def _edge_gap(x0: float, x1: float, label: tuple[float, float]) -> float:
    return max(label[0] - x1, x0 - label[1], 0.0)


def _uncovered(run: list[tuple[float, float, bool]]) -> list[tuple[float, float]]:
    """The stretches between the run's first and last x that no span covers."""
    out: list[tuple[float, float]] = []
    reach = None
    for x0, x1, _ in sorted(run):
        if reach is not None and x0 > reach:
            out.append((reach, x0))
        reach = x1 if reach is None else max(reach, x1)
    return out


def _nearest_label(
    x0: float, x1: float, labels: list[tuple[str, tuple[float, float]]], numeric: bool, h: float
) -> str | None:
    best: tuple[float, str] | None = None
    for key, (lx0, lx1) in labels:
        overlap = min(x1, lx1) - max(x0, lx0)
        if overlap > 0:
            score = overlap / max(1e-6, min(x1 - x0, lx1 - lx0)) + 10
        else:
            gap = max(lx0 - x1, x0 - lx1)
            # right-aligned numbers sit right of their label, left-aligned text starts under it
            beside = lx1 <= x0 + h if numeric else lx0 <= x0 + h
            score = -gap / h - (0 if beside else 3)
        if best is None or score > best[0]:
            best = (score, key)
    return best[1] if best and best[0] > -12 else None


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+¥,.:/()（）\d\s]+", text)) and any(ch.isdigit() for ch in text)


def assign(row: Row, columns: list[Column]) -> dict[str, list[Cell]]:
    """The row's cells by column key (each cell to the column it overlaps most; cells far outside every
    column are dropped)."""
    out: dict[str, list[Cell]] = {}
    for cell in (part for c in row.cells for part in _split_cell(c, columns)):
        best, best_overlap = None, 0.0
        for col in columns:
            overlap = min(cell.x1, col.x1) - max(cell.x0, col.x0)
            if overlap > best_overlap:
                best, best_overlap = col, overlap
        if best is None:
            near = min(columns, key=lambda c: max(c.x0 - cell.x1, cell.x0 - c.x1), default=None)
            if near is not None and max(near.x0 - cell.x1, cell.x0 - near.x1) < cell.h:
                best = near
        if best is not None:
            out.setdefault(best.key, []).append(cell)
    return out


def _split_cell(cell: Cell, columns: list[Column]) -> list[Cell]:
    """A cell lying across two or more columns (OCR read two cells as one box) cut where its characters
    (placed by display width) cross from one column to the next."""
    hit = [c for c in columns if min(cell.x1, c.x1) - max(cell.x0, c.x0) > 0.25 * (cell.x1 - cell.x0)]
    if len(hit) < 2 or len(cell.text) < 2:
        return [cell]
    widths = cell_widths(cell.text)
    unit = (cell.x1 - cell.x0) / max(1, sum(widths))
    parts: list[tuple[Column | None, list[str], float, float]] = []
    x = cell.x0
    for ch, w in zip(cell.text, widths, strict=True):
        cx = x + w * unit / 2
        col = min(hit, key=lambda c: 0.0 if c.x0 <= cx <= c.x1 else min(abs(cx - c.x0), abs(cx - c.x1)))
        if parts and parts[-1][0] is col:
            parts[-1][1].append(ch)
            parts[-1] = (col, parts[-1][1], parts[-1][2], x + w * unit)
        else:
            parts.append((col, [ch], x, x + w * unit))
        x += w * unit
    return [
        Cell("".join(chars).strip(), x0, cell.y0, x1, cell.y1, cell.conf)
        for _, chars, x0, x1 in parts
        if "".join(chars).strip()
    ]
