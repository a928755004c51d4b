"""A small world for the queue tests: a client, applications in review, documents and tasks, at a ``now``.

Written with the storage and queue functions on the real test database (no HTTP, no workers, no Redis).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from idp.models import (
    Borrower,
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    Reason,
    TaskKind,
    TaskPriority,
)
from idp.settings import Settings
from idp.storage import applications, clients, documents
from idp.storage.db import session_scope
from queues.review import open_task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> datetime:
    """A Beijing-time instant: ``local(2026, 10, 8, 9, 30)``."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def invoice(total: str = "1130.00", seller_tax_id: str = "91330100MA2XXXXX1X") -> ExtractedDocument:
    fields = {
        "invoice_number": ExtractedField(name="invoice_number", value="24312000000001", confidence=0.99),
        "seller_name": ExtractedField(name="seller_name", value="杭州样本电子科技有限公司", confidence=0.97),
        "seller_tax_id": ExtractedField(name="seller_tax_id", value=seller_tax_id, confidence=0.95),
        "total_with_tax": ExtractedField(name="total_with_tax", value=total, confidence=0.6),
    }
    return ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="test", fields=fields)


@dataclass
class QueueWorld:
    settings: Settings
    client_id: str
    now: datetime

    def application(self, *, product: str = "订单贷", status: str = "review") -> str:
        with session_scope(self.settings.effective_database_url) as s:
            app, _ = applications.create_application(
                s, client_id=self.client_id, borrower=Borrower(name="上海示例贸易有限公司", uscc="91310115MA1H8XXX2Q"),
                product=product, now=self.now, external_id=f"LN-{uuid.uuid4().hex[:8]}")
            app.status = status
            return app.id

    def document(self, application_id: str, extraction: ExtractedDocument | None = None) -> str:
        with session_scope(self.settings.effective_database_url) as s:
            row, _ = documents.add_document(s, application_id=application_id, filename="invoice.pdf",
                                            content_type="application/pdf", sha256=uuid.uuid4().hex * 2,
                                            size=10, storage_key=f"k/{uuid.uuid4().hex}", now=self.now)
            row.status = "extracted"
            extraction = extraction or invoice()
            row.kind = extraction.kind.value
            row.extraction = extraction.model_dump(mode="json")
            return row.id

    def task(self, application_id: str | None = None, *, kind: TaskKind = TaskKind.FIELD_REVIEW,
             priority: TaskPriority = TaskPriority.P3, at: datetime | None = None,
             document_id: str | None = None, skill: str | None = None, product: str | None = None) -> str:
        application_id = application_id or self.application()
        with session_scope(self.settings.effective_database_url) as s:
            row = open_task(s, self.settings, application_id=application_id, kind=kind,
                            reasons=[Reason(code="field.low_confidence", message="字段置信度不足")],
                            now=at or self.now, document_id=document_id, priority=priority, product=product,
                            required_skill=skill)
            return row.id


def make_queue_world(settings: Settings, now: datetime, *, webhook_url: str | None = None) -> QueueWorld:
    """A client (with a webhook URL if given, so finalising queues a delivery) at ``now``."""
    with session_scope(settings.effective_database_url) as s:
        client, _ = clients.create_client(s, name=f"bank-{uuid.uuid4().hex[:8]}", now=now,
                                          webhook_url=webhook_url)
        return QueueWorld(settings=settings, client_id=client.id, now=now)
