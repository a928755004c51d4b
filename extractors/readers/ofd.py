"""OFD (GB/T 33190, the format of 数电票 and most e-invoices) → ``PageText`` and embedded invoice data.

Parsing is ``ofdkit``'s (it resolves templates, composite objects, CTMs and DeltaX advances); this
module turns its positioned text runs into lines and words, in millimetres of the page box, after
cutting codes that wrap onto several lines (:mod:`extractors.readers.ofd_wrap`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.readers.normalize import normalize_text
from extractors.readers.ocr import order_lines
from extractors.readers.ofd_codes import add_codes
from extractors.readers.ofd_wrap import Piece, wrapped_codes
from idp.errors import InputRejected
from idp.models.geometry import BBox
from idp.models.page import PageText, TextLine, TextSource, Word

if TYPE_CHECKING:
    from ofdkit import TextRun

logger = logging.getLogger(__name__)

#: Share of the font size above / below the baseline that a glyph box covers.
_ASCENT, _DESCENT = 0.88, 0.12
#: Runs on one baseline (within this share of the size) and this close (in sizes) form one line.
_SAME_BASELINE, _JOIN_GAP = 0.35, 1.0
#: Text may stick out of the page box by this much (mm) and still count as on the page.
_PAGE_MARGIN = 2.0


def is_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("ofdkit") is not None


def read_ofd(path: Path | bytes) -> list[PageText]:
    """Every page's text runs (templates included) as lines of words with boxes; units are mm."""
    import ofdkit

    try:
        with ofdkit.open(path if isinstance(path, bytes) else str(path)) as doc:
            wrapped = wrapped_codes(path)
            pages = [_page(page, number, wrapped) for number, page in enumerate(doc.pages, start=1)]
            locations = [str(page.location) for page in doc.pages]
            embedded = _embedded(doc)
            if doc.warnings:
                logger.info("OFD warnings: %s", doc.warnings)
    except ofdkit.OFDLimitError as exc:
        raise InputRejected(
            "OFD 文件超出安全限制 (OFD too large)", code="file_too_large", reason=str(exc)
        ) from exc
    except ofdkit.OFDError as exc:
        raise InputRejected(
            "OFD 文件损坏或无法解析 (corrupt OFD)", code="corrupt_ofd", reason=str(exc)
        ) from exc
    if not pages:
        raise InputRejected("OFD 文件中没有页面 (no pages)", code="corrupt_ofd")
    if embedded:  # the invoice data belongs to the file; the first page carries it for the extractors
        pages[0] = pages[0].model_copy(update={"embedded_fields": embedded})
    return add_codes(path, pages, locations)  # the QR images: a second source besides the embedded data


#: The common reader name (``read(path)``) used by the readers registry.
read = read_ofd


def read_ofd_invoice_data(path: Path | bytes) -> dict[str, str]:
    """Invoice values the file carries as data (attached invoice XML, custom tags, ``CustomData``), flattened.

    Keys follow ofdkit's names with dots for nesting (``buyer.tax_id``, ``items.0.amount``);
    ``CustomData`` entries of OFD.xml are kept verbatim under ``custom.<name>``. Empty when the file
    carries no such data.
    """
    import ofdkit

    try:
        with ofdkit.open(path if isinstance(path, bytes) else str(path)) as doc:
            return _invoice_data(doc)
    except ofdkit.OFDError as exc:
        raise InputRejected(
            "OFD 文件损坏或无法解析 (corrupt OFD)", code="corrupt_ofd", reason=str(exc)
        ) from exc


def _embedded(doc: Any) -> dict[str, str]:
    """:func:`_invoice_data`, but a broken attachment never makes the readable pages fail."""
    import ofdkit

    try:
        return _invoice_data(doc)
    except (ofdkit.OFDError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.info("OFD invoice data unreadable: %s", exc)
        return {}


def _invoice_data(doc: Any) -> dict[str, str]:
    invoice = doc.invoice()
    custom = dict(doc.info.custom_data)
    out: dict[str, str] = {}
    if invoice is not None:
        data = invoice.to_dict()
        data.pop("warnings", None)
        data["sources"] = ",".join(data.get("sources") or [])
        _flatten(data, "", out)
    for name, value in custom.items():
        if value:
            out[f"custom.{name}"] = value
    return out


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}{key}.", out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _flatten(item, f"{prefix}{i}.", out)
    elif value not in (None, ""):
        out[prefix.rstrip(".")] = str(value)


def _page(page: Any, number: int, wrapped: dict[tuple[str, str], tuple[float, list[Piece]]]) -> PageText:
    x0, y0, width, height = page.box
    seen: set[tuple[str, int, int]] = set()
    words: list[tuple[float, Word]] = []  # (baseline, word)
    for run in page.runs:
        for raw, x, y, advance in _pieces(run, wrapped):
            text = normalize_text(raw)
            key = (text, round(x * 4), round(y * 4))
            if not text or key in seen or not _on_page(x, y, x0, y0, width, height):
                continue  # blank, drawn twice (fake bold) or off the page
            seen.add(key)
            size = run.size or 3.0
            bbox = BBox.from_points(
                x - x0, y - y0 - _ASCENT * size, x - x0 + advance, y - y0 + _DESCENT * size, width, height
            )
            words.append((y - y0, Word(text=text, bbox=bbox, confidence=1.0)))
    return PageText(
        page_no=number,
        width=width,
        height=height,
        source=TextSource.OFD,
        lines=order_lines(_join_lines(words, width, height)),
    )


def _pieces(
    run: TextRun, wrapped: dict[tuple[str, str], tuple[float, list[Piece]]]
) -> list[tuple[str, float, float, float]]:
    """(text, x, baseline y, advance) of each visual line of a run: itself, or its lines if its code wraps."""
    found = wrapped.get(((run.object_id or "").strip(), run.text))
    if found is None:
        return [(run.text, run.x, run.y, run.width)]
    size, pieces = found
    scale = (run.size or size) / size if size else 1.0
    return [(p.text, run.x + scale * p.dx, run.y + scale * p.dy, scale * p.advance) for p in pieces]


def _on_page(x: float, y: float, x0: float, y0: float, width: float, height: float) -> bool:
    return (
        x0 - _PAGE_MARGIN <= x <= x0 + width + _PAGE_MARGIN
        and y0 - _PAGE_MARGIN <= y <= y0 + height + _PAGE_MARGIN
    )


def _join_lines(words: list[tuple[float, Word]], width: float, height: float) -> list[TextLine]:
    """Words on one baseline with small gaps become one line; a wide gap (a table cell) starts another."""
    bands: list[list[tuple[float, Word]]] = []
    for baseline, word in sorted(words, key=lambda bw: bw[0]):
        size_mm = word.bbox.height * height
        if bands and baseline - bands[-1][-1][0] <= _SAME_BASELINE * size_mm:
            bands[-1].append((baseline, word))
        else:
            bands.append([(baseline, word)])
    out = []
    for band in bands:
        group: list[Word] = []
        for word in sorted((w for _, w in band), key=lambda w: w.bbox.x0):
            if group and (word.bbox.x0 - group[-1].bbox.x1) * width > _JOIN_GAP * word.bbox.height * height:
                out.append(_line(group, width, height))
                group = []
            group.append(word)
        out.append(_line(group, width, height))
    return out


def _line(words: list[Word], width: float, height: float) -> TextLine:
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    text = words[0].text + "".join(
        _joiner(a, b, width, height) + b.text for a, b in zip(words, words[1:], strict=False)
    )
    return TextLine(text=text, bbox=box, confidence=1.0, words=words)


def _joiner(prev: Word, word: Word, width: float, height: float) -> str:
    """A space between two runs when the gap is wider than a quarter of the text size."""
    gap = (word.bbox.x0 - prev.bbox.x1) * width
    return " " if gap > 0.25 * word.bbox.height * height else ""
