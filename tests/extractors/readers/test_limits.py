"""Input limits on raw files: each kind of hostile file is refused before decoding, with its input code; the
samples and real documents pass."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.readers.limits import Limits, check_file, input_error, render_scale
from extractors.readers.limits.archive import check_entry_name
from extractors.readers.limits.pdf import inflated_size
from idp.errors import InputRejected
from idp.synth.hostile import images, ofd, pdf

REPO = Path(__file__).resolve().parents[3]
SMALL = Limits(max_pages=10, max_image_pixels=4_000_000, max_page_pixels=8_000_000, max_total_pixels=20_000_000,
               max_stream_bytes=4 * 1024 * 1024, max_inflated_bytes=8 * 1024 * 1024, max_xml_bytes=256 * 1024,
               max_archive_entries=50)

CASES = [
    ("pages.pdf", lambda: pdf.pages_pdf(11), "too_many_pages"),
    ("box.pdf", lambda: pdf.pages_pdf(1, box=(14400, 14400)), "page_too_large"),
    ("needle.pdf", lambda: pdf.pages_pdf(1, box=(1, 14400)), "image_bad_shape"),
    ("bomb.pdf", lambda: pdf.flate_bomb(16 * 1024 * 1024), "decompression_bomb"),
    ("image.pdf", lambda: pdf.image_pdf(30000, 30000), "image_too_large"),
    ("tree.pdf", pdf.self_referencing_tree, "corrupt_pdf"),
    ("big.png", lambda: images.png_header_only(13000, 13000), "image_too_large"),
    ("strip.png", lambda: images.real_image(1, 2000, "PNG", "L"), "image_bad_shape"),
    ("frames.tif", lambda: images.tiff_frames(11, 20, 20), "too_many_pages"),
    ("work.tif", lambda: images.tiff_frames(8, 1500, 2000), "too_much_work"),
    ("sof.jpg", lambda: images.jpeg_huge_sof(65000, 65000), "image_too_large"),
    ("img.ofd", lambda: ofd.ofd({"Doc_0/Res/i.png": images.png_header_only(30000, 30000)}), "image_too_large"),
    ("part.ofd", lambda: ofd.ofd({"Doc_0/Res/x.bin": bytes(5 * 1024 * 1024)}), "decompression_bomb"),
    ("xml.ofd", lambda: ofd.ofd({"Doc_0/big.xml": b"<a>" + b" " * 300_000 + b"</a>"}), "xml_too_large"),
    ("laughs.ofd", lambda: ofd.ofd(ofd_xml=ofd._LAUGHS), "xml_forbidden"),
    ("xxe.ofd", lambda: ofd.ofd(ofd_xml=ofd._XXE), "xml_forbidden"),
    ("entries.ofd", lambda: ofd.ofd({f"r{i}": b"x" for i in range(60)}), "too_many_entries"),
    ("path.ofd", lambda: ofd.ofd({"../../evil.xml": b"<x/>"}), "bad_archive_path"),
    ("ofdpages.ofd", lambda: ofd.ofd(pages=11), "too_many_pages"),
]


@pytest.mark.parametrize(("name", "make", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_file_over_a_limit_is_refused_with_its_input_code(tmp_path, name, make, code):
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(InputRejected) as caught:
        check_file(path, SMALL)
    assert caught.value.code == code
    assert "(" in caught.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def test_every_sample_and_real_document_passes_the_default_limits():
    roots = [REPO / "samples", REPO.parent / "shared" / "real"]
    files = [p for root in roots if root.exists() for p in root.rglob("*")
             if p.suffix.lower() in (".pdf", ".ofd", ".png", ".jpg", ".jpeg", ".tif", ".tiff")]
    assert len(files) > 20
    for path in files:
        check_file(path, Limits())  # raises on a false refusal


def test_render_scale_shrinks_big_pages_and_refuses_absurd_ones():
    assert render_scale(595, 842, 200, Limits()) == pytest.approx(200 / 72)
    shrunk = render_scale(2384, 3370, 200, Limits(max_page_pixels=10_000_000))
    assert 2384 * 3370 * shrunk * shrunk <= 10_000_000
    with pytest.raises(InputRejected) as caught:
        render_scale(14400, 14400, 200, Limits(max_page_pixels=10_000_000))
    assert caught.value.code == "page_too_large"


@given(st.binary(max_size=2048), st.integers(min_value=1, max_value=4096))
def test_inflated_size_never_counts_past_its_limit_on_any_bytes(data, limit):
    assert 0 <= inflated_size(data, 0, limit) <= limit + 1


@given(st.integers(min_value=0, max_value=200_000), st.integers(min_value=1, max_value=100_000))
def test_inflated_size_is_exact_below_the_limit_and_stops_above_it(size, limit):
    packed = zlib.compress(bytes(size))
    assert inflated_size(packed, 0, limit) == (size if size <= limit else limit + 1)


@given(st.text(max_size=300))
def test_archive_names_with_parent_steps_absolute_roots_or_controls_are_refused(name):
    unsafe = (".." in name.replace("\\", "/").split("/") or name.startswith(("/", "\\"))
              or any(ord(c) < 32 for c in name) or (len(name) > 1 and name[1] == ":"))
    if unsafe:
        with pytest.raises(InputRejected):
            check_entry_name(name)
    else:
        check_entry_name(name)


def test_known_library_errors_map_to_input_codes_and_others_do_not():
    import zipfile

    import pypdfium2
    from PIL import Image

    assert input_error(pypdfium2.PdfiumError("x")).code == "corrupt_pdf"
    assert input_error(Image.DecompressionBombError("x")).code == "image_too_large"
    assert input_error(zipfile.BadZipFile("x")).code == "corrupt_ofd"
    assert input_error(MemoryError()).code == "memory_limit"
    assert input_error(RecursionError()).code == "corrupt_structure"
    assert input_error(ConnectionError("db down")) is None
    assert input_error(KeyError("bug")) is None
