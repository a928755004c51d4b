"""One entry point for reading any accepted file: the bytes (never the name) decide PDF, OFD or image.

PDF pages are decided one by one: a usable text layer is read as is, anything else is rendered and OCR'd, so
a contract scanned behind a digital cover page reads correctly.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import cv2
import numpy as np

from extractors.readers import codes, pdf_text, pdfium_text, seals
from extractors.readers import image as image_reader
from extractors.readers import ofd as ofd_reader
from extractors.readers.image import ocr_image
from extractors.readers.normalize import normalize_page
from extractors.readers.preprocess import PreprocessOptions
from extractors.readers.spacing import merge_letter_spaced
from idp.errors import InputRejected
from idp.models.page import Barcode, PageText
from idp.settings import get_settings

logger = logging.getLogger(__name__)

#: Resolution scanned PDF pages are rendered at for OCR (dpi).
RENDER_DPI = 200
#: A text layer with fewer visible characters than this is treated as absent (page numbers, stray marks).
_MIN_TEXT_CHARS = 20
#: Sparse text on a page mostly covered by an image means a scan with a stamp of text: OCR it.
_SPARSE_TEXT_CHARS, _IMAGE_COVER = 80, 0.5
#: A text layer with more than this share of unmapped characters (``(cid:12)``, U+FFFD, private use) is junk.
_MAX_JUNK_SHARE = 0.2
_CID = re.compile(r"\(cid:\d+\)")
#: With ``pdf_text_reader = "pdfplumber"``, files with more pages than this still go through pdfium (a dense
#: statement page costs pdfplumber ~0.5 s).
_FAST_TEXT_PAGES = 3

_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),
    (b"MM\x00+", "tiff"),
    (b"BM", "bmp"),
)


def is_available() -> bool:
    return pdf_text.is_available() and ofd_reader.is_available()


def sniff(head: bytes, path: Path | None = None) -> str | None:
    """``"pdf"``, ``"ofd"``, ``"jpeg"``, ``"png"``, ``"tiff"``, ``"bmp"`` or None, from the first bytes."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04") and path is not None and _is_ofd_zip(path):
        return "ofd"
    return None


def read_document(
    path: Path, *, content_type: str | None = None, options: PreprocessOptions | None = None
) -> list[PageText]:
    """Read every page of a PDF, OFD or image file (``content_type`` is only a hint, for logs)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise InputRejected(
            "无法读取文件 (cannot read the file)", code="unreadable_file", filename=path.name
        ) from exc
    if not head:
        raise InputRejected("文件为空 (the file is empty)", code="empty_file", filename=path.name)
    kind = sniff(head, path)
    if kind is None:
        raise InputRejected(
            "不支持的文件格式，请上传 PDF、OFD 或图片 (unsupported format)",
            code="unsupported_format",
            filename=path.name,
            content_type=content_type,
        )
    if (
        content_type
        and kind not in content_type.lower()
        and not content_type.lower().startswith("application/oct")
    ):
        logger.info("%s: declared %s, content is %s", path.name, content_type, kind)
    if kind == "ofd":
        return ofd_reader.read_ofd(path)
    if kind == "pdf":
        pages = read_pdf_pages(path, options=options)
    else:
        pages = read_image_pages(path, options=options)
    return seals.annotate(path, kind, pages)  # seal/signature marks, only for files that read like contracts


#: The common reader name (``read(path)``) used by the readers registry.
read = read_document


def read_pdf_pages(path: Path, *, options: PreprocessOptions | None = None) -> list[PageText]:
    """Text layer where usable, OCR of the rendered page elsewhere (decided per page)."""
    pages = _read_text_layer(path)
    suspect = {i for i, page in enumerate(pages) if not _text_layer_ok(page)}
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pages)):
            pdf_page = doc[i]
            if i in suspect and _needs_ocr(pages[i], pdf_page):
                image = render_page(pdf_page)
                page = ocr_image(image, page_no=i + 1, options=options)
                pages[i] = page.model_copy(
                    update={
                        "preprocessing": [f"render({RENDER_DPI}dpi)", *page.preprocessing],
                        "codes": _codes_on(image, page),
                    }
                )
            else:
                search = codes.looks_like_invoice(pages[i].text)  # vector-drawn QRs: render the top band
                found = codes.decode_pdf_page(pdf_page, search_band=search)
                pages[i] = pages[i].model_copy(update={"codes": found})
    finally:
        doc.close()
    return pages


def read_image_pages(path: Path, *, options: PreprocessOptions | None = None) -> list[PageText]:
    """OCR every frame of an image file (as ``image.read_image``) and decode QR codes on the same pixels."""
    pages = []
    for page_no, (array, exif_turn, steps) in enumerate(image_reader.load_frames(path), start=1):
        page = ocr_image(array, page_no=page_no, options=options)
        pages.append(
            page.model_copy(
                update={
                    "rotation_applied": (page.rotation_applied + exif_turn) % 360,
                    "preprocessing": steps + page.preprocessing,
                    "codes": _codes_on(array, page),
                }
            )
        )
    return pages


def _codes_on(image: np.ndarray, page: PageText) -> list[Barcode]:
    """QR codes of the image a page was read from; their boxes only hold when OCR did not turn or crop it."""
    found = codes.decode_image(image)
    moved = ("document_crop", "viewer_crop", "scale_down", "rotate_", "deskew", "upscale")
    if page.rotation_applied or any(step.startswith(moved) for step in page.preprocessing):
        found = [c.model_copy(update={"bbox": None}) for c in found]
    return found


def _read_text_layer(path: Path) -> list[PageText]:
    """Normalised text-layer pages.

    pdfium (the default, ``settings.pdf_text_reader``) gives the same words as pdfplumber at ~5 ms a page
    instead of 40-80 ms (identical scores on every sample and real document). pdfplumber re-reads each page
    where pdfium dropped text objects or read mostly unmapped glyphs, since pdfminer decodes some fonts
    pdfium cannot; the reading with more mapped characters is kept.
    """
    count = pdf_text.page_count(path)  # pdfplumber's checks: empty, truncated, encrypted, no pages
    if get_settings().pdf_text_reader == "pdfplumber" and count <= _FAST_TEXT_PAGES:
        return [merge_letter_spaced(normalize_page(page)) for page in pdf_text.read_pdf(path)]
    pages, lost = pdfium_text.read_pdf_reporting_losses(path, normalise=True)
    junk = {p.page_no for p in pages if _visible_chars(p.text) and _junk_share(p.text) > _MAX_JUNK_SHARE}
    if lost | junk:
        for other in pdf_text.read_pdf(path, pages=lost | junk):
            pages[other.page_no - 1] = richer_text_layer(pages[other.page_no - 1], normalize_page(other))
    return [merge_letter_spaced(page) for page in pages]


def richer_text_layer(pdfium_page: PageText, plumber_page: PageText) -> PageText:
    """The reading of one page with more mapped characters; pdfium's on a tie (same words, tighter boxes)."""

    def mapped(page: PageText) -> float:
        return _visible_chars(page.text) * (1 - _junk_share(page.text))

    return plumber_page if mapped(plumber_page) > mapped(pdfium_page) else pdfium_page


def render_page(pdf_page: object, dpi: int = RENDER_DPI) -> np.ndarray:
    """A pypdfium2 page as a BGR array."""
    array = pdf_page.render(scale=dpi / 72).to_numpy()  # type: ignore[attr-defined]
    if array.ndim == 2:
        return cv2.cvtColor(array, cv2.COLOR_GRAY2BGR)
    if array.shape[2] == 4:
        return cv2.cvtColor(array, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(array)


def _text_layer_ok(page: PageText) -> bool:
    """Plenty of clean text: no need to look at the page's images."""
    text = page.text
    return _visible_chars(text) >= _SPARSE_TEXT_CHARS and _junk_share(text) <= _MAX_JUNK_SHARE


def _needs_ocr(page: PageText, pdf_page: object) -> bool:
    """No text, junk text, or a little text on a page that is mostly one image (a scan)."""
    text = page.text
    chars = _visible_chars(text)
    if chars < _MIN_TEXT_CHARS or _junk_share(text) > _MAX_JUNK_SHARE:
        return True
    return chars < _SPARSE_TEXT_CHARS and _image_cover(pdf_page) >= _IMAGE_COVER


def _visible_chars(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _junk_share(text: str) -> float:
    """Share of characters the PDF could not map to Unicode."""
    junk = sum(len(m) for m in _CID.findall(text))
    junk += sum(1 for ch in text if ch == "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF)
    return junk / max(1, _visible_chars(text))


def _image_cover(pdf_page: object) -> float:
    """Share of the page covered by its largest image object (0 when it has none)."""
    import pypdfium2.raw as pdfium_c

    width, height = pdf_page.get_size()  # type: ignore[attr-defined]
    best = 0.0
    for obj in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):  # type: ignore[attr-defined]
        left, bottom, right, top = obj.get_bounds()
        best = max(best, (right - left) * (top - bottom) / max(1.0, width * height))
    return min(1.0, best)


def _is_ofd_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.lower().lstrip("/") == "ofd.xml" for name in zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
