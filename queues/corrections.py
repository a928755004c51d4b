"""Applying a person's field corrections to a document, and holding back the ones that need four eyes."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from idp.errors import InputRejected
from idp.models import (
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    FieldSource,
    Role,
    TaskPriority,
    needs_second_reviewer,
)
from idp.storage import audit, task_records
from idp.storage.tables import DocumentRow, FieldCorrectionRow, ReviewTaskRow

logger = logging.getLogger(__name__)


def split(corrections: dict[str, str | None]) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """(applied at once, needing a second reviewer): money fields and taxpayer ids need four eyes."""
    plain = {k: v for k, v in corrections.items() if not needs_second_reviewer(k)}
    sensitive = {k: v for k, v in corrections.items() if needs_second_reviewer(k)}
    return plain, sensitive


def _extraction(doc: DocumentRow) -> ExtractedDocument:
    if doc.extraction:
        return ExtractedDocument.model_validate(doc.extraction)
    return ExtractedDocument(kind=DocumentKind(doc.kind), extractor="human")


def _normalise(value: str | None) -> str | None:
    return (value or "").strip() or None


_ITEM = re.compile(r"items\[(\d+)\]\.(\w+)")


def current(extraction: ExtractedDocument, name: str) -> ExtractedField | None:
    """The field a correction names: a header field, or ``items[i].<column>`` of line item ``i``."""
    item = _ITEM.fullmatch(name)
    if item is None:
        return extraction.fields.get(name)
    index, column = int(item.group(1)), item.group(2)
    return extraction.items[index].get(column) if index < len(extraction.items) else None


def _store(extraction: ExtractedDocument, name: str, field: ExtractedField) -> None:
    item = _ITEM.fullmatch(name)
    if item is None:
        extraction.fields[name] = field
        return
    index, column = int(item.group(1)), item.group(2)
    if index >= len(extraction.items):
        raise InputRejected(f"明细第 {index + 1} 行不存在 (no such line item)", code="no_such_item", field=name)
    extraction.items[index][column] = field.model_copy(update={"name": column})


def apply_corrections(
    session: Session,
    doc: DocumentRow,
    corrections: dict[str, str | None],
    *,
    task_id: str,
    reviewer: str,
    reason: str | None,
    now: datetime,
    approved_by: str | None = None,
) -> dict[str, dict[str, str | None]]:
    """Write new values into the extraction (source ``human``) and record old → new (unchanged: skipped)."""
    extraction = _extraction(doc)
    applied: dict[str, dict[str, str | None]] = {}
    for name, raw in corrections.items():
        new = _normalise(raw)
        old_field = current(extraction, name)
        old = old_field.value if old_field else None
        if new == old:
            continue
        _store(extraction, name, ExtractedField(
            name=name, value=new, confidence=1.0, source=FieldSource.HUMAN,
            page=old_field.page if old_field else None, bbox=old_field.bbox if old_field else None,
            raw=old_field.raw if old_field else None,
        ))
        session.add(FieldCorrectionRow(application_id=doc.application_id, document_id=doc.id, task_id=task_id,
                                       field=name, old_value=old, new_value=new, corrected_by=reviewer,
                                       reason=reason, created_at=now, approved_by=approved_by))
        applied[name] = {"old": old, "new": new}
    doc.extraction = extraction.model_dump(mode="json")
    doc.updated_at = now
    return applied


def propose(
    session: Session,
    doc: DocumentRow,
    corrections: dict[str, str | None],
    *,
    task: ReviewTaskRow,
    maker: str,
    reason: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Pending corrections for a checker (a risk officer for a P1 红 task); nothing is applied yet."""
    extraction = _extraction(doc)
    checker_role = Role.RISK_OFFICER if task.priority == TaskPriority.P1 else Role.REVIEWER
    out: list[dict[str, Any]] = []
    for name, raw in corrections.items():
        new = _normalise(raw)
        old_field = current(extraction, name)
        old = old_field.value if old_field else None
        if new == old:
            continue
        row = task_records.propose_correction(
            session, task_id=task.id, application_id=doc.application_id, document_id=doc.id, field=name,
            old=old, new=new, maker=maker, reason=reason, required_role=checker_role.value, now=now,
        )
        audit.record(session, at=now, actor=maker, action="correction.proposed",
                     application_id=doc.application_id,
                     document_id=doc.id, task_id=task.id,
                     detail={"correction_id": row.id, "field": name, "old": old, "new": new, "reason": reason,
                             "checker_role": checker_role.value})
        out.append({"id": row.id, "field": name, "old": old, "new": new})
    return out
