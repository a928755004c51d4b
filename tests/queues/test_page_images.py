"""Page images in the reader's frame: the worker replays the reader's geometric steps and stores the result."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

from idp.models import BBox, PageText, TextLine, TextSource
from idp.storage import page_images
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from queues.clock import utcnow
from queues.page_images import render_document, replay
from tests.app.web.conftest import make_world, tiny_pdf


def _stored(settings, doc_id: str) -> dict[int, Image.Image]:
    store = FileStore(settings.files_dir)
    with session_scope(settings.effective_database_url) as s:
        rows = page_images.for_document(s, doc_id)
        return {n: Image.open(io.BytesIO(store.read(r.storage_key))) for n, r in rows.items()}


def _render(world, data: bytes, pages: list[PageText], **kw) -> dict[int, Image.Image]:
    doc_id = world.add_document(data, **kw)
    sha, key = FileStore(world.settings.files_dir).put(data)
    assert render_document(world.settings, doc_id, FileStore(world.settings.files_dir).path(key), pages,
                           now=utcnow()) == len(pages)
    return _stored(world.settings, doc_id)


def test_text_layer_pages_are_rendered_whole(db_settings):
    world = make_world(db_settings)
    pages = [PageText(page_no=n, width=595, height=842, source=TextSource.TEXT_LAYER) for n in (1, 2)]
    images = _render(world, tiny_pdf(2), pages)
    assert set(images) == {1, 2}
    width, height = images[2].size
    assert abs(height / width - 842 / 595) < 0.01 and width >= 1200  # 150 dpi


def test_an_exif_rotated_photo_is_stored_upright_as_the_reader_decoded_it(db_settings):
    world = make_world(db_settings)
    image = Image.new("RGB", (300, 200), "white")
    image.paste((0, 0, 0), (0, 0, 60, 40))  # a black mark top-left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # display after turning 90° clockwise
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif.tobytes(), quality=95)
    page = PageText(page_no=1, width=200, height=300, source=TextSource.OCR, preprocessing=["exif_orientation(6)"])
    shown = _render(world, buf.getvalue(), [page], filename="p.jpg", content_type="image/jpeg")[1]
    assert shown.size == (200, 300)
    corner = np.asarray(shown.convert("L"))[:40, 160:]
    assert corner.mean() < 80  # the mark is now top-right


def test_the_readers_turns_are_replayed_in_order():
    base = np.full((100, 300, 3), 255, np.uint8)
    base[:10, :10] = 0  # a dark corner, top-left
    page = PageText(page_no=1, width=100, height=300, source=TextSource.OCR, preprocessing=["rotate_90"])
    turned = replay(base, page)
    assert turned.shape[:2] == (300, 100) and turned[:10, -10:].mean() < 50  # top-right after 90° clockwise
    page = page.model_copy(update={"preprocessing": ["rotate_90", "rotate_180"]})
    assert replay(base, page)[-10:, :10].mean() < 50


def test_a_replay_that_does_not_fit_the_readers_page_uses_the_readers_preparation():
    image = np.full((200, 400, 3), 255, np.uint8)
    cv2.putText(image, "TEXT 123", (40, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
    page = PageText(page_no=1, width=400, height=400, source=TextSource.OCR)  # claims a square page
    from extractors.readers.preprocess import prepare

    assert np.array_equal(replay(image, page), prepare(image).image)  # the reader's own frame, exactly


def test_ofd_pages_are_drawn_from_their_text(db_settings):
    import zipfile

    world = make_world(db_settings)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    line = BBox(x0=0.1, y0=0.1, x1=0.6, y1=0.16)
    page = PageText(page_no=1, width=210, height=140, source=TextSource.OFD,
                    lines=[TextLine(text="电子发票（普通发票）", bbox=line)])
    shown = _render(world, buf.getvalue(), [page], filename="a.ofd", content_type="application/ofd")[1]
    assert shown.size == (1100, round(1100 * 140 / 210))
    dark = np.asarray(shown.convert("L"))[int(0.1 * shown.height):int(0.16 * shown.height), 110:660]
    assert (dark < 128).sum() > 300


def test_documents_read_before_page_images_were_stored_get_them_once(db_settings):
    from queues.page_images import render_missing

    world = make_world(db_settings)
    doc_id = world.add_document(tiny_pdf(), page_text=[PageText(page_no=1, width=595, height=842,
                                                                source=TextSource.TEXT_LAYER)])
    world.add_document(b"%PDF-1.7 never read", filename="unread.pdf")  # no page text: nothing to draw
    assert render_missing(db_settings, now=utcnow()) == 1
    assert set(_stored(db_settings, doc_id)) == {1}
    assert render_missing(db_settings, now=utcnow()) == 0
