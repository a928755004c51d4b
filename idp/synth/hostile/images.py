"""Hostile images: huge declared sizes, needles, decompression bombs, many frames, broken headers."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Iterator

from PIL import Image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` and whose data is one tiny (wrong) chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def png_bomb(width: int, height: int) -> bytes:
    """A real grey PNG of zeros: a few hundred kB that decode to ``width * height`` bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (width + 1)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def real_image(width: int, height: int, fmt: str, mode: str = "1") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height), 1).save(buf, format=fmt)
    return buf.getvalue()


def tiff_frames(count: int, width: int, height: int) -> bytes:
    """A multi-page bilevel TIFF (group 4: tall pages cost a few hundred bytes each)."""
    frames = [Image.new("1", (width, height), 1) for _ in range(count)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
    return buf.getvalue()


def jpeg_huge_sof(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is rewritten to declare ``width`` x ``height``."""
    data = bytearray(real_image(16, 16, "JPEG", "L"))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def bmp_header(width: int, height: int) -> bytes:
    header = struct.pack("<2sIHHI", b"BM", 54 + 16, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 16, 2835, 2835, 0, 0)
    return header + info + b"\0" * 16


def hostile_images(max_pages: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    for w, h in ((13000, 13000), (65000, 65000), (100000, 2)):
        yield f"png_header_{w}x{h}.png", lambda w=w, h=h: png_header_only(w, h)
    yield "png_bomb_20000x20000.png", lambda: png_bomb(20000, 20000)
    yield "png_real_13000x13000.png", lambda: real_image(13000, 13000, "PNG")
    for w, h in ((1, 60000), (60000, 1), (3, 3), (1, 1)):
        yield f"png_{w}x{h}.png", lambda w=w, h=h: real_image(w, h, "PNG", "L")
    yield "tiff_60_pages_8000_tall.tif", lambda: tiff_frames(60, 6000, 8000)
    yield "tiff_pages_over_limit.tif", lambda max_pages=max_pages: tiff_frames(max_pages + 1, 50, 50)
    for w, h in ((65000, 65000), (60000, 2)):
        yield f"jpeg_sof_{w}x{h}.jpg", lambda w=w, h=h: jpeg_huge_sof(w, h)
    yield "bmp_header_50000x50000.bmp", lambda: bmp_header(50000, 50000)
    yield "bmp_negative.bmp", lambda: bmp_header(-5, -5)
    small = real_image(800, 600, "PNG", "L")
    for share in (0.1, 0.5, 0.9):
        yield f"png_truncated_{int(share * 100)}.png", lambda share=share, small=small: small[:int(len(small) * share)]
    jpeg = real_image(800, 600, "JPEG", "L")
    yield "jpeg_truncated.jpg", lambda jpeg=jpeg: jpeg[: len(jpeg) // 2]
    yield "jpeg_magic_only.jpg", lambda: b"\xff\xd8\xff" + b"\0" * 100
    yield "png_magic_only.png", lambda: b"\x89PNG\r\n\x1a\n"
    yield "tiff_magic_only.tif", lambda: b"II*\x00" + b"\xff" * 40
    yield "tiff_ifd_loop.tif", lambda: b"II*\x00\x08\x00\x00\x00" + b"\x00\x00" + b"\x08\x00\x00\x00"
