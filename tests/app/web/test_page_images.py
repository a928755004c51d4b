"""Serving page images: only stored bytes (the worker renders them), placeholders, the original, staff only."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image

from idp.app.main import create_app
from queues.clock import utcnow
from queues.page_images import render_document
from tests.app.web.conftest import invoice_page_text, sign_in


def _image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


def _stored(world, doc_id: str, data: bytes, pages) -> None:
    from idp.storage import documents
    from idp.storage.blobstore import FileStore
    from idp.storage.db import session_scope

    with session_scope(world.settings.effective_database_url) as s:
        key = documents.get(s, doc_id).storage_key
    render_document(world.settings, doc_id, FileStore(world.settings.files_dir).path(key), pages, now=utcnow())


def test_a_stored_page_and_its_thumbnail_are_served_as_jpeg(world, http, tiny_pdf):
    doc_id, _ = world.add_invoice()
    _stored(world, doc_id, tiny_pdf(), [invoice_page_text()])
    page = http.get(f"/review/documents/{doc_id}/pages/1.jpg")
    assert page.status_code == 200 and page.headers["content-type"] == "image/jpeg"
    width, height = _image(page).size
    assert abs(height / width - 842 / 595) < 0.01
    thumb = _image(http.get(f"/review/documents/{doc_id}/thumbs/1.jpg"))
    assert thumb.size[0] == 160


def test_a_page_without_a_stored_image_is_a_404_placeholder_and_never_rendered_here(world, http):
    doc_id, _ = world.add_invoice()
    before = sorted(world.settings.data_dir.rglob("*"))
    r = http.get(f"/review/documents/{doc_id}/pages/1.jpg")
    assert r.status_code == 404 and _image(r).size == (640, 420)
    assert sorted(world.settings.data_dir.rglob("*")) == before


def test_original_is_returned_as_stored_with_its_filename(world, http, tiny_pdf):
    doc_id, _ = world.add_invoice()
    data = tiny_pdf()
    doc_id = world.add_document(data)
    r = http.get(f"/review/documents/{doc_id}/original")
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-disposition"] == 'attachment; filename="invoice.pdf"'
    assert r.headers["x-content-type-options"] == "nosniff"


def test_nobody_signed_in_gets_neither_pages_nor_originals(world, db_settings):
    doc_id, _ = world.add_invoice()
    with TestClient(create_app(db_settings)) as anonymous:
        for url in (f"/review/documents/{doc_id}/original", f"/review/documents/{doc_id}/pages/1.jpg"):
            r = anonymous.get(url)
            assert r.status_code == 401 and "员工登录" in r.text


def test_a_reviewer_cannot_open_the_documents_of_a_risk_officers_task(world, db_settings, tiny_pdf):
    from idp.storage import tasks
    from idp.storage.db import session_scope

    doc_id, task_id = world.add_invoice()
    with session_scope(db_settings.effective_database_url) as s:
        tasks.get(s, task_id).required_role = "risk_officer"
    with TestClient(create_app(db_settings)) as client:
        sign_in(client, db_settings, "王五")
        assert client.get(f"/review/documents/{doc_id}/original").status_code == 403
        sign_in(client, db_settings, "风控赵", role="risk_officer")
        assert client.get(f"/review/documents/{doc_id}/original").status_code == 200
