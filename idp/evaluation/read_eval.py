"""``idp eval read``: OCR quality on degraded renders of files that are their own truth (text layer, OFD).

Each truth page is rendered, degraded (:data:`idp.synth.degrade.DEGRADATIONS`) and OCR'd. Three character
error rates are kept side by side, so a change of measure never hides a change of reading:

- ``cer``: position-matched (:mod:`idp.evaluation.read_align`) on ordinary drawn text; the classes left out
  (密码区 ``cipher``, ``not_drawn``, ``seal_text``, ``overprinted``, ``unmapped``) are counted in ``chars``.
- ``cer_all``: the same matching with nothing left out.
- ``cer_flexible``: the earlier order-free alignment (:func:`idp.synth.measure.flexible_char_errors`).

A ``<file>.truth.json`` next to a file adds key-token recall on each condition and on the file as it is.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import numpy as np

from extractors.readers.dispatch import read_document, sniff
from extractors.readers.image import ocr_image
from extractors.readers.ofd import read_ofd
from idp.evaluation.read_align import EXCLUDED, PageAlignment, align_page
from idp.models.geometry import BBox
from idp.models.page import PageText, TextSource
from idp.synth.degrade import DEGRADATIONS, render_page_text, render_pdf
from idp.synth.evaluate import truth_pieces, truth_tokens
from idp.synth.measure import flexible_char_errors, key_token_recall

logger = logging.getLogger(__name__)

_FILE_SUFFIXES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}
#: A PDF fill colour is seal red when (RGB) red is at least the first value and green and blue at most the
#: second, or (CMYK) magenta and yellow are at least the first and cyan and black at most the second.
_SEAL_RED = (0.8, 0.35)
#: Error examples kept per file and condition.
_EXAMPLES = 8


@dataclass
class ReadScore:
    """One file under one condition."""

    file: str
    condition: str
    pages: int
    cer: float | None = None
    cer_all: float | None = None
    cer_flexible: float | None = None
    cipher_cer: float | None = None
    #: truth characters per class (``text`` is what ``cer`` is over)
    chars: dict[str, int] = field(default_factory=dict)
    #: errors per scored class and kind (``substituted``, ``missed``, ``spurious``)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    #: read characters over excluded truth or inside seal ink (not scored)
    read_excluded: int = 0
    registered: bool = True
    recall: float | None = None
    missed: list[str] = field(default_factory=list)
    ms_per_page: float = 0.0
    steps: list[str] = field(default_factory=list)
    examples: list[tuple[str, str]] = field(default_factory=list)


def seal_ink_boxes(path: Path, page_index: int) -> list[BBox]:
    """Boxes of the characters a PDF page fills in seal red (the 监制章 ring text), normalised to the page."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_index]
        width, height = float(page.width), float(page.height)
        return [
            BBox.from_points(c["x0"], c["top"], c["x1"], c["bottom"], width, height)
            for c in page.chars
            if _is_seal_red(c.get("non_stroking_color"))
        ]


def _is_seal_red(color: object) -> bool:
    if not isinstance(color, (tuple, list)) or not all(isinstance(v, (int, float)) for v in color):
        return False
    hi, lo = _SEAL_RED
    if len(color) == 3:
        r, g, b = color
        return r >= hi and g <= lo and b <= lo
    if len(color) == 4:
        c, m, y, k = color
        return m >= hi and y >= hi and c <= lo and k <= lo
    return False


def evaluate_file(path: Path, conditions: list[str], *, seed: int = 1) -> list[ReadScore]:
    """Scores of one file: each condition on its self-truth pages, plus ``as_is`` when a truth JSON exists."""
    tokens = truth_tokens(path.with_name(path.name + ".truth.json"))
    with path.open("rb") as fh:
        kind = sniff(fh.read(2048), path)
    truth_pages: list[PageText] = []
    renders: list[np.ndarray] = []
    seals: list[list[BBox] | None] = []
    if kind == "pdf":
        truth_pages = [p for p in read_document(path) if p.source is TextSource.TEXT_LAYER]
        if truth_pages:
            renders = render_pdf(path, pages=[p.page_no - 1 for p in truth_pages])
            seals = [seal_ink_boxes(path, p.page_no - 1) for p in truth_pages]
    elif kind == "ofd":
        truth_pages = read_ofd(path)
        renders = [render_page_text(p) for p in truth_pages]
        seals = [None] * len(truth_pages)
    scores = [
        _score_condition(path.name, condition, truth_pages, renders, seals, tokens, seed)
        for condition in (conditions if truth_pages else [])
    ]
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


def _score_condition(
    name: str,
    condition: str,
    truth_pages: list[PageText],
    renders: list[np.ndarray],
    seals: list[list[BBox] | None],
    tokens: list[str],
    seed: int,
) -> ReadScore:
    score = ReadScore(name, condition, len(truth_pages))
    total = PageAlignment()
    flex_errors = flex_chars = 0
    read_text, elapsed = [], 0.0
    for i, (truth, image, seal) in enumerate(zip(truth_pages, renders, seals, strict=True)):
        degraded = DEGRADATIONS[condition](image, seed + i)
        t0 = time.perf_counter()
        page = ocr_image(degraded, page_no=truth.page_no)
        elapsed += time.perf_counter() - t0
        total.add(align_page(truth, page, image, seal_boxes=seal))
        e, n = flexible_char_errors(truth_pieces(truth), [ln.text for ln in page.lines])
        flex_errors, flex_chars = flex_errors + e, flex_chars + n
        read_text.append(page.text)
        score.steps += [s for s in page.preprocessing if s not in score.steps]
    score.cer, score.cer_all, score.cipher_cer = total.cer, total.cer_all, total.rate("cipher")
    score.cer_flexible = flex_errors / flex_chars if flex_chars else None
    score.chars, score.errors = total.chars, total.errors
    score.read_excluded, score.registered = total.read_excluded, total.registered
    score.examples = total.examples[:_EXAMPLES]
    score.ms_per_page = 1000 * elapsed / len(truth_pages)
    if tokens:
        score.recall, score.missed = key_token_recall(tokens, "\n".join(read_text))
    return score


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


def summarize(scores: list[ReadScore]) -> dict[str, dict[str, object]]:
    """Per condition: mean and worst ``cer`` over files, pooled ``cer`` (all characters together), the other
    two rates, 密码区 rate, excluded characters per class, error kinds, recall, median ms per page."""
    out: dict[str, dict[str, object]] = {}
    for condition in dict.fromkeys(s.condition for s in scores):
        group = [s for s in scores if s.condition == condition]
        chars: dict[str, int] = {}
        errors: dict[str, int] = {}
        cipher = [0, 0]
        for s in group:
            for cls, n in s.chars.items():
                chars[cls] = chars.get(cls, 0) + n
            for op, n in s.errors.get("text", {}).items():
                errors[op] = errors.get(op, 0) + n
            cipher[0] += sum(s.errors.get("cipher", {}).values())
            cipher[1] += s.chars.get("cipher", 0)
        out[condition] = {
            "files": len(group),
            "cer_mean": _mean([s.cer for s in group]),
            "cer_pooled": round(sum(errors.values()) / chars["text"], 5) if chars.get("text") else None,
            "cer_max": _max([s.cer for s in group]),
            "cer_all_mean": _mean([s.cer_all for s in group]),
            "cer_flexible_mean": _mean([s.cer_flexible for s in group]),
            "cipher_cer": round(cipher[0] / cipher[1], 5) if cipher[1] else None,
            "text_chars": chars.get("text", 0),
            "excluded_chars": {cls: chars[cls] for cls in (*EXCLUDED, "cipher") if chars.get(cls)},
            "read_excluded": sum(s.read_excluded for s in group),
            "errors": errors,
            "recall_mean": _mean([s.recall for s in group], 4),
            "ms_per_page_p50": round(median(s.ms_per_page for s in group), 1) if group else None,
        }
    return out


def _mean(values: list[float | None], digits: int = 5) -> float | None:
    got = [v for v in values if v is not None]
    return round(sum(got) / len(got), digits) if got else None


def _max(values: list[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return round(max(got), 5) if got else None
