"""Page previews for the review screen: any stored file becomes one PNG per page that a reviewer can look at.

PDFs are rendered with pdfium and images with PIL. OFD is drawn from its text lines because no OFD renderer is
installed. A file that cannot be drawn gives a small 无法预览 placeholder, never an error.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps

from idp.models import PageText

logger = logging.getLogger(__name__)

#: Resolution of PDF previews: sharp enough for 8-pt invoice print, small enough to load at once.
_PDF_DPI = 130
#: Longest side, in pixels, of an image preview (phone photos and 600-dpi scans are scaled down).
_MAX_SIDE = 2000
#: Width in pixels of a page drawn from its text lines (OFD without a renderer).
_TEXT_PAGE_WIDTH = 1100
#: Face of the bundled Noto Sans CJK collection used for Chinese text (index 2 = Simplified Chinese).
_CJK_FACE_INDEX = 2
#: Size of the 无法预览 placeholder (about A4 landscape-ish, so it reads as "a page").
_PLACEHOLDER_SIZE = (640, 420)
#: Bumped when rendering changes, so stale cached previews are not served.
_CACHE_VERSION = 1


class PageOutOfRange(Exception):
    """The document has fewer pages than the one asked for."""


def render_page(
    path: Path,
    *,
    page_no: int,
    sha256: str,
    cache_dir: Path,
    page_text: list[dict[str, Any]] | None = None,
) -> bytes:
    """PNG bytes of one page (1-based); a placeholder if the file cannot be drawn.

    The boxes of extracted fields are relative to the page the reader saw. When the reader rotated the
    page (``PageText.rotation_applied``, degrees clockwise) the preview is rotated the same way, so the
    boxes line up.

    Raises:
        PageOutOfRange: the file is readable but has no page ``page_no``.
    """
    text = _page_text(page_text, page_no)
    rotation = text.rotation_applied % 360 if text else 0
    cached = cache_dir / sha256[:2] / f"{sha256}-p{page_no}-r{rotation}-v{_CACHE_VERSION}.png"
    if cached.exists():
        return cached.read_bytes()
    try:
        kind = _sniff(path)
        if kind == "pdf":
            image = _render_pdf(path, page_no)
        elif kind == "ofd":
            if text is None:
                if page_text and page_no > len(page_text):
                    raise PageOutOfRange(page_no)
                return placeholder("无法预览", "OFD 尚未读取")
            return _to_png(draw_text_page(text))  # drawn from text: not cached, the text may be re-read
        else:
            image = _render_image(path, page_no)
    except PageOutOfRange:
        raise
    except Exception as exc:  # anything unreadable becomes a placeholder, never a 500
        logger.warning("cannot render %s page %d: %s", path.name, page_no, exc)
        return placeholder("无法预览", type(exc).__name__)
    if rotation:
        image = image.rotate(-rotation, expand=True, fillcolor="white")
    png = _to_png(image)
    _store(cached, png)
    return png


def count_pages(path: Path) -> int | None:
    """Number of pages of a PDF or (multi-frame) image; None when the file cannot be opened."""
    try:
        kind = _sniff(path)
        if kind == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(path)
            try:
                return len(pdf)
            finally:
                pdf.close()
        if kind == "image":
            with Image.open(path) as img:
                return int(getattr(img, "n_frames", 1))
    except Exception as exc:
        logger.info("cannot count pages of %s: %s", path.name, exc)
    return None


def draw_text_page(text: PageText) -> Image.Image:
    """A white page of the right aspect with every text line drawn in its box (preview without a renderer)."""
    width = _TEXT_PAGE_WIDTH
    height = max(1, round(width * text.height / text.width))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for line in text.lines:
        x0, y0 = line.bbox.x0 * width, line.bbox.y0 * height
        x1, y1 = line.bbox.x1 * width, line.bbox.y1 * height
        draw.rectangle((x0, y0, x1, y1), outline=(215, 215, 225))
        size = max(8, int((y1 - y0) * 0.8))
        font = _font(size)
        # Shrink the text until it fits its box (the original font is unknown).
        while size > 8 and draw.textlength(line.text, font=font) > (x1 - x0) * 1.05:
            size -= 1
            font = _font(size)
        draw.text((x0, y0 + (y1 - y0 - size) / 2), line.text, fill=(20, 20, 20), font=font)
    return image


def placeholder(title: str, detail: str = "") -> bytes:
    """A small grey PNG saying why there is no preview."""
    image = Image.new("RGB", _PLACEHOLDER_SIZE, (238, 238, 238))
    draw = ImageDraw.Draw(image)
    w, h = _PLACEHOLDER_SIZE
    draw.rectangle((0, 0, w - 1, h - 1), outline=(190, 190, 190), width=2)
    big = _font(40)
    draw.text((w / 2, h / 2 - 12), title, fill=(110, 110, 110), font=big, anchor="mm")
    if detail:
        draw.text((w / 2, h / 2 + 32), detail[:60], fill=(140, 140, 140), font=_font(18), anchor="mm")
    return _to_png(image)


def _sniff(path: Path) -> str:
    """'pdf', 'ofd' (a zip package) or 'image', from the first bytes rather than the claimed type."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF" in head:
        return "pdf"
    if head.startswith(b"PK"):
        return "ofd"
    return "image"


def _render_pdf(path: Path, page_no: int) -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        if not 1 <= page_no <= len(pdf):
            raise PageOutOfRange(page_no)
        page = pdf[page_no - 1]
        try:
            image: Image.Image = page.render(scale=_PDF_DPI / 72).to_pil()
        finally:
            page.close()
    finally:
        pdf.close()
    return image.convert("RGB")


def _render_image(path: Path, page_no: int) -> Image.Image:
    with Image.open(path) as img:
        frames = int(getattr(img, "n_frames", 1))
        if not 1 <= page_no <= frames:
            raise PageOutOfRange(page_no)
        img.seek(page_no - 1)
        frame = ImageOps.exif_transpose(img)
        frame.load()
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        frame = flat
    elif frame.mode.startswith("I;16") or frame.mode == "I":
        frame = frame.convert("I").point(lambda v: v * (1 / 256)).convert("L")  # 16-bit greyscale scans
    frame = frame.convert("RGB")
    frame.thumbnail((_MAX_SIDE, _MAX_SIDE))
    return frame


def _page_text(page_text: list[dict[str, Any]] | None, page_no: int) -> PageText | None:
    for raw in page_text or []:
        try:
            text = PageText.model_validate(raw)
        except ValueError:
            continue
        if text.page_no == page_no:
            return text
    return None


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        import noto_cjk_sans_otc

        return ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=_CJK_FACE_INDEX)
    except Exception as exc:  # no CJK font: Latin-only bitmap font, Chinese shows as boxes
        logger.warning("CJK font unavailable: %s", exc)
        return ImageFont.load_default(size)


def _to_png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def _store(target: Path, png: bytes) -> None:
    """Write the cache file atomically; a read-only data dir only costs the cache."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".render-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(png)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("cannot cache preview %s: %s", target, exc)
