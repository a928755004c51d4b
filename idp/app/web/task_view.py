"""Building the task page: the task, who holds it, the document's pages and fields, the four-eyes corrections."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from idp.app.web.labels import field_label, kind_label
from idp.app.web.queue_page import LEVEL_LABELS, STATUS_LABELS
from idp.app.web.templating import ROLE_NAMES, render
from idp.app.web.views import (
    OUTCOME_LABELS,
    field_views,
    item_table,
    local_time,
    page_views,
    part_label,
    reason_views,
    sla_text,
)
from idp.models import CORRECTION_STATUS_LABELS, TASK_KIND_LABELS, Reviewer, TaskKind, same_person
from idp.settings import Settings
from idp.storage import documents, page_images, staff, task_records, tasks
from idp.storage.tables import ApplicationRow, DocumentRow, ReviewTaskRow
from queues.clock import utcnow

_CORRECTION_LABELS = {status.value: label for status, label in CORRECTION_STATUS_LABELS.items()}
#: What a failed document's error code means, for the person who has to act on it.
FAILURE_LABELS = {
    "unsupported_format": "不支持的文件格式(请上传 PDF、OFD 或图片)", "empty_file": "文件为空",
    "corrupt_image": "图像文件损坏或无法解码", "image_too_large": "图像尺寸过大", "encrypted_pdf": "PDF 已加密",
    "corrupt_pdf": "PDF 文件损坏", "no_text": "文档中没有可识别的文字", "unreadable_file": "无法读取文件",
    "processing_error": "处理时出错,重试后仍未成功", "too_many_pages": "页数超过上限",
    "decompression_bomb": "文件解压后过大", "corrupt_ofd": "OFD 文件损坏",
}


def failure_text(doc: DocumentRow) -> str:
    """The Chinese reason a document failed (never an exception's class name)."""
    if doc.error_code in FAILURE_LABELS:
        return FAILURE_LABELS[doc.error_code or ""]
    message = (doc.error or "").split(": ", 1)[-1].partition(" (")[0]
    return message if any("\u4e00" <= ch <= "\u9fff" for ch in message) else "处理时出错"


def render_task(request: Request, session: Session, settings: Settings, row: ReviewTaskRow, me: Reviewer, *,
                error: str | None = None, notice: str | None = None, submitted: dict[str, str] | None = None,
                comment: str | None = None, status_code: int = 200) -> Response:
    task = tasks.to_model(row)
    now = utcnow()
    app = session.get(ApplicationRow, row.application_id)
    doc = session.get(DocumentRow, row.document_id) if row.document_id else None
    part = part_label(doc, split=bool(doc and documents.split_uploads(session, {doc.id})))
    threshold = settings.default_field_threshold
    fields = field_views(doc, task.reasons, submitted or {}, threshold=threshold)
    items = item_table(doc, task.reasons, submitted or {}, threshold=threshold)
    cells = [c for r in (items.rows if items else []) for c in r if c is not None]
    images = page_images.for_document(session, page_images.file_document_id(doc)) if doc else {}
    due, left, overdue = sla_text(row.sla_due_at, now)
    mine = row.status == "claimed" and same_person(row.claimed_by, me.name)
    held_by_other = row.status == "claimed" and not mine and bool(row.lease_expires_at and row.lease_expires_at > now)
    kind = doc.kind if doc else None
    corrections = [{"id": c.id, "field": c.field, "label": field_label(kind, c.field), "old": c.old_value,
                    "new": c.new_value, "maker": c.maker, "reason": c.reason, "status": c.status,
                    "status_label": _CORRECTION_LABELS.get(c.status, c.status), "checker": c.checker,
                    "comment": c.check_comment, "own": same_person(c.maker, me.name),
                    "may_check": me.can_take(c.required_role), "role": ROLE_NAMES.get(c.required_role, "")}
                   for c in task_records.corrections_for_task(session, row.id)]
    resolution = row.resolution or {}
    return render(request, "task.html", {
        "task": task, "kind_label": TASK_KIND_LABELS.get(task.kind, "其他任务"),
        "status": row.status, "status_label": STATUS_LABELS.get(row.status, row.status),
        "is_active": row.status in tasks.ACTIVE, "mine": mine, "held_by_other": held_by_other,
        "holder": row.claimed_by if row.status == "claimed" else None, "assignee": row.assignee,
        "lease": row.lease_expires_at.isoformat() if mine and row.lease_expires_at else "",
        "can_resolve": mine, "may_claim": row.status == "open" and me.can_take(row.required_role,
                                                                                row.required_skill),
        "may_release": row.status == "claimed" and (mine or me.role.value in ("team_lead", "supervisor", "head")),
        "required_role": ROLE_NAMES.get(row.required_role, row.required_role),
        "corrections": corrections, "level_label": LEVEL_LABELS.get(row.sla_level, ""), "level": row.sla_level,
        "failed": task.kind == TaskKind.PROCESSING_FAILED, "failure": failure_text(doc) if doc else "",
        "app": app, "doc": doc, "part": part, "doc_kind": kind_label(kind, doc.subtype) if doc else "",
        "pages": page_views(doc, fields + cells, images) if doc else [],
        "fields": fields, "items": items, "reasons": reason_views(task.reasons, row.document_id, kind),
        "due": due, "left": left, "overdue": overdue, "error": error, "notice": notice, "comment": comment or "",
        "outcome_labels": OUTCOME_LABELS, "resolution": resolution,
        "resolved_corrections": [(field_label(kind, n), c) for n, c in (resolution.get("corrections") or {}).items()],
        "resolved_at": local_time(row.resolved_at) if row.resolved_at else "",
    }, status_code=status_code, people=staff.display_names(session))
