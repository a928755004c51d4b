"""A contract's running text as sentences: wrapped lines joined (a clause wraps in mid-word), a break after a
clause heading and around table rows, so a sentence is what a reader would read as one; offsets map back to the
segment they were printed in."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.contract.text import CLAUSE_START, ContractText, Segment

_SENTENCE = re.compile(r"[^。；;！!\n]+")
#: A row that starts with its own label (签订日期：…, 地址：…) is not the rest of the sentence above it.
_LABEL_ROW = re.compile(r"^[\u4e00-\u9fff（）()]{2,10}[:：]")


@dataclass
class Prose:
    """The text, the start offset of each segment in it, and the segments."""

    text: str
    starts: list[int]
    segments: list[Segment]

    def segment_at(self, offset: int) -> Segment:
        return self.segments[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def sentences(self) -> Iterator[tuple[int, str]]:
        """(start offset, text) of each sentence."""
        for m in _SENTENCE.finditer(self.text):
            yield m.start(), m.group(0)


def prose(text: ContractText, skip: set[tuple[int, int]]) -> Prose:
    """Running text without the rows in ``skip`` ((page, row) of table lines, which break the text)."""
    parts: list[str] = []
    starts: list[int] = []
    segments: list[Segment] = []
    at = 0
    last: tuple[int, int] | None = None
    for seg in text.segments:
        key = (seg.page, seg.row)
        if key in skip:
            if parts and parts[-1] != "\n":
                parts.append("\n")
                at += 1
            last = None
            continue
        if last is not None and key != last and (CLAUSE_START.match(seg.compact) or _LABEL_ROW.match(seg.compact)):
            parts.append("\n")  # a new clause heading or labelled row starts a new sentence
            at += 1
        elif last is not None and key == last:
            parts.append("\t")  # the next cell of the same row
            at += 1
        starts.append(at)
        segments.append(seg)
        parts.append(seg.compact)
        at += len(seg.compact)
        if CLAUSE_START.match(seg.compact) and not re.search(r"[，,。；;]", seg.compact) and len(seg.compact) <= 30:
            parts.append("\n")  # a heading line (第五条 交货时间及地点) is not part of the sentence under it
            at += 1
        last = key
    return Prose("".join(parts), starts, segments)
