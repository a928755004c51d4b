"""A document's stored page images, thumbnails and original file, for staff who may see one of its tasks.

Nothing is rendered here: the worker stores every page image (:mod:`queues.page_images`), so serving a page
costs a file read whatever the upload holds; a page without a stored image gets a small placeholder.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, Response
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from idp.app.auth.gates import WEB_STAFF
from idp.app.deps import SessionDep, SettingsDep
from idp.errors import Forbidden, NotFound
from idp.models import Reviewer
from idp.storage import page_images, tasks
from idp.storage.blobstore import file_store
from idp.storage.tables import DocumentRow
from queues.page_draw import font_of
from queues.taskguards import check_visible

router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)
StaffWeb = Annotated[Reviewer, Depends(WEB_STAFF)]
_CACHE = {"Cache-Control": "private, max-age=86400"}


@router.get("/documents/{document_id}/pages/{page_no}.jpg")
def page_image(document_id: str, page_no: int, session: SessionDep, settings: SettingsDep, me: StaffWeb) -> Response:
    """The page as the reader saw it (the frame its boxes refer to)."""
    return _serve(session, settings, me, document_id, page_no, thumb=False)


@router.get("/documents/{document_id}/thumbs/{page_no}.jpg")
def thumbnail(document_id: str, page_no: int, session: SessionDep, settings: SettingsDep, me: StaffWeb) -> Response:
    return _serve(session, settings, me, document_id, page_no, thumb=True)


@router.get("/documents/{document_id}/original")
def original_file(document_id: str, session: SessionDep, settings: SettingsDep, me: StaffWeb) -> Response:
    """The stored bytes, as uploaded, under the original filename (always an attachment, nosniff)."""
    doc = visible_document(session, document_id, me)
    store = file_store(settings)
    if not store.exists(doc.storage_key):
        raise NotFound("未找到该文件 (file missing)")
    path = store.local_path(doc.storage_key)
    return FileResponse(path, media_type=doc.content_type or "application/octet-stream",
                        filename=doc.filename, headers={"X-Content-Type-Options": "nosniff"})


def visible_document(session: Session, document_id: str, me: Reviewer) -> DocumentRow:
    """The document, if one of its application's tasks is one this person may see (else 404/403)."""
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        raise NotFound("未找到该文档 (document not found)")
    rows = tasks.for_application(session, doc.application_id)
    if not rows:
        raise NotFound("该文档没有审核任务 (no task for this document)")
    refusal: Forbidden | None = None
    for row in rows:
        try:
            check_visible(row, me)
            return doc
        except Forbidden as exc:  # remember the role refusal, try the next task
            refusal = exc
    assert refusal is not None
    raise refusal


def _serve(session: Session, settings: SettingsDep, me: Reviewer, document_id: str, page_no: int, *,
           thumb: bool) -> Response:
    doc = visible_document(session, document_id, me)
    if doc.page_from is not None and not doc.page_from <= page_no <= (doc.page_to or doc.page_from):
        return Response(_placeholder(f"该文档没有第 {page_no} 页", small=thumb), media_type="image/png",
                        status_code=404)  # a part shows only its own pages of the shared file
    image = page_images.get(session, page_images.file_document_id(doc), page_no)
    if image is None:
        return Response(_placeholder("页面图像尚未生成", small=thumb), media_type="image/png", status_code=404)
    store, key = file_store(settings), image.thumb_key if thumb else image.storage_key
    if not store.exists(key):
        return Response(_placeholder("页面图像缺失", small=thumb), media_type="image/png", status_code=404)
    path = store.local_path(key)
    return FileResponse(path, media_type=image.media_type, headers=_CACHE)


def _placeholder(title: str, *, small: bool) -> bytes:
    size = (160, 220) if small else (640, 420)
    image = Image.new("RGB", size, (238, 238, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=(190, 190, 190), width=2)
    draw.text((size[0] / 2, size[1] / 2), title, fill=(110, 110, 110), font=font_of(14 if small else 32),
              anchor="mm")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
