"""A company seal as a transparent PNG (red ring, star, name on the arc, 合同专用章) and a handwritten-looking
signature as vector strokes, for synthetic contracts. Seals are images, as in real e-signed PDFs, so their
text never enters the text layer.
"""

from __future__ import annotations

import io
import math
import random

#: Stamp ink (RGB) and the pixel size the seal is drawn at before the PDF scales it.
_RED = (214, 32, 38)
_SIZE = 240


def seal_png(name: str, seed: int, *, caption: str = "合同专用章") -> bytes:
    """A round seal for company ``name``: ring, five-point star, name along the upper arc, caption below."""
    import noto_cjk_sans_otc
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(f"seal:{name}:{seed}")
    size = _SIZE
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    radius = size / 2 - 8
    alpha = rng.randint(200, 240)
    colour = (*_RED, alpha)
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=colour, width=12)
    star = []
    for i in range(10):
        r = radius * (0.26 if i % 2 == 0 else 0.1)
        a = math.pi / 2 + i * math.pi / 5
        star.append((c + r * math.cos(a), c - r * math.sin(a)))
    draw.polygon(star, fill=colour)
    font_path = str(noto_cjk_sans_otc.FONT_PATH)
    glyph_size = max(26, int(radius * 0.3 * min(1.0, 12 / max(1, len(name)))))
    font = ImageFont.truetype(font_path, glyph_size, index=2)
    span = math.radians(min(250.0, 22.0 * len(name)))
    for i, ch in enumerate(name):
        a = math.pi / 2 + span / 2 - span * (i + 0.5) / len(name)
        glyph = Image.new("RGBA", (glyph_size + 8, glyph_size + 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), ch, fill=colour, font=font, anchor="mm"
        )
        glyph = glyph.rotate(math.degrees(a - math.pi / 2), expand=True, resample=Image.BICUBIC)
        r = radius * 0.72
        img.alpha_composite(
            glyph, (int(c + r * math.cos(a) - glyph.width / 2), int(c - r * math.sin(a) - glyph.height / 2))
        )
    small = ImageFont.truetype(font_path, int(radius * 0.17), index=2)
    draw.text((c, c + radius * 0.5), caption, fill=colour, font=small, anchor="mm")
    # uneven ink: thin random speckles of paper showing through
    pixels = img.load()
    for _ in range(size * 6):
        x, y = rng.randrange(size), rng.randrange(size)
        r, g, b, a = pixels[x, y]
        if a:
            pixels[x, y] = (r, g, b, int(a * rng.uniform(0.2, 0.7)))
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue()


def draw_signature(canvas: object, x: float, y: float, width: float, height: float, seed: int) -> None:
    """Scribble a signature (connected cubic strokes, blue-black ink) in the box at (x, y) bottom-left."""
    rng = random.Random(f"signature:{seed}")
    c = canvas
    c.saveState()  # type: ignore[attr-defined]
    c.setStrokeColorRGB(0.08, 0.12, 0.45)  # type: ignore[attr-defined]
    c.setLineWidth(1.3)  # type: ignore[attr-defined]
    c.setLineCap(1)  # type: ignore[attr-defined]
    path = c.beginPath()  # type: ignore[attr-defined]
    px, py = x, y + height * rng.uniform(0.3, 0.7)
    path.moveTo(px, py)
    strokes = rng.randint(4, 6)
    for i in range(strokes):
        nx = x + width * (i + 1) / strokes
        ny = y + height * rng.uniform(0.1, 0.9)
        path.curveTo(
            px + rng.uniform(-4, 10),
            y + height * rng.uniform(0.0, 1.0),
            nx - rng.uniform(-4, 10),
            y + height * rng.uniform(0.0, 1.0),
            nx,
            ny,
        )
        px, py = nx, ny
    path.moveTo(x + width * 0.1, y + height * 0.35)
    path.curveTo(
        x + width * 0.4,
        y + height * 0.05,
        x + width * 0.7,
        y + height * 0.6,
        x + width * 0.95,
        y + height * 0.2,
    )
    c.drawPath(path, stroke=1, fill=0)  # type: ignore[attr-defined]
    c.restoreState()  # type: ignore[attr-defined]
