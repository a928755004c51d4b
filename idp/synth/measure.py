"""Reading quality measures: character error rate and key-token recall, on normalised text.

Both sides go through :func:`extractors.readers.normalize.compact` first, so width and punctuation
variants (``：``/``:``) and spacing never count as errors; what is left is what a human would call a
misread.
"""

from __future__ import annotations

import numpy as np

from extractors.readers.normalize import compact


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row per character of ``a`` (fast enough for whole pages)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    bb = np.array([ord(c) for c in b], np.int64)
    cols = np.arange(len(b) + 1, dtype=np.int64)
    prev = cols.copy()
    for i, ch in enumerate(a, start=1):
        # substitution / deletion first, then insertions as a running minimum along the row
        sub = prev[:-1] + (bb != ord(ch))
        best = np.minimum(sub, prev[1:] + 1)
        row = np.empty_like(prev)
        row[0] = i
        row[1:] = best
        row = np.minimum.accumulate(row - cols) + cols
        prev = row
    return int(prev[-1])


def char_error_rate(truth: str, read: str) -> float:
    """Edit distance / truth length after :func:`compact` (0.0 = perfect; can exceed 1 for garbage)."""
    t, r = compact(truth), compact(read)
    if not t:
        return 0.0 if not r else 1.0
    return edit_distance(t, r) / len(t)


def key_token_recall(tokens: list[str], read: str) -> tuple[float, list[str]]:
    """Share of key tokens (field values) found verbatim in the read text, and the ones missed.

    Thousands separators are ignored on both sides (``12,345.67`` matches ``12345.67``).
    """
    hay = compact(read).replace(",", "")
    wanted = [t for t in (compact(tok) for tok in tokens) if t]
    if not wanted:
        return 1.0, []
    missed = [t for t in wanted if t.replace(",", "") not in hay]
    return 1 - len(missed) / len(wanted), missed


#: Marks truth characters already matched (never equal to a real character, so reusing them costs).
_USED = "\x00"


def flexible_char_error_rate(truth_lines: list[str], read_lines: list[str]) -> float:
    """CER that ignores reading order and line splitting (after OCR-D's flexible character accuracy).

    Each read line, longest first, is aligned to its best-matching stretch of the truth (a semi-global
    edit distance, so it may match part of a truth line); its errors count and that stretch is used up.
    A read line matching nothing (distance above half its length) counts whole as inserted; truth left
    unmatched counts as deleted.
    """
    errors, total = flexible_char_errors(truth_lines, read_lines)
    return errors / total if total else 0.0


def flexible_char_errors(truth_lines: list[str], read_lines: list[str]) -> tuple[int, int]:
    """(errors, truth characters) behind :func:`flexible_char_error_rate`, for summing over pages.

    Truth pieces are joined without separators, so a read line may span several truth words of one row.
    """
    truth = "".join(compact(t) for t in truth_lines)
    total = len(truth)
    errors = 0
    pool = list(truth)
    for piece in sorted((compact(r) for r in read_lines), key=len, reverse=True):
        if not piece:
            continue
        dist, start, end = _best_substring(piece, "".join(pool))
        if dist > len(piece) / 2:
            errors += len(piece)
            continue
        errors += dist
        pool[start:end] = [_USED] * (end - start)
    errors += sum(1 for ch in pool if ch != _USED)
    return errors, total


def _best_substring(piece: str, text: str) -> tuple[int, int, int]:
    """(edit distance, start, end) of the substring of ``text`` closest to ``piece``."""
    row = _semi_global_last_row(piece, text)
    end = int(np.argmin(row))
    rev = _semi_global_last_row(piece[::-1], text[:end][::-1])
    start = end - int(np.argmin(rev))
    return int(row[end]), start, end


def _semi_global_last_row(piece: str, text: str) -> np.ndarray:
    """Last DP row of aligning all of ``piece`` to any substring of ``text`` (free start and end in text)."""
    tt = np.array([ord(c) for c in text], np.int64) if text else np.zeros(0, np.int64)
    cols = np.arange(len(text) + 1, dtype=np.int64)
    prev = np.zeros(len(text) + 1, np.int64)  # free start anywhere in text
    for i, ch in enumerate(piece, start=1):
        sub = prev[:-1] + (tt != ord(ch))
        row = np.empty_like(prev)
        row[0] = i
        row[1:] = np.minimum(sub, prev[1:] + 1)
        prev = np.minimum.accumulate(row - cols) + cols
    return prev
