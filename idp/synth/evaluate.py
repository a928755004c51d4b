"""``idp eval read``: reading quality per file and condition, against truth the file itself carries.

A PDF page with a text layer, or an OFD page, is its own truth: it is rendered, degraded
(``DEGRADATIONS``) and OCR'd, and the OCR text is compared with the text layer. A
``<file>.truth.json`` next to any file adds key tokens (the field values), scored as recall on what
the reader returns for the file as it is.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from extractors.readers.dispatch import read_document, sniff
from extractors.readers.image import ocr_image
from extractors.readers.ocr import order_lines
from extractors.readers.ofd import read_ofd
from idp.models.page import PageText, TextLine, TextSource, Word
from idp.synth.degrade import DEGRADATIONS, render_page_text, render_pdf
from idp.synth.measure import flexible_char_errors, key_token_recall

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
_FILE_SUFFIXES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}


@dataclass
class ReadScore:
    """One file under one condition: CER over its truth pages, key-token recall, ms per page, steps seen."""

    file: str
    condition: str
    pages: int
    cer: float | None = None
    recall: float | None = None
    missed: list[str] = field(default_factory=list)
    ms_per_page: float = 0.0
    steps: list[str] = field(default_factory=list)


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


def evaluate_file(path: Path, conditions: list[str], *, seed: int = 1) -> list[ReadScore]:
    """Scores of one file: each condition on its self-truth pages, plus ``as_is`` when a truth JSON exists."""
    tokens = truth_tokens(path.with_name(path.name + ".truth.json"))
    with path.open("rb") as fh:
        kind = sniff(fh.read(2048), path)
    scores: list[ReadScore] = []
    truth_pages: list[PageText] = []
    renders = []
    if kind == "pdf":
        pages = read_document(path)
        truth_pages = [p for p in pages if p.source is TextSource.TEXT_LAYER]
        if truth_pages:
            renders = render_pdf(path, pages=[p.page_no - 1 for p in truth_pages])
    elif kind == "ofd":
        truth_pages = read_ofd(path)
        renders = [render_page_text(p) for p in truth_pages]
    for condition in conditions if truth_pages else []:
        score = ReadScore(path.name, condition, len(truth_pages))
        edits = chars = 0
        read_text, elapsed = [], 0.0
        for i, (truth, image) in enumerate(zip(truth_pages, renders, strict=True)):
            degraded = DEGRADATIONS[condition](image, seed + i)
            t0 = time.perf_counter()
            page = ocr_image(degraded, page_no=truth.page_no)
            elapsed += time.perf_counter() - t0
            page_edits, page_chars = flexible_char_errors(truth_pieces(truth), [ln.text for ln in page.lines])
            edits += page_edits
            chars += page_chars
            read_text.append(page.text)
            score.steps += [s for s in page.preprocessing if s not in score.steps]
        score.cer = edits / max(1, chars)
        score.ms_per_page = 1000 * elapsed / len(truth_pages)
        if tokens:
            score.recall, score.missed = key_token_recall(tokens, "\n".join(read_text))
        scores.append(score)
    if tokens:
        t0 = time.perf_counter()
        pages = read_document(path)
        score = ReadScore(
            path.name, "as_is", len(pages), ms_per_page=1000 * (time.perf_counter() - t0) / len(pages)
        )
        score.recall, score.missed = key_token_recall(tokens, "\n".join(p.text for p in pages))
        score.steps = sorted({s for p in pages for s in p.preprocessing} | {p.source.value for p in pages})
        scores.append(score)
    return scores


def evaluate_dir(directory: Path, conditions: list[str], *, limit: int | None = None) -> list[ReadScore]:
    """Every readable file under ``directory`` (recursively, sorted), at most ``limit`` files."""
    unknown = [c for c in conditions if c not in DEGRADATIONS]
    if unknown:
        raise ValueError(f"unknown conditions {unknown}; choose from {sorted(DEGRADATIONS)}")
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in _FILE_SUFFIXES)
    scores = []
    for path in files[:limit]:
        try:
            scores += evaluate_file(path, conditions)
        except Exception as exc:  # one bad file must not stop an evaluation run
            logger.warning("%s: %s", path, exc)
            scores.append(ReadScore(path.name, "error", 0, steps=[f"{type(exc).__name__}: {exc}"]))
    return scores


def summarize(scores: list[ReadScore]) -> dict[str, dict[str, float | int | None]]:
    """Per condition: files, mean and worst CER, mean recall, median ms per page."""
    out: dict[str, dict[str, float | int | None]] = {}
    for condition in dict.fromkeys(s.condition for s in scores):
        group = [s for s in scores if s.condition == condition]
        cers = [s.cer for s in group if s.cer is not None]
        recalls = [s.recall for s in group if s.recall is not None]
        out[condition] = {
            "files": len(group),
            "cer_mean": round(sum(cers) / len(cers), 5) if cers else None,
            "cer_max": round(max(cers), 5) if cers else None,
            "recall_mean": round(sum(recalls) / len(recalls), 4) if recalls else None,
            "ms_per_page_p50": round(median(s.ms_per_page for s in group), 1) if group else None,
        }
    return out
