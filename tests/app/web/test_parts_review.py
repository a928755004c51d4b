"""Parts of a split file on the review screens: a part shows only its own pages, numbered as in the file."""

from __future__ import annotations

from idp.models import (
    BBox,
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    PageText,
    Reason,
    TaskKind,
    TextLine,
    TextSource,
)
from idp.storage import documents
from idp.storage.db import session_scope
from queues.clock import utcnow

_BOX = BBox(x0=0.1, y0=0.2, x1=0.4, y1=0.25)


def _split(world, tiny_pdf) -> tuple[str, str]:
    """A 3-page upload split into page 1 (part 0) and pages 2-3 (part 1: an invoice, a field on page 2)."""
    upload_id = world.add_document(tiny_pdf(pages=3), filename="merged.pdf")
    number = ExtractedField(name="invoice_number", value="24312000000002", confidence=0.99, page=2, bbox=_BOX)
    extraction = ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="test",
                                   fields={"invoice_number": number})
    texts = [PageText(page_no=n, width=595, height=842, source=TextSource.TEXT_LAYER,
                      lines=[TextLine(text=f"INVOICE No. 2431200000{n:02d}", bbox=_BOX)]) for n in (2, 3)]
    with session_scope(world.settings.effective_database_url) as s:
        upload = documents.get(s, upload_id)
        upload.page_from, upload.page_to, upload.pages = 1, 1, 1
        part = documents.ensure_part(s, upload, 1, now=utcnow())
        documents.save_extraction(part, extraction=extraction, findings=[], pages=2,
                                  page_text=[t.model_dump(mode="json") for t in texts], now=utcnow())
        part.page_from, part.page_to = 2, 3
        part_id = part.id
    return upload_id, part_id


def test_a_part_shows_its_own_pages_with_their_file_numbers_and_boxes(world, http, tiny_pdf):
    upload_id, part_id = _split(world, tiny_pdf)
    reason = Reason(code="field.low_confidence", message="字段置信度不足", fields=["invoice_number"],
                    document_id=part_id, severity="warning")
    task_id = world.add_task([reason], document_id=part_id)
    body = http.get(f"/review/tasks/{task_id}").text
    assert f'src="/review/documents/{part_id}/pages/2.jpg"' in body
    assert f'src="/review/documents/{part_id}/pages/3.jpg"' in body
    assert f"/review/documents/{part_id}/pages/1.jpg" not in body
    assert "第 2–3 页 · 文件中第 2 份文档" in body and "第 2 页" in body
    page2 = body[body.index('data-page="2"'):body.index('data-page="3"')]
    assert 'data-field="invoice_number"' in page2  # the box sits on the file's page 2


def test_the_page_image_of_a_part_is_the_files_page_and_nothing_outside_its_span(world, http, tiny_pdf):
    from idp.models import PageText, TextSource
    from idp.storage import documents
    from idp.storage.blobstore import FileStore
    from idp.storage.db import session_scope
    from queues.clock import utcnow
    from queues.page_images import render_document

    upload_id, part_id = _split(world, tiny_pdf)
    with session_scope(world.settings.effective_database_url) as s:
        path = FileStore(world.settings.files_dir).path(documents.get(s, upload_id).storage_key)
    pages = [PageText(page_no=n, width=595, height=842, source=TextSource.TEXT_LAYER) for n in (1, 2, 3)]
    render_document(world.settings, upload_id, path, pages, now=utcnow())  # stored once, for the file
    world.add_task([Reason(code="field.low_confidence", message="字段置信度不足", document_id=part_id)],
                   document_id=part_id)
    own = http.get(f"/review/documents/{part_id}/pages/2.jpg")
    assert own.status_code == 200 and own.headers["content-type"] == "image/jpeg"
    assert http.get(f"/review/documents/{part_id}/pages/1.jpg").status_code == 404
    assert http.get(f"/review/documents/{part_id}/pages/4.jpg").status_code == 404
    assert http.get(f"/review/documents/{upload_id}/pages/1.jpg").status_code == 200
    assert http.get(f"/review/documents/{upload_id}/pages/2.jpg").status_code == 404  # part 1's page


def test_the_queue_names_the_pages_of_each_part_of_a_split_file(world, http, tiny_pdf):
    upload_id, part_id = _split(world, tiny_pdf)
    world.add_task([Reason(code="document.unclassified", message="第1页无法识别文档类型 (merged.pdf),需人工分类",
                           document_id=upload_id)], document_id=upload_id, kind=TaskKind.UNCLASSIFIED)
    world.add_task([Reason(code="field.low_confidence", message="字段置信度不足", document_id=part_id)],
                   document_id=part_id)
    body = http.get("/review").text
    assert "merged.pdf(第 1 页 · 文件中第 1 份文档)" in body
    assert "merged.pdf(第 2–3 页 · 文件中第 2 份文档)" in body


def test_a_whole_file_is_labelled_without_a_part(world, http, tiny_pdf):
    doc_id, task_id = world.add_invoice()
    body = http.get(f"/review/tasks/{task_id}").text
    assert "份文档" not in body and f'src="/review/documents/{doc_id}/pages/1.jpg"' in body
