"""How wide a run of text prints: a Chinese (wide or full-width) character takes two cells, anything else one.
Readers place characters inside a box they only know the ends of by this measure."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")


def cell_widths(text: str) -> list[int]:
    """Each character's width in half-width cells."""
    return [2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text]


def display_width(text: str) -> int:
    """Width in half-width cells: a Chinese character is two, a digit or letter one."""
    return sum(cell_widths(text))


def x_at(text: str, index: int, x0: float, x1: float) -> float:
    """Where character ``index`` of ``text`` starts, the run filling ``x0``..``x1`` by display width."""
    widths = cell_widths(text)
    return x0 + (x1 - x0) * sum(widths[:index]) / max(1, sum(widths))


def simplified(text: str) -> str:
    """``text`` with each traditional character in its simplified form, one character for one (positions
    keep their meaning). The OCR model reads some simplified print as traditional (额 as 額, 贷 as 貸), and a
    label must still match.

    >>> simplified("交易金額 借貸")
    '交易金额 借贷'
    """
    return "".join(_simple(ch) for ch in text)


@lru_cache(maxsize=8192)
def _simple(ch: str) -> str:
    out = _T2S.convert(ch) if ord(ch) >= 0x3400 else ch
    return out if len(out) == 1 else ch
