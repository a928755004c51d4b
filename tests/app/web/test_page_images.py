"""Page previews: PDF via pdfium (cached), images via PIL (EXIF, TIFF frames), OFD from text, placeholders."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from idp.models import BBox, PageText, TextLine, TextSource

_PLACEHOLDER = (640, 420)


def _png(response) -> Image.Image:
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image


def _dark_pixels(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    w, h = image.size
    crop = image.convert("L").crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    return sum(crop.histogram()[:128])


def test_pdf_page_is_rendered_at_preview_resolution_and_cached(world, http, tiny_pdf):
    doc_id = world.add_document(tiny_pdf(pages=2))
    r = http.get(f"/review/documents/{doc_id}/pages/2.png")
    assert r.status_code == 200
    image = _png(r)
    width, height = image.size
    assert 900 <= width <= 1300 and abs(height / width - 842 / 595) < 0.01  # A4 at 110-150 dpi
    assert _dark_pixels(image, (0.08, 0.17, 0.6, 0.23)) > 200  # the "INVOICE No." line was drawn
    cached = list((world.settings.data_dir / "renders").rglob("*-p2-*.png"))
    assert len(cached) == 1 and cached[0].read_bytes() == r.content
    assert http.get(f"/review/documents/{doc_id}/pages/2.png").content == r.content


def test_a_page_the_pdf_does_not_have_is_a_404_placeholder(world, http, tiny_pdf):
    doc_id = world.add_document(tiny_pdf(pages=1))
    r = http.get(f"/review/documents/{doc_id}/pages/3.png")
    assert r.status_code == 404 and _png(r).size == _PLACEHOLDER


def test_jpeg_is_turned_upright_by_its_exif_orientation(world, http):
    image = Image.new("RGB", (300, 200), "white")
    image.paste((0, 0, 0), (0, 0, 60, 40))  # a black mark top-left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display after turning 90° clockwise
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif.tobytes(), quality=95)
    doc_id = world.add_document(buf.getvalue(), filename="scan.jpg", content_type="image/jpeg")
    shown = _png(http.get(f"/review/documents/{doc_id}/pages/1.png"))
    assert shown.size == (200, 300)
    assert _dark_pixels(shown, (0.85, 0.0, 1.0, 0.15)) > 500  # the mark is now top-right


def test_each_tiff_frame_is_a_page(world, http):
    frames = [Image.new("RGB", (400, 500), "white"), Image.new("L", (800, 300), 255)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    doc_id = world.add_document(buf.getvalue(), filename="scan.tiff", content_type="image/tiff")
    assert _png(http.get(f"/review/documents/{doc_id}/pages/1.png")).size == (400, 500)
    assert _png(http.get(f"/review/documents/{doc_id}/pages/2.png")).size == (800, 300)
    assert http.get(f"/review/documents/{doc_id}/pages/3.png").status_code == 404


def test_ofd_without_a_renderer_is_drawn_from_its_text_lines(world, http):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    line = BBox(x0=0.1, y0=0.1, x1=0.6, y1=0.16)
    text = PageText(page_no=1, width=210, height=140, source=TextSource.OFD,
                    lines=[TextLine(text="电子发票（普通发票）", bbox=line)])
    doc_id = world.add_document(buf.getvalue(), filename="invoice.ofd", content_type="application/ofd",
                                page_text=[text])
    shown = _png(http.get(f"/review/documents/{doc_id}/pages/1.png"))
    assert shown.size == (1100, round(1100 * 140 / 210))
    assert _dark_pixels(shown, (line.x0, line.y0, line.x1, line.y1)) > 300
    assert _dark_pixels(shown, (0.1, 0.5, 0.9, 0.9)) == 0


def test_unreadable_or_missing_files_give_a_placeholder_never_a_500(world, http):
    doc_id = world.add_document(b"\x00garbage that no renderer understands", filename="x.pdf")
    r = http.get(f"/review/documents/{doc_id}/pages/1.png")
    assert r.status_code == 200 and _png(r).size == _PLACEHOLDER
    r = http.get("/review/documents/no-such-document/pages/1.png")
    assert r.status_code == 404 and _png(r).size == _PLACEHOLDER


def test_original_is_returned_as_stored_with_its_filename(world, http, tiny_pdf):
    data = tiny_pdf()
    doc_id = world.add_document(data, filename="invoice.pdf")
    r = http.get(f"/review/documents/{doc_id}/original")
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-disposition"] == 'attachment; filename="invoice.pdf"'
    assert r.headers["x-content-type-options"] == "nosniff"
