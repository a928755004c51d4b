"""The result sent back to the lending system: fields, findings, decision, and what people changed."""

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
        "documents": docs_out,
        "tasks": [
            {"id": t.id, "kind": t.kind, "status": t.status, "resolution": t.resolution,
             "resolved_by": t.resolved_by, "resolved_at": t.resolved_at.isoformat() if t.resolved_at else None}
            for t in task_rows
        ],
        "finalized_at": now.isoformat(),
    }
