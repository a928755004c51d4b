"""The page images the review viewer shows, rendered by the worker in the frame the reader's boxes refer to.

A field's box is relative to the page the reader saw: for OCR that is the photo or scan *after* the document
crop (perspective), the 90° turn, the deskew and a final 180° turn (:func:`extractors.readers.preprocess.
prepare`, :func:`extractors.readers.image.ocr_image`). Drawing the raw photo put the boxes off the text, so the
same geometric steps are replayed here on the same decoded frame, with the same measuring functions (they are
deterministic), keeping the original colours (seals stay visible to a person). Light flattening, seal
suppression and upscaling change pixels, not geometry, and are not replayed. Text-layer PDF pages are rendered
by pdfium; OFD pages are drawn from their text. Images are stored in the file store with a thumbnail and
recorded in ``page_images``, so the API only ever serves stored bytes.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from idp.models import PageText, TextSource
from idp.settings import Settings, get_settings
from idp.storage import page_images
from idp.storage.blobstore import file_store
from idp.storage.db import session_scope
from queues.page_draw import draw_text_page

logger = logging.getLogger(__name__)

#: Resolution of text-layer PDF pages (sharp enough for 8-pt print at 2x zoom).
PREVIEW_DPI = 150
#: Longest side of a stored page image (a 600-dpi scan or a phone photo is scaled down to this).
MAX_SIDE = 2200
#: Width of a thumbnail.
THUMB_WIDTH = 160
#: Aspect ratios of the replayed frame and the reader's page may differ by this much before the replay is
#: distrusted (the reader's own preparation is then run instead).
_ASPECT_TOLERANCE = 0.01
_DESKEW = re.compile(r"deskew\(([-+]?\d+(?:\.\d+)?)°\)")


@dataclass(frozen=True)
class RenderedPage:
    """One page image, encoded, ready to store (made in the bounded child, stored by the worker)."""

    page_no: int
    full: bytes
    thumb: bytes
    size: tuple[int, int]
    frame: str


def render_pages(path: Path, pages: list[PageText]) -> list[RenderedPage]:
    """Every page of one upload in the frame its boxes refer to (a failure only costs that page's image).

    Pure: no database, no file store, so it runs in the bounded child (``queues.sandbox``)."""
    out = []
    frames = _Frames(path)
    try:
        for page in pages:
            try:
                image, frame = page_frame(frames, page)
            except Exception as exc:  # a preview must never fail the document
                logger.warning("no page image for page %d of %s: %s", page.page_no, path.name, exc)
                continue
            full, thumb, size = _encode(image)
            out.append(RenderedPage(page.page_no, full, thumb, size, frame))
    finally:
        frames.close()
    return out


def save_pages(settings: Settings, document_id: str, rendered: list[RenderedPage], *, now: datetime) -> int:
    """Store rendered pages in the file store and record them in ``page_images``; returns how many."""
    store = file_store(settings)
    for page in rendered:
        _, key = store.put(page.full)
        _, thumb_key = store.put(page.thumb)
        with session_scope(settings.effective_database_url) as s:
            page_images.save(s, document_id=document_id, page_no=page.page_no, storage_key=key,
                             thumb_key=thumb_key, media_type="image/jpeg", size=page.size, frame=page.frame, now=now)
    return len(rendered)


def render_document(settings: Settings, document_id: str, path: Path, pages: list[PageText], *,
                    now: datetime) -> int:
    """Render and store every page of one upload in this process (the backfill command); returns how many."""
    return save_pages(settings, document_id, render_pages(path, pages), now=now)


def page_frame(frames: _Frames, page: PageText) -> tuple[Image.Image, str]:
    """The page as the reader saw it (RGB) and how it was made: ``reader``, ``render`` or ``text``."""
    if page.source == TextSource.OFD:
        return draw_text_page(page), "text"
    if page.source == TextSource.TEXT_LAYER:
        return frames.pdf_page(page.page_no, PREVIEW_DPI), "render"
    bgr = frames.raster(page)
    return _to_pil(replay(bgr, page)), "reader"


def replay(bgr: np.ndarray, page: PageText) -> np.ndarray:
    """The reader's geometric steps on the decoded frame: viewer or document crop, turn 90°, deskew, turn 180°
    (scaling changes no geometry: boxes are fractions of the page)."""
    from extractors.readers.frame import find_viewer_page
    from extractors.readers.preprocess import rotate_by, warp_quad
    from extractors.readers.preprocess_measure import find_document_quad, measure_layout

    steps = page.preprocessing
    image = bgr
    if "viewer_crop" in steps:  # a screenshot of a PDF viewer: the page without the viewer around it
        box = find_viewer_page(image)
        if box is not None:
            x0, y0, x1, y1 = box
            image = np.ascontiguousarray(image[y0:y1, x0:x1])
    if "document_crop" in steps:
        quad = find_document_quad(image)
        if quad is not None:
            image = warp_quad(image, quad)
    skew = next((float(m.group(1)) for s in steps if (m := _DESKEW.fullmatch(s))), None)
    if skew is not None:
        measured = measure_layout(image).skew  # the exact angle (the step's name keeps one decimal)
        skew = measured if abs(measured - skew) < 0.06 else skew
    if "rotate_90" in steps:
        image = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    if skew is not None:
        image = rotate_by(image, skew)
    if "rotate_180" in steps:
        image = cv2.rotate(image, cv2.ROTATE_180)
    h, w = image.shape[:2]
    if abs((w / h) / (page.width / page.height) - 1) > _ASPECT_TOLERANCE:
        logger.warning("page %d: replayed frame %dx%d does not match the reader's %gx%g; using its preparation",
                       page.page_no, w, h, page.width, page.height)
        image = _prepared(bgr, page)
    return image


def _prepared(bgr: np.ndarray, page: PageText) -> np.ndarray:
    from extractors.readers.preprocess import PreprocessOptions, prepare

    image = prepare(bgr, PreprocessOptions(orientation="kept_upright" not in page.preprocessing)).image
    return cv2.rotate(image, cv2.ROTATE_180) if "rotate_180" in page.preprocessing else image


class _Frames:
    """Decoded frames of one file, opened once for all its pages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as fh:
            self.is_pdf = b"%PDF-" in fh.read(1024)
        self._pdf = None
        self._images: list[np.ndarray] | None = None

    def _doc(self):  # type: ignore[no-untyped-def]
        if self._pdf is None:
            import pypdfium2 as pdfium

            self._pdf = pdfium.PdfDocument(str(self.path))
        return self._pdf

    def pdf_page(self, page_no: int, dpi: int) -> Image.Image:
        from extractors.readers.limits import Limits, render_scale

        page = self._doc()[page_no - 1]
        try:
            width, height = page.get_size()
            scale = render_scale(width, height, dpi, Limits.from_settings(get_settings()))
            return page.render(scale=scale).to_pil().convert("RGB")
        finally:
            page.close()

    def raster(self, page: PageText) -> np.ndarray:
        """The BGR frame OCR started from: a PDF page rendered as the reader renders it, or an image frame."""
        if self.is_pdf:
            from extractors.readers.dispatch import RENDER_DPI, render_page

            pdf_page = self._doc()[page.page_no - 1]
            try:
                return render_page(pdf_page, RENDER_DPI)
            finally:
                pdf_page.close()
        if self._images is None:
            from extractors.readers.image import load_frames

            self._images = [array for array, _, _ in load_frames(self.path)]
        return self._images[page.page_no - 1]

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _to_pil(bgr: np.ndarray) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(bgr[:, :, ::-1]))


def _encode(image: Image.Image) -> tuple[bytes, bytes, tuple[int, int]]:
    """JPEG of the page (at most ``MAX_SIDE``) and of its thumbnail; 4:4:4 keeps thin coloured print sharp."""
    if max(image.size) > MAX_SIDE:
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    full = io.BytesIO()
    image.save(full, format="JPEG", quality=88, subsampling=0, optimize=True)
    thumb_img = image.copy()
    thumb_img.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4), Image.Resampling.LANCZOS)
    thumb = io.BytesIO()
    thumb_img.save(thumb, format="JPEG", quality=75)
    return full.getvalue(), thumb.getvalue(), image.size


def render_missing(settings: Settings, *, now: datetime, limit: int | None = None) -> int:
    """Store page images for read uploads that have none yet (data from before they were stored); returns how
    many documents were rendered. Pages come from the stored ``page_text``; nothing is read again."""
    from sqlalchemy import select

    from idp.storage.tables import DocumentRow, PageImageRow

    with session_scope(settings.effective_database_url) as s:
        rendered = select(PageImageRow.document_id).distinct()
        query = (select(DocumentRow.id, DocumentRow.storage_key, DocumentRow.page_text)
                 .where(DocumentRow.parent_id.is_(None), DocumentRow.page_text.is_not(None),
                        DocumentRow.id.not_in(rendered)).order_by(DocumentRow.created_at))
        rows = s.execute(query.limit(limit) if limit else query).all()
    store = file_store(settings)
    done = 0
    for doc_id, key, raw in rows:
        pages = [PageText.model_validate(p) for p in raw or []]
        if pages and store.exists(key) and render_document(settings, doc_id, store.local_path(key), pages, now=now):
            done += 1
    return done
