"""Truth a file carries itself, for reading measures: the key tokens of its ``<file>.truth.json`` and the
text of a text-layer or OFD page in reading order (``idp eval read`` is :mod:`idp.evaluation.read_eval`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from extractors.readers.ocr import order_lines
from idp.models.page import PageText, TextLine, Word

logger = logging.getLogger(__name__)

#: Truth JSON keys whose values are printed on the document as they are stored (dates are not: skipped).
_TOKEN_KEYS = (
    "invoice_code",
    "invoice_number",
    "check_code",
    "machine_no",
    "amount_without_tax",
    "tax_amount",
    "total_with_tax",
    "total_in_words",
    "contract_number",
    "total_amount",
    "account_number",
    "account_holder",
    "opening_balance",
    "closing_balance",
)
_PARTY_KEYS = ("buyer", "seller")


def truth_tokens(truth_path: Path) -> list[str]:
    """Key tokens (values as printed) from a ``.truth.json``; empty when there is none."""
    if not truth_path.exists():
        return []
    data: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8"))
    tokens = [str(data[k]) for k in _TOKEN_KEYS if data.get(k)]
    for party in _PARTY_KEYS:
        for key in ("name", "tax_id"):
            value = (data.get(party) or {}).get(key)
            if value:
                tokens.append(str(value))
    return tokens


def page_text(page: PageText) -> str:
    """A page's text in the same reading order OCR output is put in, so order never counts as error."""
    return "\n".join(line.text for line in order_lines(page.lines))


def truth_pieces(page: PageText) -> list[str]:
    """A text-layer page as OCR would segment it: words in reading order, with single characters stacked in a
    column (vertical labels such as 购/买/方) joined top to bottom, as OCR reads them."""
    words = [w for line in page.lines for w in (line.words or [Word(text=line.text, bbox=line.bbox)])]
    singles = sorted(
        (w for w in words if len(w.text) == 1 and _is_cjk(w.text)), key=lambda w: (w.bbox.cx, w.bbox.y0)
    )
    used: set[int] = set()
    merged: list[Word] = []
    for i, first in enumerate(singles):
        if i in used:
            continue
        chain = [first]
        for j in range(i + 1, len(singles)):
            last, cand = chain[-1], singles[j]
            if j in used or abs(cand.bbox.cx - last.bbox.cx) > 0.6 * last.bbox.width:
                continue
            gap = cand.bbox.y0 - last.bbox.y1
            steady = (
                len(chain) < 2 or abs(gap - (chain[1].bbox.y0 - chain[0].bbox.y1)) <= 0.5 * last.bbox.height
            )
            same_size = abs(cand.bbox.height - last.bbox.height) <= 0.15 * last.bbox.height
            if (
                0 <= gap <= 2.5 * last.bbox.height
                and steady
                and same_size
                and not _between(words, last, cand)
            ):
                chain.append(cand)
                used.add(j)
        if len(chain) > 1:
            used.add(i)
            box = chain[0].bbox
            for w in chain[1:]:
                box = box.union(w.bbox)
            merged.append(Word(text="".join(w.text for w in chain), bbox=box))
    stacked = {id(w) for k, w in enumerate(singles) if k in used}
    rest = [w for w in words if id(w) not in stacked] + merged
    lines = [TextLine(text=w.text, bbox=w.bbox) for w in rest]
    return [line.text for line in order_lines(lines)]


def _between(words: list[Word], upper: Word, lower: Word) -> bool:
    """Some other word sits in the column between two stacked characters (so they are not one label)."""
    return any(
        w is not upper
        and w is not lower
        and w.bbox.x0 < upper.bbox.x1
        and w.bbox.x1 > upper.bbox.x0
        and upper.bbox.y1 <= w.bbox.cy <= lower.bbox.y0
        for w in words
    )


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"

