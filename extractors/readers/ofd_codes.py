"""QR codes of an OFD (数电票 and other e-invoices): the raster images a page places, decoded with zxing.

An OFD is a zip of XML. A page's ``Content.xml`` places ``ImageObject`` elements (``ResourceID``,
``Boundary`` in mm); the document's resource files (``DocumentRes.xml``, ``PublicRes.xml``) map each resource
id to a ``MultiMedia`` file under their ``BaseLoc``. Images placed by a page template count for every page
using it. JBIG2 images (``.jb2``, how some 税控 writers store the QR) are decoded by pdfium: the file's
segments are wrapped as a ``JBIG2Decode`` image in a one-page PDF, which is rendered.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import struct
import zipfile
from pathlib import Path

import cv2
import numpy as np

from extractors.readers import codes
from idp.models.geometry import BBox
from idp.models.page import Barcode, PageText

logger = logging.getLogger(__name__)

_IMAGE_OBJECT = re.compile(r"<(?:\w+:)?ImageObject\b([^>]*)>")
_MULTIMEDIA = re.compile(
    r"<(?:\w+:)?MultiMedia\b([^>]*)>\s*<(?:\w+:)?MediaFile>([^<]+)</(?:\w+:)?MediaFile>", re.S
)
_RES_ROOT = re.compile(r"<(?:\w+:)?Res\b([^>]*)>")
_TEMPLATE_REF = re.compile(r"<(?:\w+:)?Template\b[^>]*\bTemplateID=\"(\d+)\"")
_TEMPLATE_PAGE = re.compile(r"<(?:\w+:)?TemplatePage\b([^>]*)/?>")
_DECODABLE = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
#: Images larger than this (pixels) are page scans or backgrounds, not a QR code: not decoded.
_MAX_PIXELS = 4_000_000
#: A standalone JBIG2 file's first bytes, and the segment type of its page-information segment.
_JBIG2_ID = b"\x97JB2\r\n\x1a\n"
_PAGE_INFORMATION = 48
#: Images with a shorter side (pixels) are enlarged before decoding.
_SMALL_SIDE = 200


def _attr(attrs: str, name: str) -> str | None:
    found = re.search(rf"\b{name}=\"([^\"]*)\"", attrs)
    return found[1] if found else None


def add_codes(path: Path | bytes, pages: list[PageText], locations: list[str]) -> list[PageText]:
    """``pages`` with the QR codes their images hold; ``locations`` are the pages' ``Content.xml`` paths."""
    try:
        with zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path) as zf:
            names = {n.lstrip("/"): n for n in zf.namelist()}
            media = _media_files(zf, names)
            templates = _template_contents(zf, names)
            out = []
            for page, location in zip(pages, locations, strict=True):
                found = _page_codes(zf, names, media, templates, location, page)
                out.append(page.model_copy(update={"codes": [*page.codes, *found]}) if found else page)
            return out
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:  # the text was read: keep it
        logger.warning("OFD QR codes not decoded: %s", exc)
        return pages


def _read(zf: zipfile.ZipFile, names: dict[str, str], path: str) -> str:
    return zf.read(names[path]).decode("utf-8", "replace")


def _media_files(zf: zipfile.ZipFile, names: dict[str, str]) -> dict[str, str]:
    """Resource id → path of its media file in the zip, over every resource XML."""
    out: dict[str, str] = {}
    for name in names:
        if not name.lower().endswith(".xml") or "res" not in posixpath.basename(name).lower():
            continue
        xml = _read(zf, names, name)
        root = _RES_ROOT.search(xml)
        base = posixpath.join(posixpath.dirname(name), (_attr(root[1], "BaseLoc") or "") if root else "")
        for attrs, media in _MULTIMEDIA.findall(xml):
            res_id = _attr(attrs, "ID")
            if res_id:
                media = media.strip()
                full = (
                    media.lstrip("/")
                    if media.startswith("/")
                    else posixpath.normpath(posixpath.join(base, media))
                )
                out[res_id] = full
    return out


def _template_contents(zf: zipfile.ZipFile, names: dict[str, str]) -> dict[str, str]:
    """Template id → its content XML (from every Document.xml)."""
    out: dict[str, str] = {}
    for name in names:
        if posixpath.basename(name) != "Document.xml":
            continue
        folder = posixpath.dirname(name)
        for attrs in _TEMPLATE_PAGE.findall(_read(zf, names, name)):
            tpl_id, loc = _attr(attrs, "ID"), _attr(attrs, "BaseLoc")
            path = posixpath.normpath(posixpath.join(folder, loc)) if loc else None
            if tpl_id and path in names:
                out[tpl_id] = _read(zf, names, path)
    return out


def _page_codes(
    zf: zipfile.ZipFile,
    names: dict[str, str],
    media: dict[str, str],
    templates: dict[str, str],
    location: str,
    page: PageText,
) -> list[Barcode]:
    location = location.lstrip("/")
    if location not in names:
        return []
    content = _read(zf, names, location)
    xmls = [content] + [templates[t] for t in _TEMPLATE_REF.findall(content) if t in templates]
    out: list[Barcode] = []
    for xml in xmls:
        for attrs in _IMAGE_OBJECT.findall(xml):
            file = media.get(_attr(attrs, "ResourceID") or "")
            if file is None or file not in names:
                continue
            data = zf.read(names[file])
            if data.startswith(_JBIG2_ID):
                image = jbig2_grey(data)
            elif file.lower().endswith(_DECODABLE):
                image = _grey(data)
            else:
                logger.info("OFD image %s: no decoder for this format", file)
                continue
            if image is None or image.size > _MAX_PIXELS:
                continue
            box = _boundary(_attr(attrs, "Boundary"), page)
            out += [code.model_copy(update={"bbox": box}) for code in codes.decode_image(image)]
    return out


def jbig2_grey(data: bytes, scale: int = 4) -> np.ndarray | None:
    """A standalone JBIG2 file (one page, sequential organisation) as a grey image, through pdfium.

    A PDF ``JBIG2Decode`` stream is the file's segments without the file header; the page size comes from
    the first segment (page information). Anything else (several pages, random access) gives None.
    """
    import pypdfium2 as pdfium

    flags = data[8] if len(data) > 8 else 0
    body = data[9 + (0 if flags & 2 else 4) :]
    if flags & 1 == 0 or len(body) < 19:
        return None  # random-access organisation, or too short for a page-information segment
    seg_flags, refs = body[4], body[5] >> 5
    if seg_flags & 0x3F != _PAGE_INFORMATION or refs > 4:
        return None
    pos = 6 + refs + (4 if seg_flags & 0x40 else 1) + 4
    width, height = struct.unpack(">II", body[pos : pos + 8])
    if not 0 < width * height <= _MAX_PIXELS:
        return None
    content = b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (width, height)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>" % (width, height),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Filter /JBIG2Decode /Length %d >>\nstream\n%s\nendstream" % (width, height, len(body), body),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = io.BytesIO(b"%PDF-1.5\n")
    pdf.seek(0, io.SEEK_END)
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(pdf.tell())
        pdf.write(b"%d 0 obj\n%s\nendobj\n" % (number, obj))
    xref = pdf.tell()
    pdf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    pdf.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    pdf.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    try:
        doc = pdfium.PdfDocument(pdf.getvalue())
        try:
            bitmap = doc[0].render(scale=scale, grayscale=True).to_numpy()
        finally:
            doc.close()
    except pdfium.PdfiumError:
        return None
    grey = np.ascontiguousarray(bitmap[..., 0] if bitmap.ndim == 3 else bitmap)
    pad = 4 * scale  # the quiet zone such files leave out
    return cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def _grey(data: bytes) -> np.ndarray | None:
    """The image as grey on white, ready for the decoder.

    Transparency becomes paper (a PNG QR on a transparent ground would otherwise read as black on black), and
    a small image, often the bare modules at one pixel each without a quiet zone (a 37 x 37 JPEG), gets a
    white border and is enlarged with hard edges, then binarised (JPEG ringing).
    """
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None or image.size == 0:
        return None
    if image.ndim == 3 and image.shape[2] == 4:
        alpha = image[..., 3:4].astype(np.float32) / 255.0
        image = (image[..., :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.dtype != np.uint8:
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    side = min(image.shape[:2])
    if side < _SMALL_SIDE:
        border = max(4, side // 8)
        image = cv2.copyMakeBorder(image, border, border, border, border, cv2.BORDER_CONSTANT, value=255)
        factor = max(2, _SMALL_SIDE * 2 // side)
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_NEAREST)
        _, image = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return image


def _boundary(text: str | None, page: PageText) -> BBox | None:
    """An OFD ``Boundary`` ("x y w h", mm) as a box normalised to the page."""
    try:
        x, y, w, h = (float(v) for v in (text or "").split())
    except ValueError:
        return None
    return BBox.from_points(x, y, x + w, y + h, page.width, page.height)
