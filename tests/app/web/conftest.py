"""A small review world for the UI tests: a client, an application in review, a stored document and its tasks.

Everything is written with the storage functions on the real test database (no HTTP API, no workers).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from idp.app.main import create_app
from idp.models import (
    BBox,
    Borrower,
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    PageText,
    Reason,
    TaskKind,
    TaskPriority,
    TextLine,
    TextSource,
)
from idp.settings import Settings
from idp.storage import applications, clients, documents, tasks
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from queues.clock import utcnow

#: Boxes of the extracted fields in the fixture document (normalised page coordinates).
INVOICE_NUMBER_BOX = BBox(x0=0.1, y0=0.2, x1=0.4, y1=0.25)
TOTAL_BOX = BBox(x0=0.5, y0=0.6, x1=0.8, y1=0.65)


def tiny_pdf(pages: int = 1) -> bytes:
    """An A4 text PDF (595 × 842 pt) written with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 28)
        c.drawString(60, 842 - 180, f"INVOICE No. 2431200000{n:02d}")
        c.drawString(300, 842 - 530, "TOTAL 1130.00")
        c.showPage()
    c.save()
    return buf.getvalue()


@dataclass
class World:
    settings: Settings
    client_id: str
    application_id: str

    def add_document(self, data: bytes, *, filename: str = "invoice.pdf",
                     content_type: str = "application/pdf", extraction: ExtractedDocument | None = None,
                     page_text: list[PageText] | None = None, status: str = "extracted",
                     error: str | None = None) -> str:
        sha, key = FileStore(self.settings.files_dir).put(data)
        with session_scope(self.settings.effective_database_url) as s:
            row, _ = documents.add_document(s, application_id=self.application_id, filename=filename,
                                            content_type=content_type, sha256=sha, size=len(data),
                                            storage_key=key, now=utcnow())
            row.status = status
            row.error = error
            if extraction is not None:
                row.kind = extraction.kind.value
                row.extraction = extraction.model_dump(mode="json")
            if page_text is not None:
                row.page_text = [p.model_dump(mode="json") for p in page_text]
                row.pages = len(page_text)
            return row.id

    def add_invoice(self, *, extraction: ExtractedDocument | None = None) -> tuple[str, str]:
        """A text PDF with three extracted fields and a task (one low confidence, one missing field)."""
        doc_id = self.add_document(tiny_pdf(), extraction=extraction or invoice_extraction(),
                                   page_text=[invoice_page_text()])
        return doc_id, self.add_task(field_reasons(doc_id), document_id=doc_id)

    def add_task(self, reasons: list[Reason], *, document_id: str | None = None,
                 kind: TaskKind = TaskKind.FIELD_REVIEW, due_in: timedelta = timedelta(hours=4)) -> str:
        now = utcnow()
        with session_scope(self.settings.effective_database_url) as s:
            return tasks.create_task(s, application_id=self.application_id, kind=kind, reasons=reasons,
                                     sla_due_at=now + due_in, now=now, document_id=document_id,
                                     priority=TaskPriority.P2).id


def make_world(settings: Settings, *, borrower: str = "上海示例贸易有限公司",
               now: datetime | None = None) -> World:
    """A client without a webhook (so finalising needs no Redis) and an application waiting for review."""
    now = now or utcnow()
    with session_scope(settings.effective_database_url) as s:
        client, _ = clients.create_client(s, name=f"bank-{uuid.uuid4().hex[:8]}", now=now)
        app, _ = applications.create_application(
            s, client_id=client.id, borrower=Borrower(name=borrower, uscc="91310115MA1H8XXX2Q"),
            product="订单贷", now=now, external_id="LN-2024-001",
        )
        app.status = "review"
        return World(settings=settings, client_id=client.id, application_id=app.id)


def invoice_extraction() -> ExtractedDocument:
    return ExtractedDocument(
        kind=DocumentKind.VAT_INVOICE, extractor="test", fields={
            "invoice_number": ExtractedField(name="invoice_number", value="24312000000001", confidence=0.99,
                                             page=1, bbox=INVOICE_NUMBER_BOX),
            "total_with_tax": ExtractedField(name="total_with_tax", value="1180.00", confidence=0.62, page=1,
                                             bbox=TOTAL_BOX),
            "seller_name": ExtractedField(name="seller_name", value="杭州样本电子科技有限公司",
                                          confidence=0.97),
        },
    )


def invoice_page_text() -> PageText:
    return PageText(page_no=1, width=595, height=842, source=TextSource.TEXT_LAYER, lines=[
        TextLine(text="INVOICE No. 243120000001", bbox=INVOICE_NUMBER_BOX),
        TextLine(text="TOTAL 1130.00", bbox=TOTAL_BOX),
    ])


def field_reasons(document_id: str) -> list[Reason]:
    return [
        Reason(code="field.low_confidence",
               message="字段置信度不足: 价税合计(小写) = 1180.00 (置信度 0.62 < 0.90)",
               fields=["total_with_tax"], values={"total_with_tax": "1180.00"}, document_id=document_id,
               severity="warning"),
        Reason(code="field.missing", message="缺少必填字段: 购买方纳税人识别号", fields=["buyer_tax_id"],
               document_id=document_id, severity="error"),
    ]


@pytest.fixture
def world(db_settings: Settings) -> World:
    return make_world(db_settings)


@pytest.fixture(name="make_world")
def make_world_fixture(db_settings: Settings) -> Callable[..., World]:
    return lambda **kw: make_world(db_settings, **kw)


@pytest.fixture(name="tiny_pdf")
def tiny_pdf_fixture() -> Callable[..., bytes]:
    return tiny_pdf


@pytest.fixture(name="invoice_extraction")
def invoice_extraction_fixture() -> Callable[[], ExtractedDocument]:
    return invoice_extraction




#: Password of every account the tests make.
PASSWORD = "test-password-1"


def add_staff(settings: Settings, username: str, role: str = "reviewer", *, skills: list[str] | None = None) -> None:
    """A local staff account (once per name)."""
    from idp.app.auth import accounts
    from idp.storage import staff

    with session_scope(settings.effective_database_url) as s:
        if staff.find(s, username) is None:
            accounts.create(s, username=username, role=role, password=PASSWORD, now=utcnow(), skills=skills)


def csrf_of(page: str) -> str:
    import re

    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "page has no CSRF token"
    return found.group(1)


def sign_in(http: TestClient, settings: Settings, username: str, role: str = "reviewer") -> None:
    """Sign in through the form (account made if needed); later POSTs carry the session's CSRF header."""
    add_staff(settings, username, role)
    http.headers.pop("X-CSRF-Token", None)
    token = csrf_of(http.get("/review/login").text)
    r = http.post("/review/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                          "next": "/review/login"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    http.headers["X-CSRF-Token"] = csrf_of(http.get("/review/login").text)


@pytest.fixture
def http(db_settings: Settings) -> Iterator[TestClient]:
    """A browser-like client signed in as the reviewer 张三."""
    with TestClient(create_app(db_settings)) as client:
        sign_in(client, db_settings, "张三")
        yield client
