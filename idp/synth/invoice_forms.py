"""Image forms of a synthetic invoice beyond the office scan and the phone photo: a screenshot of a PDF viewer
(toolbar, grey margins, scrollbar around the page), a very large render, and a low-resolution phone photo of
continuous-feed paper turned a quarter, curled and seen at an angle.

Each takes the page rendered at the set's resolution (BGR) and is deterministic for a given seed.
"""

from __future__ import annotations

import cv2
import numpy as np

from idp.synth import degrade

#: Longest side of a "big render" (px): the size that took 25 s to read before pages were scaled first.
BIG_RENDER_SIDE = 4800
#: Longest side of the low-resolution rotated photo (px).
LOW_RES_SIDE = 1100
#: Viewer themes: (margin grey, toolbar colour, toolbar text colour).
_THEMES = (((82, 86, 89), (50, 54, 57), (235, 235, 235)), ((225, 225, 225), (245, 245, 245), (40, 40, 40)),
           ((64, 64, 64), (38, 38, 38), (220, 220, 220)))


def screenshot(page: np.ndarray, seed: int) -> np.ndarray:
    """The page as a PDF viewer shows it on a screen: scaled to ~110 dpi, a toolbar with the file name, page
    counter and zoom, grey margins and a scrollbar."""
    rng = np.random.default_rng(seed)
    margin, bar, ink = _THEMES[int(rng.integers(len(_THEMES)))]
    scale = float(rng.uniform(0.45, 0.62))
    shown = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = shown.shape[:2]
    toolbar = int(rng.integers(38, 56))
    thumbs = rng.random() < 0.5  # a sidebar of page thumbnails left of the page
    side = int(rng.integers(30, 160)) + (int(0.22 * w) if thumbs else 0)
    top = int(rng.integers(16, 40))
    canvas = np.empty((toolbar + top + h + int(rng.integers(20, 120)), w + 2 * side + 14, 3), np.uint8)
    canvas[:] = margin
    canvas[:toolbar] = bar
    canvas[toolbar + top : toolbar + top + h, side : side + w] = shown
    cv2.rectangle(canvas, (side - 1, toolbar + top - 1), (side + w, toolbar + top + h), (120, 120, 120), 1)
    track_x = canvas.shape[1] - 12
    canvas[toolbar:, track_x:] = tuple(int(c * 0.9) for c in margin)
    thumb = toolbar + int(rng.integers(5, 40))
    cv2.rectangle(canvas, (track_x + 2, thumb), (canvas.shape[1] - 3, thumb + 120), (160, 160, 160), -1)
    if thumbs:
        _thumbnail(canvas, page, toolbar, int(0.22 * w), bar)
    _toolbar_text(canvas, toolbar, ink, rng)
    return canvas


def _thumbnail(canvas: np.ndarray, page: np.ndarray, top: int, width: int, panel: tuple[int, int, int]) -> None:
    """The viewer's sidebar: a darker panel with a small copy of the page, framed as the selected one."""
    canvas[top:, :width] = panel
    tw = width - 24
    small = cv2.resize(page, (tw, max(1, int(page.shape[0] * tw / page.shape[1]))), interpolation=cv2.INTER_AREA)
    y = top + 16
    canvas[y : y + small.shape[0], 12 : 12 + tw] = small[: canvas.shape[0] - y]
    cv2.rectangle(canvas, (9, y - 3), (14 + tw, y + small.shape[0] + 2), (200, 140, 60), 2)


def _toolbar_text(canvas: np.ndarray, height: int, ink: tuple[int, int, int], rng: np.random.Generator) -> None:
    import noto_cjk_sans_otc
    from PIL import Image, ImageDraw, ImageFont

    image = Image.fromarray(cv2.cvtColor(canvas[:height], cv2.COLOR_BGR2RGB))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), max(12, height // 3), index=2)
    colour = tuple(int(c) for c in ink[::-1])
    name = f"dzfp_{int(rng.integers(10**9, 10**10))}.pdf"
    draw.text((14, height / 2), "☰", fill=colour, font=font, anchor="lm")
    draw.text((48, height / 2), name, fill=colour, font=font, anchor="lm")
    draw.text((canvas.shape[1] * 0.45, height / 2), "1 / 1", fill=colour, font=font, anchor="lm")
    draw.text((canvas.shape[1] * 0.55, height / 2), f"{int(rng.choice([75, 100, 125]))}%", fill=colour, font=font,
              anchor="lm")
    canvas[:height] = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def big_render(page: np.ndarray, seed: int) -> np.ndarray:
    """The page rendered huge (a 4800 px wide export of an e-invoice), sharp and clean."""
    factor = BIG_RENDER_SIDE / max(page.shape[:2])
    return cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def rotated_low_res_photo(page: np.ndarray, seed: int) -> np.ndarray:
    """Continuous-feed paper (tractor holes down both sides) photographed turned 90°, curled, at an angle, then
    saved small: text about 10-12 px high."""
    rng = np.random.default_rng(seed)
    fed = _tractor_strips(page)
    curled = _curl(fed, amplitude=float(rng.uniform(0.012, 0.025)) * fed.shape[0])
    shot = degrade.stamp_seal(curled, seed)
    shot = degrade.on_desk(shot, seed, margin=0.06)
    shot = degrade.rotate_small(shot, float(rng.uniform(1, 3) * rng.choice([-1, 1])), fill=(70, 105, 140))
    shot = degrade.perspective(shot, seed, strength=0.04)
    shot = degrade.shadow(shot, seed, depth=0.35)
    shot = degrade.rotate_quadrant(shot, 1 if rng.random() < 0.5 else 3)
    factor = LOW_RES_SIDE / max(shot.shape[:2])
    shot = cv2.resize(shot, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    shot = degrade.blur(shot, 0.7)
    shot = degrade.noise(shot, seed, sigma=4.0)
    return degrade.jpeg(shot, 60)


def _tractor_strips(page: np.ndarray) -> np.ndarray:
    """Side strips with punched holes, as continuous-feed invoice paper has."""
    h, w = page.shape[:2]
    strip = max(20, w // 22)
    out = np.full((h, w + 2 * strip, 3), 250, np.uint8)
    out[:, strip : strip + w] = page
    step = max(24, h // 18)
    for y in range(step // 2, h, step):
        for x in (strip // 2, w + strip + strip // 2):
            cv2.circle(out, (x, y), strip // 4, (70, 105, 140), -1)
    cv2.line(out, (strip - 2, 0), (strip - 2, h), (200, 200, 200), 1)
    cv2.line(out, (w + strip + 1, 0), (w + strip + 1, h), (200, 200, 200), 1)
    return out


def _curl(image: np.ndarray, amplitude: float) -> np.ndarray:
    """Paper curling along its length: rows bend by a half sine wave across the width."""
    h, w = image.shape[:2]
    xs = np.arange(w, dtype=np.float32)
    shift = amplitude * np.sin(np.pi * xs / w)
    map_x = np.tile(xs, (h, 1))
    map_y = (np.arange(h, dtype=np.float32)[:, None] - shift[None, :]).astype(np.float32)
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=(70, 105, 140))
