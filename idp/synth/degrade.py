"""Seeded degradations of rendered pages (scan and phone-photo defects), to measure reading against truth.

Every function takes and returns a BGR ``uint8`` array and is deterministic for a given seed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from idp.models.page import PageText

#: BGR of stamp ink (a bright red) and of a wooden desk.
_SEAL_BGR = (40, 30, 215)
_DESK_BGR = (70, 105, 140)


def render_pdf(source: Path | bytes, *, dpi: int = 200, pages: list[int] | None = None) -> list[np.ndarray]:
    """Render PDF pages (0-based indexes; all by default) to BGR images with pypdfium2.

    Chinese fonts a PDF names without embedding them (宋体, 楷体_GB2312, STSong-Light) are drawn with
    Noto Sans CJK (:mod:`extractors.readers.pdf_fonts`); without it a machine with no CJK font renders them
    blank and the text layer no longer matches what is drawn.
    """
    import pypdfium2 as pdfium

    from extractors.readers.pdf_fonts import install_cjk_fallback

    install_cjk_fallback()

    doc = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        indexes = range(len(doc)) if pages is None else pages
        out = []
        for i in indexes:
            array = doc[i].render(scale=dpi / 72).to_numpy()
            out.append(cv2.cvtColor(array, cv2.COLOR_BGRA2BGR) if array.shape[2] == 4 else array.copy())
        return out
    finally:
        doc.close()


def render_page_text(page: PageText, *, dpi: int = 200) -> np.ndarray:
    """Draw a page's words (e.g. an OFD page, whose units are mm) in black on white: a stand-in render for
    formats pypdfium2 cannot open, good enough to measure OCR against the text it came from.

    Each word fills its own box, as the file places its glyphs: a word whose box is much wider than the font
    draws it (OFD runs spaced out with DeltaX, "税　额") has its characters spread evenly across the box,
    and a word whose box is much narrower is squeezed to fit, so the drawn text lies where the truth says.
    """
    import noto_cjk_sans_otc
    from PIL import Image, ImageDraw, ImageFont

    px_per_unit = dpi / 25.4 if page.source == "ofd" else dpi / 72
    w, h = int(page.width * px_per_unit), int(page.height * px_per_unit)
    canvas = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(canvas)
    fonts: dict[int, ImageFont.FreeTypeFont] = {}
    for line in page.lines:
        for word in line.words or []:
            size = max(6, round(word.bbox.height * h))
            if size not in fonts:
                fonts[size] = ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=2)
            box = word.bbox
            _draw_word(canvas, draw, fonts[size], word.text, box.x0 * w, box.y1 * h, box.width * w)
    return cv2.cvtColor(np.asarray(canvas), cv2.COLOR_GRAY2BGR)


#: A word box this much wider (narrower) than the font draws the word spreads (squeezes) the word; it is
#: never squeezed below the last share (glyphs would stop being glyphs).
_SPREAD, _SQUEEZE, _MIN_SQUEEZE = 1.15, 0.85, 0.6


def _draw_word(canvas: Any, draw: Any, font: Any, text: str, x: float, bottom: float, box_w: float) -> None:
    from PIL import Image, ImageDraw

    natural = font.getlength(text)
    if len(text) > 1 and box_w > _SPREAD * natural:
        pitch = box_w / len(text)
        for i, ch in enumerate(text):
            cx = x + (i + 0.5) * pitch
            draw.text((cx, bottom), ch, fill=0, font=font, anchor="md")
        return
    if box_w >= _SQUEEZE * natural or box_w < 2:
        draw.text((x, bottom), text, fill=0, font=font, anchor="ld")
        return
    left, top, right, low = font.getbbox(text, anchor="ld")
    word = Image.new("L", (max(1, int(right - left) + 2), max(1, int(low - top) + 2)), 255)
    ImageDraw.Draw(word).text((1 - left, 1 - top), text, fill=0, font=font, anchor="ld")
    word = word.resize((max(1, int(max(box_w, _MIN_SQUEEZE * word.width))), word.height))
    mask = Image.eval(word, lambda v: 255 - v)
    canvas.paste(word, (int(x), int(bottom + top - 1)), mask)


def rotate_quadrant(img: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate by ``90° × quarter_turns`` clockwise, without loss."""
    k = quarter_turns % 4
    if k == 0:
        return img.copy()
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(img, codes[k])


def rotate_small(
    img: np.ndarray, degrees: float, *, fill: tuple[int, int, int] = (255, 255, 255)
) -> np.ndarray:
    """Rotate counter-clockwise by a few degrees, growing the canvas so no corner is cut."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=fill)


def on_desk(img: np.ndarray, seed: int, *, margin: float = 0.08) -> np.ndarray:
    """Lay the page on a textured desk with a margin around it (what a phone photo shows)."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    mh, mw = int(h * margin), int(w * margin)
    desk = np.empty((h + 2 * mh, w + 2 * mw, 3), np.float32)
    desk[:] = _DESK_BGR
    grain = cv2.resize(rng.normal(0, 18, (max(2, desk.shape[0] // 40), 8)), (desk.shape[1], desk.shape[0]))
    desk += grain[..., None]
    desk = np.clip(desk, 0, 255).astype(np.uint8)
    desk[mh : mh + h, mw : mw + w] = img
    return desk


def perspective(img: np.ndarray, seed: int, *, strength: float = 0.06) -> np.ndarray:
    """Warp as if shot at an angle: each corner moves inwards by up to ``strength`` of the side."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(0, strength, (4, 2)) * [w, h]
    sign = np.float32([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    dst = (src + sign * jitter).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=_DESK_BGR)


def shadow(img: np.ndarray, seed: int, *, depth: float = 0.45) -> np.ndarray:
    """Uneven light: a linear fall-off across the page plus a soft dark blob (a hand or phone shadow)."""
    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx / w) * math.cos(angle) + (yy / h) * math.sin(angle)
    ramp = (ramp - ramp.min()) / max(1e-6, float(np.ptp(ramp)))
    light = 1.0 - depth * 0.6 * ramp
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    radius = rng.uniform(0.25, 0.4) * max(h, w)
    blob = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2)))
    light *= 1.0 - depth * 0.5 * blob
    return np.clip(img.astype(np.float32) * light[..., None], 0, 255).astype(np.uint8)


def blur(img: np.ndarray, sigma: float = 1.2) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma)


def noise(img: np.ndarray, seed: int, *, sigma: float = 6.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(img.astype(np.float32) + rng.normal(0, sigma, img.shape), 0, 255).astype(np.uint8)


def jpeg(img: np.ndarray, quality: int = 40) -> np.ndarray:
    """Round-trip through JPEG at the given quality."""
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def stamp_seal(
    img: np.ndarray,
    seed: int,
    *,
    center: tuple[float, float] | None = None,
    text: str = "杭州样本电子科技有限公司",
) -> np.ndarray:
    """Stamp a round red company seal (ring, star, name on the arc) across the text, multiply-blended."""
    import noto_cjk_sans_otc
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng(seed)
    h, w = img.shape[:2]
    radius = int(min(h, w) * 0.14)
    size = 2 * radius + 4
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    ring = max(3, radius // 14)
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    star = [
        (
            c + radius * 0.28 * (1 if i % 2 == 0 else 0.4) * math.cos(math.pi / 2 + i * math.pi / 5),
            c - radius * 0.28 * (1 if i % 2 == 0 else 0.4) * math.sin(math.pi / 2 + i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=255)
    font = ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), max(10, radius // 4), index=2)
    span = math.radians(250)
    for i, ch in enumerate(text):
        a = math.pi / 2 + span / 2 - span * (i + 0.5) / len(text)
        glyph = Image.new("L", (radius // 3, radius // 3), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(math.degrees(a - math.pi / 2), expand=True)
        r = radius * 0.74
        layer.paste(
            glyph,
            (int(c + r * math.cos(a) - glyph.width / 2), int(c - r * math.sin(a) - glyph.height / 2)),
            glyph,
        )
    mask = np.asarray(layer, np.float32) / 255 * rng.uniform(0.75, 0.95)
    if center is None:
        center = (rng.uniform(0.55, 0.8) * w, rng.uniform(0.35, 0.7) * h)
    x0, y0 = int(center[0] - c), int(center[1] - c)
    out = img.astype(np.float32)
    sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(w, x0 + size), min(h, y0 + size)
    m = mask[sy0 - y0 : sy1 - y0, sx0 - x0 : sx1 - x0, None]
    ink = np.float32(_SEAL_BGR) / 255
    out[sy0:sy1, sx0:sx1] *= 1 - m * (1 - ink)
    return np.clip(out, 0, 255).astype(np.uint8)


def photo(img: np.ndarray, seed: int) -> np.ndarray:
    """The full phone-photo chain: seal, desk, ±5° rotation, perspective, shadow, blur, noise, JPEG q40."""
    rng = np.random.default_rng(seed)
    out = stamp_seal(img, seed)
    out = on_desk(out, seed)
    out = rotate_small(out, float(rng.uniform(3, 5) * rng.choice([-1, 1])), fill=_DESK_BGR)
    out = perspective(out, seed, strength=0.05)
    out = shadow(out, seed)
    out = blur(out, 1.1)
    out = noise(out, seed, sigma=5.0)
    return jpeg(out, 40)


def small_photo(img: np.ndarray, seed: int) -> np.ndarray:
    """The photo chain, then shrunk to 0.6x (text about 14 px high on a 200-dpi render) and JPEG q30."""
    out = photo(img, seed)
    out = cv2.resize(out, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    return jpeg(blur(out, 0.6), 30)


#: Named conditions used by tests, ``idp eval read`` and ``idp bench read``.
DEGRADATIONS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "clean": lambda img, seed: img.copy(),
    "rot90": lambda img, seed: rotate_quadrant(img, 1),
    "rot180": lambda img, seed: rotate_quadrant(img, 2),
    "rot270": lambda img, seed: rotate_quadrant(img, 3),
    "skew": lambda img, seed: rotate_small(img, 4.0 if seed % 2 else -4.0),
    "seal": stamp_seal,
    "shadow": shadow,
    "jpeg40": lambda img, seed: jpeg(blur(img, 0.8), 40),
    "photo": photo,
    "small_photo": small_photo,
}


def image_pdf(images: list[np.ndarray], *, dpi: int = 200) -> bytes:
    """An image-only PDF (a "scan"): one page per BGR image, no text layer."""
    from PIL import Image

    pil = [Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB)) for img in images]
    out = io.BytesIO()
    pil[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pil[1:])
    return out.getvalue()


def encode_png(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", img)
    if not ok:
        raise ValueError("PNG encoding failed")
    return io.BytesIO(buf.tobytes()).getvalue()
