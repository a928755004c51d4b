"""The text of invoice item rows: an item's own name (not a margin note or a stray character beside it), a
wrapped name that runs on past its column, two item lines that fell into one visual row, and the 税收分类
marks (*类别*) OCR reads as quotes.
"""

from __future__ import annotations

import re

from extractors.text.layout import Char, Layout

TEXT_COLUMNS = ("name", "spec", "unit")
#: A gap wider than this (text heights) inside a name cell separates the name from a stray character; a
#: wrapped name line starts within ``_WRAP_ALIGN`` heights of the first line.
_NAME_GAP, _WRAP_ALIGN = 1.5, 1.5
#: A character box this much wider than tall is no character of the name (a line read down the page).
_WIDE_CHAR = 1.8
#: A wrapped name's text that starts within this many text heights of the name's last character runs on.
_RUN_ON = 0.8
#: The tax category that opens an item name, *类别*, whose asterisks OCR reads as quotes at low resolution.
_CATEGORY = re.compile(r"^[*“”\"'＊]?([\u4e00-\u9fff]{2,12})[*“”\"'＊](?=\S)")


def category_marks(name: str) -> str:
    """``“谷物”东北大米`` / ``办公用品*中性签字笔`` → ``*谷物*东北大米`` / ``*办公用品*中性签字笔``."""
    return _CATEGORY.sub(r"*\1*", name, count=1)


def overflow(cells: dict[str, list[Char]], item: dict[str, list[Char]], h: float) -> dict[str, list[Char]]:
    """The text cells of a wrapped line of ``item``; a wrapped name runs on past its column (``…电信5G 双`` over
    规格型号): text that continues the name's run within a word space is the name's, unless it starts where the
    item's own text of that column starts (then it is that column's wrapped line: ``露50ml`` under 规格型号)."""
    out = {key: list(cells.get(key, [])) for key in TEXT_COLUMNS}
    name = sorted(out["name"], key=lambda c: c.box.x0)
    for key in ("spec", "unit"):
        rest = sorted(out[key], key=lambda c: c.box.x0)
        own = min((c.box.x0 for c in item.get(key, [])), default=None)
        while name and rest and rest[0].box.x0 - name[-1].box.x1 < _RUN_ON * h:
            if own is not None and rest[0].box.x0 > own - _RUN_ON * h:
                break
            name.append(rest.pop(0))
        out[key] = rest
    out["name"] = name
    return out


def unstack(layout: Layout, words: list[int]) -> list[list[int]]:
    """One visual row, or two when it holds words lying over each other (two item lines of a curled or tilted
    photo that fell into one row): split at the widest step between word centres, top part first."""
    boxes = [layout.words[w][1] for w in words]
    stacked = any(
        min(a.x1, b.x1) - max(a.x0, b.x0) > 0.3 * min(a.x1 - a.x0, b.x1 - b.x0)
        and abs(a.cy - b.cy) > 0.25 * min(a.h, b.h)
        for i, a in enumerate(boxes) for b in boxes[i + 1 :]
    )
    if not stacked or len(words) < 2:
        return [words]
    order = sorted(words, key=lambda w: layout.words[w][1].cy)
    steps = [layout.words[b][1].cy - layout.words[a][1].cy for a, b in zip(order, order[1:], strict=False)]
    cut = max(range(len(steps)), key=steps.__getitem__) + 1
    if steps[cut - 1] < 0.25 * layout.h:
        return [words]
    by_x = lambda part: sorted(part, key=lambda w: layout.words[w][1].x0)  # noqa: E731
    return [by_x(order[:cut]), by_x(order[cut:])]


def name_block(chars: list[Char], h: float) -> list[Char]:
    """The name's own characters: the longest run of its first line, and the wrapped lines that start where it
    starts; stray characters set apart by a gap (a margin note read down the page, a row number) are not it."""
    lines: list[list[Char]] = []
    # a character box much wider than tall is one of a line read down the page (stacked by the reader)
    chars = [c for c in chars if c.box.x1 - c.box.x0 <= _WIDE_CHAR * c.box.h] or chars
    for c in chars:
        if lines and abs(c.box.cy - lines[-1][0].box.cy) < 0.5 * h:
            lines[-1].append(c)
        else:
            lines.append([c])
    runs = [_runs(sorted(line, key=lambda c: c.box.x0), h) for line in lines]
    first = max(runs[0], key=len)
    out = list(first)
    for line_runs in runs[1:]:
        out += [c for run in line_runs if abs(run[0].box.x0 - first[0].box.x0) < _WRAP_ALIGN * h for c in run]
    return out


def _runs(line: list[Char], h: float) -> list[list[Char]]:
    out = [[line[0]]]
    for c in line[1:]:
        if c.box.x0 - out[-1][-1].box.x1 > _NAME_GAP * h:
            out.append([c])
        else:
            out[-1].append(c)
    return out
