"""Labelled values outside the table: ``label：value`` on one row, or labels on one row with each value printed
under its label on the next (a header printed as a two-line grid).

Labels are (text, key) pairs compared without spaces, longest first and never overlapping (``对方户名`` is not
``户名``); a key ``""`` only ends the value before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.text.glyphs import simplified
from extractors.text.labels import split_labelled
from extractors.text.table import Row, row_chars

_NUMERIC = re.compile(r"[\d.,()\-+¥￥]")


@dataclass
class Labelled:
    """A value found by its label, with the rows it came from."""

    key: str
    label: str
    value: str
    rows: list[Row] = field(default_factory=list)


def labelled_values(rows: list[Row], labels: list[tuple[str, str]]) -> list[Labelled]:
    """Every labelled value in ``rows`` (top to bottom), inline ones and stacked ones."""
    out: list[Labelled] = []
    for i, row in enumerate(rows):
        chars = spaced_chars(row)
        text = "".join(ch for ch, _, _ in chars)
        out += [Labelled(key, label, value, [row]) for key, label, value in split_labelled(text, labels)]
        if i + 1 < len(rows):
            out += _stacked(row, chars, rows[i + 1], labels)
    return out


def spaced_chars(row: Row) -> list[tuple[str, float, float]]:
    """The row's characters (spaces dropped, labels compare without them), with a space kept between two
    cells whose facing characters are both digits, so two amounts never run into one."""
    out: list[tuple[str, float, float]] = []
    for cell in row.cells:
        chars = row_chars(Row([cell], row.page_no))
        if out and chars and _NUMERIC.match(out[-1][0]) and _NUMERIC.match(chars[0][0]):
            out.append((" ", out[-1][2], chars[0][1]))
        out += chars
    return out


def _spans(text: str, labels: list[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Label hits in ``text`` (start, end, key, label), longest labels first, never overlapping; a bilingual
    label (``户名 Account Name``: two synonyms of one key side by side) is one hit."""
    hits = _merged(_hits(text, labels), text)
    return hits


def _merged(hits: list[tuple[int, int, str, str]], text: str) -> list[tuple[int, int, str, str]]:
    out: list[tuple[int, int, str, str]] = []
    for hit in hits:
        if out and out[-1][2] == hit[2] and hit[2] and not text[out[-1][1] : hit[0]].strip(" :：/"):
            start, _, key, label = out[-1]
            out[-1] = (start, hit[1], key, label + hit[3])
        else:
            out.append(hit)
    return out


def _hits(text: str, labels: list[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    low = simplified(text.lower())
    taken = [False] * len(text)
    hits = []
    for label, key in sorted(labels, key=lambda t: -len(t[0])):
        a = label.lower()
        start = low.find(a) if a else -1
        while start >= 0:
            end = start + len(a)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(a)
                hits.append((start, end, key, label))
            start = low.find(a, end)
    return sorted(hits)


def _stacked(
    row: Row, chars: list[tuple[str, float, float]], below: Row, labels: list[tuple[str, str]]
) -> list[Labelled]:
    """A row of labels only (colons aside), its values in the row just below, each under its label."""
    text = "".join(ch for ch, _, _ in chars)
    hits = _spans(text, labels)
    covered = sum(end - start for start, end, _, _ in hits)
    if not hits or covered < 0.8 * len(text.replace(":", "").replace("：", "")):
        return []
    if below.y0 - row.y1 > 1.5 * row.h:
        return []
    under = spaced_chars(below)
    under_text = "".join(ch for ch, _, _ in under)
    if _spans(under_text, [lab for lab in labels if lab[1]]):
        return []  # the row below has labels of its own: not a row of values
    out = []
    for n, (start, _end, key, label) in enumerate(hits):
        if not key:
            continue
        left = chars[start][1] - row.h
        right = chars[hits[n + 1][0]][1] - 0.5 * row.h if n + 1 < len(hits) else float("inf")
        value = "".join(ch for ch, x0, x1 in under if left <= (x0 + x1) / 2 < right).strip()
        if value:
            out.append(Labelled(key, label, value, [row, below]))
    return out
