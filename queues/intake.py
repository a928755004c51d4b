"""Intake: store the upload durably, commit its row, and only then queue the read job."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from idp.errors import Conflict, InputRejected
from idp.models import ApplicationStatus, DocumentStatus
from idp.settings import Settings
from idp.storage import applications, audit, documents
from idp.storage.blobstore import file_store
from idp.storage.db import session_scope
from queues import enqueue, lifecycle, pipeline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    document_id: str
    sha256: str
    duplicate: bool
    status: str


#: Longest file name kept (the column holds 300; names are for people, the bytes are what count).
MAX_FILENAME = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MIME = re.compile(r"^[A-Za-z0-9][\w.+-]{0,62}/[A-Za-z0-9][\w.+-]{0,62}$")


def clean_filename(name: str | None) -> str:
    """The name as a person can read it: no path, no control characters (NUL), at most ``MAX_FILENAME``."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = " ".join(_CONTROL.sub(" ", base).split())[:MAX_FILENAME]
    return base or "upload"


def clean_content_type(value: str | None) -> str | None:
    """``type/subtype`` lower-cased, parameters dropped; anything else (too long, malformed) is no hint at all
    (the bytes decide the format anyway)."""
    mime = (value or "").split(";", 1)[0].strip().lower()
    return mime if _MIME.match(mime) else None


def add_upload(
    settings: Settings,
    *,
    client_id: str,
    application_id: str,
    filename: str,
    content_type: str | None,
    data: bytes,
    now: datetime,
) -> Upload:
    """Store one file for an application. A repeat of the same bytes is recognised and not queued again."""
    filename, content_type = clean_filename(filename), clean_content_type(content_type)
    if len(data) > settings.max_upload_bytes:
        raise InputRejected(
            f"文件过大: {len(data)} 字节 (file too large, limit {settings.max_upload_bytes})",
            code="file_too_large",
        )
    url = settings.effective_database_url
    with session_scope(url) as s:
        app = applications.get_for_client(s, client_id=client_id, application_id=application_id)
        if app.status != ApplicationStatus.RECEIVING.value:
            raise Conflict("申请已提交,不能再上传文档 (application already submitted)", code="application_submitted")
    # The bytes are on disk (fsync'd) before any row refers to them, even an empty or broken file:
    # it is kept as evidence and the pipeline turns it into a visible failure.
    sha, key = file_store(settings).put(data)
    with session_scope(url) as s:
        row, created = documents.add_document(
            s, application_id=application_id, filename=filename, content_type=content_type,
            sha256=sha, size=len(data), storage_key=key, now=now,
        )
        if created:
            audit.record(s, at=now, actor=f"client:{client_id}", action="document.uploaded",
                         application_id=application_id, document_id=row.id,
                         detail={"filename": filename, "sha256": sha, "size": len(data)})
        upload = Upload(document_id=row.id, sha256=sha, duplicate=not created, status=row.status)
    if created:
        # Reading starts at once; the application step waits for the submit.
        queue_read(settings, upload.document_id, now=now)
    return upload


def submit(settings: Settings, *, client_id: str, application_id: str, now: datetime) -> str:
    """Close the application for uploads; the decision runs once every document is read."""
    url = settings.effective_database_url
    with session_scope(url) as s:
        applications.get_for_client(s, client_id=client_id, application_id=application_id)
        lifecycle.submit(s, application_id, now=now)
        pending = [d.id for d in documents.for_application(s, application_id)
                   if d.status == DocumentStatus.STORED.value]
        status = applications.get(s, application_id).status
    for document_id in pending:
        queue_read(settings, document_id, now=now)
    pipeline.maybe_decide(settings, application_id, now=now)
    return status


def queue_read(settings: Settings, document_id: str, *, now: datetime) -> str:
    """Enqueue a read and remember the job id (so recovery can tell a lost job from a running one)."""
    job = enqueue.enqueue_read(settings, document_id)
    with session_scope(settings.effective_database_url) as s:
        row = documents.get(s, document_id)
        if row.status == DocumentStatus.STORED.value:
            row.status = DocumentStatus.QUEUED.value
        row.job_id = job.id
        row.updated_at = now
    return job.id
