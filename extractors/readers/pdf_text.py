"""Reads a PDF's text layer with pdfplumber: words with normalised boxes, grouped into lines in reading order.

Bad files raise :class:`idp.errors.InputRejected` with a stable ``code`` (owner-password-only PDFs are read);
a page without a text layer comes back with no lines, for the OCR reader.
"""

from __future__ import annotations

import logging
from pathlib import Path
from statistics import median
from typing import Any

from idp.errors import InputRejected
from idp.models import BBox, PageText, TextLine, TextSource, Word

logger = logging.getLogger(__name__)

#: Bytes at the start of the file searched for the ``%PDF-`` header (some writers put junk before it).
_HEADER_WINDOW = 1024
#: Bytes at the end searched for ``%%EOF``; a file without it was cut off.
_TRAILER_WINDOW = 4096
#: Two words share a line when their vertical centres differ by less than this share of the smaller height.
_LINE_TOLERANCE = 0.5
#: A gap wider than this share of the line's text height is visible and becomes a space in the line text.
_SPACE_GAP = 0.15
#: A word is split after these characters when more text follows ("发票代码:0120..." → label, value).
_LABEL_ENDS = ":："


def is_available() -> bool:
    """pdfplumber is importable."""
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        return False
    return True


def read_pdf(path: Path, *, pages: set[int] | None = None) -> list[PageText]:
    """Return one :class:`PageText` per page of the PDF's text layer (only the 1-based ``pages`` if given)."""
    pdf = _open(Path(path))
    try:
        out = []
        for number, page in enumerate(pdf.pages, start=1):
            if pages is not None and number not in pages:
                continue
            try:
                words = page.extract_words(extra_attrs=["size"], return_chars=True)
            except Exception as exc:  # pdfminer raises many types on a broken content stream
                raise _rejected(
                    "corrupt_pdf", "PDF 页面内容损坏", "page content is corrupt", path, page=number
                ) from exc
            out.append(_page_text(number, float(page.width), float(page.height), words))
        return out
    finally:
        pdf.close()


#: The common reader name (``read(path)``) used by the readers registry.
read = read_pdf


def page_count(path: Path) -> int:
    """Number of pages, after the same checks as :func:`read_pdf`."""
    pdf = _open(Path(path))
    try:
        return len(pdf.pages)
    finally:
        pdf.close()


def _rejected(code: str, zh: str, en: str, path: Path, **detail: Any) -> InputRejected:
    return InputRejected(f"{zh} ({en})", code=code, filename=path.name, **detail)


def _open(path: Path) -> Any:
    """Check the bytes, then open with pdfplumber; every failure becomes an InputRejected."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(_HEADER_WINDOW)
            fh.seek(max(0, size - _TRAILER_WINDOW))
            tail = fh.read()
    except OSError as exc:
        raise _rejected("unreadable_file", "无法读取文件", "cannot read the file", path) from exc
    if size == 0:
        raise _rejected("empty_file", "文件为空", "the file is empty", path)
    if b"%PDF-" not in head:
        raise _rejected("not_a_pdf", "文件不是 PDF", "not a PDF file", path)
    if b"%%EOF" not in tail:
        raise _rejected("corrupt_pdf", "PDF 文件不完整或已损坏", "the PDF is truncated or corrupt", path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps pdfminer's errors, which have no common base worth naming
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _rejected(
                "encrypted_pdf", "PDF 已加密，请提供未加密的文件", "the PDF is encrypted", path
            ) from exc
        raise _rejected("corrupt_pdf", "PDF 文件已损坏，无法解析", "the PDF cannot be parsed", path) from exc
    try:
        count = len(pdf.pages)
    except Exception as exc:
        pdf.close()
        raise _rejected("corrupt_pdf", "PDF 页面结构损坏", "the page tree is corrupt", path) from exc
    if count == 0:
        pdf.close()
        raise _rejected("no_pages", "PDF 没有页面", "the PDF has no pages", path)
    return pdf


def _page_text(number: int, width: float, height: float, raw_words: list[dict[str, Any]]) -> PageText:
    words = []
    for raw in raw_words:
        for chars in _split_after_colon(raw["chars"]):
            text = "".join(c["text"] for c in chars)
            if text.strip():
                x0, x1 = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
                top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
                words.append(Word(text=text, bbox=BBox.from_points(x0, top, x1, bottom, width, height)))
    return PageText(
        page_no=number,
        width=width,
        height=height,
        source=TextSource.TEXT_LAYER,
        lines=group_lines(words, width, height),
    )


def _split_after_colon(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    parts: list[list[dict[str, Any]]] = [[]]
    for i, char in enumerate(chars):
        parts[-1].append(char)
        if char["text"] in _LABEL_ENDS and i < len(chars) - 1:
            parts.append([])
    return parts


def group_lines(words: list[Word], width: float = 1.0, height: float = 1.0) -> list[TextLine]:
    """Cluster words into lines by vertical centre, then order lines top-down and words left-right.

    A word joins the line whose running centre is nearest, if within ``_LINE_TOLERANCE`` of the smaller
    height; the running centre (not the line's extent) is compared, so rows never chain into each other.
    ``width``/``height`` are the page size, used to compare horizontal gaps with text heights.
    """
    rows: list[list[Word]] = []
    centres: list[float] = []
    heights: list[float] = []
    for word in sorted(words, key=lambda w: (w.bbox.cy, w.bbox.x0)):
        best, best_dist = -1, 0.0
        for i in range(len(rows)):
            dist = abs(word.bbox.cy - centres[i])
            if dist <= _LINE_TOLERANCE * min(word.bbox.height, heights[i]) and (best < 0 or dist < best_dist):
                best, best_dist = i, dist
        if best < 0:
            rows.append([word])
            centres.append(word.bbox.cy)
            heights.append(word.bbox.height)
        else:
            rows[best].append(word)
            n = len(rows[best])
            centres[best] += (word.bbox.cy - centres[best]) / n
            heights[best] += (word.bbox.height - heights[best]) / n
    lines = [_line(sorted(row, key=lambda w: w.bbox.x0), width / height) for row in rows]
    return sorted(lines, key=lambda line: (line.bbox.cy, line.bbox.x0))


def _line(words: list[Word], aspect: float) -> TextLine:
    text_height = median(w.bbox.height for w in words) / aspect  # in units of page width
    parts = [words[0].text]
    for prev, word in zip(words, words[1:], strict=False):
        if word.bbox.x0 - prev.bbox.x1 > _SPACE_GAP * text_height:
            parts.append(" ")
        parts.append(word.text)
    box = words[0].bbox
    for word in words[1:]:
        box = box.union(word.bbox)
    return TextLine(text="".join(parts), bbox=box, words=words)
