"""Letter-spaced text layers: runs of single glyphs set apart at an even pitch are merged back into words.

PDFs converted from OFD (and some 数电票 printers) place every glyph as its own run at the position the OFD's
``DeltaX`` gives, wider than the glyph: a text extractor then sees ``2 0 2 4 年 0 3 月`` and
``9 1 3 7 0 2 1 2 …`` with a visible gap between every character, so dates, amounts and tax ids no longer parse.
A run of three or more one- or two-character words on a line whose gaps are small (under ``_MAX_GAP`` text
heights) and even is one word; gaps between columns of a form are wide or uneven and stay cuts.
"""

from __future__ import annotations

from statistics import median

from idp.models import BBox, PageText, Word

#: Longest word (characters) that may be a letter-spaced glyph (converters sometimes keep a pair together).
_GLYPH_CHARS = 2
#: A gap wider than this many text heights is a column gap, never letter spacing.
_MAX_GAP = 1.2
#: Gaps of one run may differ from the run's median gap by this share of it, plus ``_GAP_SLACK`` heights.
_EVEN, _GAP_SLACK = 0.6, 0.15
#: Fewest glyph words a run needs (两字 labels such as "名 称" are left as they are) ...
_MIN_RUN = 3
#: ... except a digit pair ("9%", "13") set apart by at most this many text heights.
_PAIR_GAP = 0.8


def merge_letter_spaced(page: PageText) -> PageText:
    """The page with every letter-spaced run of each line merged into one word (lines without any untouched)."""
    if page.height <= 0 or page.width <= 0:
        return page
    aspect = page.width / page.height
    lines, changed = [], False
    for line in page.lines:
        words = merge_runs(line.words, aspect)
        if len(words) != len(line.words):
            changed = True
            line = line.model_copy(update={"words": words, "text": _line_text(words, aspect)})
        lines.append(line)
    return page.model_copy(update={"lines": lines}) if changed else page


def merge_runs(words: list[Word], aspect: float) -> list[Word]:
    """``words`` (one line) with runs of evenly spaced glyphs joined; ``aspect`` = page width / height."""
    if len(words) < 2:
        return words
    ordered = sorted(words, key=lambda w: w.bbox.x0)
    out: list[Word] = []
    i = 0
    while i < len(ordered):
        j = _run_end(ordered, i, aspect)
        if j - i >= _MIN_RUN or (j - i == 2 and _number_pair(ordered[i], ordered[i + 1], aspect)):
            out.append(_join(ordered[i:j]))
            i = j
        else:
            out.append(ordered[i])
            i += 1
    return out


def _number_pair(a: Word, b: Word, aspect: float) -> bool:
    """Two glyphs that only make sense together: a digit and the next digit, point or % ("9%", "13")."""
    text = a.text + b.text
    close = b.bbox.x0 - a.bbox.x1 <= _PAIR_GAP * max(_height(a, aspect), _height(b, aspect))
    return close and text.isascii() and any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)


def _height(word: Word, aspect: float) -> float:
    """The word's height in units of page width (x and y boxes are normalised separately)."""
    return (word.bbox.y1 - word.bbox.y0) / aspect


def _run_end(words: list[Word], start: int, aspect: float) -> int:
    """One past the last word of the evenly spaced glyph run starting at ``start`` (``start + 1``: none)."""
    if len(words[start].text) > _GLYPH_CHARS:
        return start + 1
    gaps: list[float] = []
    end = start + 1
    while end < len(words) and len(words[end].text) <= _GLYPH_CHARS:
        prev, word = words[end - 1], words[end]
        h = max(_height(prev, aspect), _height(word, aspect), 1e-9)
        gap = (word.bbox.x0 - prev.bbox.x1) / h
        if gap < -0.3 or gap > _MAX_GAP:
            break
        if len(gaps) >= 2 and abs(gap - median(gaps)) > _EVEN * median(gaps) + _GAP_SLACK:
            break
        gaps.append(gap)
        end += 1
    return end


def _join(run: list[Word]) -> Word:
    box = BBox(
        x0=min(w.bbox.x0 for w in run),
        y0=min(w.bbox.y0 for w in run),
        x1=max(w.bbox.x1 for w in run),
        y1=max(w.bbox.y1 for w in run),
    )
    return Word(text="".join(w.text for w in run), bbox=box, confidence=min(w.confidence for w in run))


def _line_text(words: list[Word], aspect: float) -> str:
    """The line's text with a space where a visible gap (0.15 text heights) separates two words."""
    parts = [words[0].text]
    for prev, word in zip(words, words[1:], strict=False):
        if word.bbox.x0 - prev.bbox.x1 > 0.15 * _height(word, aspect):
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)

