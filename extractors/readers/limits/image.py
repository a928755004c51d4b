"""Image checks from the headers alone: Pillow opens lazily (no pixel is decoded until ``load``)."""

from __future__ import annotations

from pathlib import Path

from extractors.readers.limits.errors import reject
from extractors.readers.limits.model import Inspection, Limits

_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+", b"BM")


def looks_like_image(head: bytes) -> bool:
    return head.startswith(_MAGIC)


def apply_pillow_limit(limits: Limits) -> None:
    """Pillow's own bomb check at our limit (it raises at twice ``MAX_IMAGE_PIXELS``, warns above it)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels


def check_image(path: Path, limits: Limits) -> Inspection:
    """Every frame's size (stops past ``max_pages`` frames); undecodable headers are left to the reader."""
    from PIL import Image, UnidentifiedImageError

    apply_pillow_limit(limits)
    found = Inspection(kind="image")
    try:
        with Image.open(path) as img:
            frames = 0
            while True:
                frames += 1
                limits.check_pages(frames)
                width, height = img.size
                limits.check_image(width, height)
                found.add_pixels(width * height, limits)
                try:
                    img.seek(frames)
                except EOFError:
                    break
    except Image.DecompressionBombError as exc:
        raise reject("image_too_large", "图像尺寸超出上限", "image too large", reason=str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return found  # the reader reports the corrupt image with its own code
    found.pages = frames
    return found
