"""Storing what one upload turned out to hold: each document found in the file becomes a part.

Part 0 is the upload's own row; parts 1.. are rows pointing at it (``parent_id``) with the same file.
Each part has its own page span, page text, fields, findings and invoice key. Page spans (1-based,
inclusive, in the file) are set on every part, part 0 of an unsplit file included (``1``..``n``), so
readers need no special case.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from idp.models import DocumentKind
from idp.storage import audit, documents

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from idp.storage.tables import DocumentRow
    from queues.docproc import ProcessedDocument

logger = logging.getLogger(__name__)


def save_parts(
    session: Session, upload: DocumentRow, processed: list[ProcessedDocument], *, now: datetime
) -> list[DocumentRow]:
    """Store each document found in the upload as one part, in file order; returns the part rows.

    Idempotent: a re-delivered or retried job finds the parts an earlier run made by their unique key
    (application, sha256, part index) and updates them, so no row is ever added twice.

    Args:
        session: the unit of work; the caller holds ``upload`` locked in it.
        upload: the upload's own row (becomes part 0).
        processed: what :func:`queues.docproc.process_file` found in the file (at least one document).
        now: the clock for ``updated_at`` and the audit records.
    """
    from validators.rules.invoice_duplicate import invoice_key

    rows: list[DocumentRow] = []
    for index, doc in enumerate(processed):
        row = upload if index == 0 else documents.ensure_part(session, upload, index, now=now)
        for finding in doc.findings:
            finding.document_id = row.id
        row.page_from, row.page_to = doc.page_span
        documents.save_extraction(
            row,
            extraction=doc.extraction,
            findings=doc.findings,
            pages=len(doc.pages),
            page_text=[p.model_dump(mode="json") for p in doc.pages],
            now=now,
            invoice_key=invoice_key(doc.extraction) if doc.kind == DocumentKind.VAT_INVOICE else None,
        )
        row.subtype = doc.subtype  # the classifier's subtype when the extractor gave none
        audit.record(
            session,
            at=now,
            actor="system",
            action="document.extracted",
            application_id=upload.application_id,
            document_id=row.id,
            detail={
                "kind": doc.extraction.kind.value,
                "extractor": doc.extraction.extractor,
                "class_confidence": doc.class_confidence,
                "part_index": index,
                "parent_id": row.parent_id,
                "page_from": row.page_from,
                "page_to": row.page_to,
                "fields": {k: v.value for k, v in doc.extraction.fields.items()},
                "findings": [f.rule_id for f in doc.findings],
            },
        )
        rows.append(row)
    stale = [r.id for r in documents.parts_of(session, upload) if r.part_index >= len(processed)]
    if stale:  # only if a file were re-read with another split; kept (tasks may point at them), but visible
        logger.warning("upload %s now has %d parts; earlier parts %s are left as they were",
                       upload.id, len(processed), stale)
    return rows
