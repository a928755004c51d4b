"""PDF checks before decoding: page count and page sizes (pdfium reads them without loading a page), image
sizes from the image dictionaries, and every Flate stream inflated through a bounded decompressor.

The streams are found in the raw bytes (``... >> stream`` to ``endstream``), not through a PDF parser, so an
object stream or a content stream that inflates to a gigabyte is caught before any parser inflates it.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from extractors.readers.limits.errors import reject
from extractors.readers.limits.model import OCR_DPI, Inspection, Limits

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
#: How far before ``stream`` its dictionary is looked for.
_DICT_WINDOW = 4096
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
#: Direct values only (``/Height 12 0 R`` is a reference, not a height).
_WIDTH = re.compile(rb"/Width\s+(\d{1,12})\b(?!\s+\d+\s+R)")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,12})\b(?!\s+\d+\s+R)")
_CHUNK = 64 * 1024


def check_pdf(path: Path, limits: Limits) -> Inspection:
    """Refuse a PDF over a limit; a PDF pdfium cannot open is left to the reader (it names the problem)."""
    found = Inspection(kind="pdf")
    _check_pages(path, limits, found)
    _check_streams(Path(path).read_bytes(), limits, found)
    return found


def _check_pages(path: Path, limits: Limits, found: Inspection) -> None:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return  # encrypted, truncated, not a PDF: the reader's checks give the precise code
    try:
        _check_page_sizes(doc, limits, found)
    except pdfium.PdfiumError as exc:  # a page tree that contains itself, a broken /Count
        raise reject("corrupt_pdf", "PDF 页面结构损坏", "the page tree is corrupt", reason=str(exc)) from exc
    finally:
        doc.close()


def _check_page_sizes(doc: Any, limits: Limits, found: Inspection) -> None:
    count = len(doc)
    limits.check_pages(count)
    found.pages = count
    scale = OCR_DPI / 72
    for i in range(count):
        width, height = doc.get_page_size(i)
        limits.check_shape(width, height, "页面")
        pixels = int(width * scale) * int(height * scale)
        if pixels > limits.max_page_pixels:
            raise reject("page_too_large", f"第 {i + 1} 页尺寸 {width:.0f} x {height:.0f} pt 超出上限",
                         "page too large", page=i + 1, width_pt=round(width), height_pt=round(height))
        found.add_pixels(pixels, limits)


def _check_streams(data: bytes, limits: Limits, found: Inspection) -> None:
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - _DICT_WINDOW):match.start()]
        start_obj = head.rfind(b" obj")
        if start_obj >= 0:
            head = head[start_obj:]
        if _IMAGE.search(head):
            width, height = _WIDTH.search(head), _HEIGHT.search(head)
            if width and height:
                limits.check_image(int(width.group(1)), int(height.group(1)), "PDF 中的图像", shape=False)
            continue  # image data is decoded to its declared size only
        if _FLATE.search(head):
            size = inflated_size(data, match.end(), limits.max_stream_bytes)
            if size > limits.max_stream_bytes:
                raise reject("decompression_bomb", f"PDF 数据流解压后超过 {limits.max_stream_bytes} 字节",
                             "decompression bomb", limit=limits.max_stream_bytes, offset=match.end())
            found.add_inflated(size, limits)


def inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes the zlib stream at ``data[start:]`` inflates to, counting no further than ``limit + 1``.

    Broken or non-zlib data counts what inflated before the error (the reader reports real corruption).
    """
    inflater = zlib.decompressobj()
    out, pos = 0, start
    try:
        while pos < len(data) and not inflater.eof and out <= limit:
            pending = data[pos:pos + _CHUNK]
            pos += _CHUNK
            while pending and out <= limit:
                out += len(inflater.decompress(pending, limit + 1 - out))
                pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return out
