"""Drawing a page from its text lines (an OFD page, which no renderer here draws), with the CJK font."""

from __future__ import annotations

import logging
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from idp.models import PageText

logger = logging.getLogger(__name__)

#: Width in pixels of a page drawn from its text lines.
TEXT_PAGE_WIDTH = 1100
#: Face of the bundled Noto Sans CJK collection used for Chinese text (index 2 = Simplified Chinese).
_CJK_FACE_INDEX = 2


def draw_text_page(text: PageText) -> Image.Image:
    """A white page of the right aspect with every text line drawn in its box."""
    width = TEXT_PAGE_WIDTH
    height = max(1, round(width * text.height / text.width))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for line in text.lines:
        x0, y0 = line.bbox.x0 * width, line.bbox.y0 * height
        x1, y1 = line.bbox.x1 * width, line.bbox.y1 * height
        draw.rectangle((x0, y0, x1, y1), outline=(215, 215, 225))
        size = max(8, int((y1 - y0) * 0.8))
        font = font_of(size)
        # Shrink the text until it fits its box (the original font is unknown).
        while size > 8 and draw.textlength(line.text, font=font) > (x1 - x0) * 1.05:
            size -= 1
            font = font_of(size)
        draw.text((x0, y0 + (y1 - y0 - size) / 2), line.text, fill=(20, 20, 20), font=font)
    return image


@lru_cache(maxsize=32)
def font_of(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        import noto_cjk_sans_otc

        return ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=_CJK_FACE_INDEX)
    except Exception as exc:  # no CJK font: Latin-only bitmap font, Chinese shows as boxes
        logger.warning("CJK font unavailable: %s", exc)
        return ImageFont.load_default(size)
