"""Image files: EXIF orientation, multi-page TIFF, odd pixel modes, and broken files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.readers.image import load_frames, ocr_image, read_image
from idp.errors import InputRejected


def _pil(bgr: np.ndarray) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(bgr[:, :, ::-1]))


def test_exif_orientation_is_honoured(tmp_path: Path, invoice_strip: np.ndarray) -> None:
    # Stored turned 90° anticlockwise with EXIF 6 ("turn 90° clockwise to display"), as phones do.
    stored = _pil(invoice_strip).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "phone.jpg"
    stored.save(path, "JPEG", quality=95, exif=exif)

    ((array, turn, steps),) = load_frames(path)
    assert array.shape[:2] == invoice_strip.shape[:2] and turn == 90 and steps == ["exif_orientation(6)"]

    (page,) = read_image(path)
    assert page.rotation_applied == 90
    assert page.preprocessing[0] == "exif_orientation(6)" and "rotate_90" not in page.preprocessing
    assert "发票号码:24312000000012345678" in page.text


def test_multipage_tiff_gives_one_page_per_frame(tmp_path: Path, invoice_strip, statement_page) -> None:
    statement_strip = statement_page.image[: statement_page.image.shape[0] // 4]
    path = tmp_path / "two.tif"
    first, second = _pil(invoice_strip), _pil(statement_strip)
    first.save(path, "TIFF", save_all=True, append_images=[second], compression="tiff_deflate")

    pages = read_image(path)
    assert [p.page_no for p in pages] == [1, 2]
    # OCR may or may not put a space before a bracket: compare without spaces
    assert "电子发票(增值税专用发票)" in pages[0].text.replace(" ", "")
    assert "中国工商银行对公账户交易明细" in pages[1].text.replace(" ", "")
    assert (pages[1].width, pages[1].height) == (statement_strip.shape[1], statement_strip.shape[0])


def test_transparent_png_is_laid_on_white(tmp_path: Path) -> None:
    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[5:10, 5:10] = (0, 0, 0, 255)  # an opaque black square on a transparent sheet
    path = tmp_path / "alpha.png"
    Image.fromarray(rgba, "RGBA").save(path)
    ((array, _, _),) = load_frames(path)
    assert array.shape == (20, 30, 3)
    assert array[0, 0].tolist() == [255, 255, 255] and array[7, 7].tolist() == [0, 0, 0]


def test_sixteen_bit_grey_is_scaled_to_eight(tmp_path: Path) -> None:
    grey = (np.arange(16 * 16, dtype=np.uint16).reshape(16, 16) * 200).astype(np.uint16)
    path = tmp_path / "deep.png"
    Image.fromarray(grey).save(path)
    ((array, _, _),) = load_frames(path)
    assert array.dtype == np.uint8 and array.max() == 255 and array[0, 0].tolist() == [0, 0, 0]


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "content",
    [
        _png_header_only(0, 0),
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,  # a JPEG start and nothing else
        b"II*\x00" + b"\x13" * 40,  # a TIFF header with garbage IFDs
    ],
    ids=["png-0x0", "jpeg-truncated", "tiff-garbage"],
)
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_undecodable_images_are_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.img"
    path.write_bytes(content)
    with pytest.raises(InputRejected) as err:
        read_image(path)
    assert err.value.code == "corrupt_image"


def test_empty_array_is_rejected_before_ocr() -> None:
    with pytest.raises(InputRejected) as err:
        ocr_image(np.zeros((0, 0, 3), np.uint8))
    assert err.value.code == "corrupt_image"
