"""The result sent back to the lending system: fields, findings, decision, and what people changed.

A file holding several documents is listed as several documents: each part carries ``parent_id`` (the
upload's document id; None for the upload itself), ``part_index`` and its page span in the file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idp.models import DecisionOutcome, ExtractedDocument
from idp.storage import documents, tasks
from idp.storage.tables import ApplicationRow


def build_result(session: Session, app: ApplicationRow, *, now: datetime) -> dict[str, Any]:
    from queues.review import corrected_fields

    corrections = corrected_fields(session, app.id)
    task_rows = tasks.for_application(session, app.id)
    rejected = any((t.resolution or {}).get("outcome") == "rejected" for t in task_rows)
    decision = app.decision or {}
    outcome = (
        "straight_through" if decision.get("outcome") == DecisionOutcome.STRAIGHT_THROUGH.value else "reviewed"
    )
    docs_out = []
    for row in documents.for_application(session, app.id):
        fields: dict[str, Any] = {}
        if row.extraction:
            extraction = ExtractedDocument.model_validate(row.extraction)
            for name, f in extraction.fields.items():
                fields[name] = {
                    "value": f.value,
                    "confidence": round(f.confidence, 4),
                    "page": f.page,
                    "bbox": f.bbox.model_dump() if f.bbox else None,
                    "source": f.source.value,
                    "corrected": name in corrections.get(row.id, {}),
                }
        docs_out.append(
            {
                "id": row.id,
                "filename": row.filename,
                "sha256": row.sha256,
                "parent_id": row.parent_id,
                "part_index": row.part_index or 0,
                "page_from": row.page_from,
                "page_to": row.page_to,
                "pages": row.pages,
                "kind": row.kind,
                "subtype": row.subtype,
                "status": row.status,
                "error": row.error,
                "fields": fields,
                "findings": row.findings or [],
                "corrections": corrections.get(row.id, {}),
            }
        )
    return {
        "application_id": app.id,
        "external_id": app.external_id,
        "status": "completed",
        "outcome": outcome,
        "final": "rejected" if rejected else "accepted",
        "decision": decision,
        "policy_version": app.policy_version or decision.get("policy_version"),
        "verification": verification_evidence(app.authority),
        "documents": docs_out,
        "tasks": [
            {"id": t.id, "kind": t.kind, "status": t.status, "resolution": t.resolution,
             "resolved_by": t.resolved_by, "resolved_at": t.resolved_at.isoformat() if t.resolved_at else None}
            for t in task_rows
        ],
        "finalized_at": now.isoformat(),
    }


def verification_evidence(authority: dict[str, Any] | None) -> dict[str, Any]:
    """What the authorities answered, as the lending system sees it: per invoice document the 发票查验
    outcome (status, the authority's record, provider, request id, when), per USCC the 工商 record (None:
    the registry has no such company), and what could not be asked."""
    authority = authority or {}
    return {
        "invoices": {
            doc_id: {k: v for k, v in outcome.items() if k in _OUTCOME_KEYS}
            for doc_id, outcome in (authority.get("verifications") or {}).items()
        },
        "companies": authority.get("companies") or {},
        "unavailable": authority.get("unavailable") or {},
        "duplicates": authority.get("duplicates") or {},
        "confirmed_fields": authority.get("confirmed") or {},
    }


_OUTCOME_KEYS = ("status", "record", "provider", "request_id", "checked_at", "provider_code", "message",
                 "from_cache")
