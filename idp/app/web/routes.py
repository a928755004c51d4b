"""The review UI: the task queue, one task with its page images and fields, and resolving it.

Server-rendered Jinja2 (autoescaped): Chinese on screen, English in code. The reviewer is only a name
kept in a cookie for now; real roles and authentication come with a later issue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from idp.app.deps import SessionDep, SettingsDep
from idp.app.web import pages
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
from idp.errors import IdpError
from idp.models import (
    CORRECTION_STATUS_LABELS,
    SLA_LEVEL_LABELS,
    TASK_KIND_LABELS,
    ExtractedDocument,
    SlaLevel,
    TaskKind,
)
from idp.models.schema import field_label
from idp.settings import Settings
from idp.storage import documents, task_records, tasks
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from idp.storage.tables import ApplicationRow, DocumentRow, PendingCorrectionRow, ReviewTaskRow
from queues.clock import utcnow
from queues.foureyes import approve_correction, reject_correction
from queues.review import resolve_task

logger = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent
#: Cookie with the reviewer's name. A stand-in for real authentication and roles, which come in a later issue.
REVIEWER_COOKIE = "idp_reviewer"
DEFAULT_REVIEWER = "reviewer"
#: Longest reviewer name kept (``resolved_by`` holds 100 characters).
_MAX_REVIEWER = 60
#: Most open tasks loaded for the queue page and for finding the next task.
_QUEUE_LIMIT = 500
STATUS_LABELS = {"open": "待处理", "claimed": "处理中", "waiting_customer": "等待客户", "resolved": "已处理",
                 "cancelled": "已取消", "pending_approval": "待复核", "awaiting_verification": "等待查验"}
#: Statuses in which the resolve form is offered (a 待复核 task waits for a checker, a paused one for resume).
_RESOLVABLE = {"open", "claimed"}
_LEVEL_LABELS = {level.value: label for level, label in SLA_LEVEL_LABELS.items() if level != SlaLevel.NONE}
_CORRECTION_LABELS = {status.value: label for status, label in CORRECTION_STATUS_LABELS.items()}
_NOTICES = {"pending_approval": "上一任务已提交双人复核,等待另一位审核人复核金额/税号修正",
            "approved": "修正已复核通过", "rejected_correction": "修正已驳回,任务已退回队列"}

#: Task kinds by their stored value (an unknown kind shows as is instead of failing the whole queue).
_KIND_LABELS = {kind.value: label for kind, label in TASK_KIND_LABELS.items()}

router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=True))
templates.env.globals["field_label"] = field_label


def mount_web(app: FastAPI) -> None:
    """Add the review pages and their static files to the app."""
    app.include_router(router)
    from idp.app.web import dashboard  # 监控看板 (it imports this module, hence here)

    app.include_router(dashboard.router)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")


@dataclass(frozen=True)
class QueueItem:
    id: str
    kind: str
    priority: int
    status: str
    borrower: str
    filename: str | None
    reasons: list[str]
    more_reasons: int
    due: str
    left: str
    overdue: bool
    level: str  #: sla level value ("" when none)
    level_label: str


@router.get("", response_class=HTMLResponse)
def queue_page(request: Request, session: SessionDep, done: str | None = None) -> Response:
    """任务队列: every open task, the most urgent SLA first."""
    now = utcnow()
    rows = tasks.list_active(session, limit=_QUEUE_LIMIT)
    apps = _by_id(session, ApplicationRow, {r.application_id for r in rows})
    docs = _by_id(session, DocumentRow, {r.document_id for r in rows if r.document_id})
    split = documents.split_uploads(session, set(docs))
    items: list[QueueItem] = []
    for r in rows:
        due, left, overdue = sla_text(r.sla_due_at, now)
        app, doc = apps.get(r.application_id), docs.get(r.document_id or "")
        messages = [str(x.get("message", "")) for x in r.reasons]
        part = part_label(doc, split=bool(doc and doc.id in split))
        filename = (f"{doc.filename}({part})" if part else doc.filename) if doc else None
        items.append(QueueItem(
            id=r.id, kind=_KIND_LABELS.get(r.kind, r.kind), priority=r.priority,
            status=STATUS_LABELS.get(r.status, r.status), borrower=app.borrower_name if app else "—",
            filename=filename, reasons=messages[:2],
            more_reasons=max(0, len(messages) - 2),
            due=due, left=left, overdue=overdue, level=r.sla_level if r.sla_level in _LEVEL_LABELS else "",
            level_label=_LEVEL_LABELS.get(r.sla_level, ""),
        ))
    counts = {"open": len(items), "overdue": sum(1 for i in items if i.overdue),
              "p1": sum(1 for i in items if i.priority == 1), "p2": sum(1 for i in items if i.priority == 2)}
    return templates.TemplateResponse(request, "queue.html", {
        "items": items, "counts": counts, "limited": len(rows) >= _QUEUE_LIMIT,
        "reviewer": reviewer_of(request), "notice": _done_notice(done),
    })


@router.post("/reviewer")
async def set_reviewer(request: Request) -> Response:
    """Remember who is reviewing (a name only, see REVIEWER_COOKIE)."""
    form = await request.form()
    name = _clean_name(str(form.get("name") or "")) or DEFAULT_REVIEWER
    response = RedirectResponse("/review", status_code=303)
    response.set_cookie(REVIEWER_COOKIE, quote(name), max_age=180 * 86400, httponly=True, samesite="lax")
    return response


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(task_id: str, request: Request, session: SessionDep, settings: SettingsDep,
              done: str | None = None) -> Response:
    """任务详情: why the task exists, the pages with every field's box, and the resolve form."""
    row = session.get(ReviewTaskRow, task_id)
    if row is None:
        return _error_page(request, "未找到该任务", 404)
    return _render_task(request, session, settings, row, notice=_done_notice(done))


@router.post("/tasks/{task_id}/resolve")
async def resolve(task_id: str, request: Request, settings: SettingsDep) -> Response:
    """Close the task with the reviewer's outcome; go on to the next open task."""
    form = await request.form()
    outcome = str(form.get("outcome") or "")
    comment = str(form.get("comment") or "").strip() or None
    submitted = {k[2:]: str(v) for k, v in form.multi_items() if k.startswith("f:")}
    return await run_in_threadpool(_resolve, request, settings, task_id, outcome, comment, submitted)


def _resolve(request: Request, settings: Settings, task_id: str, outcome: str, comment: str | None,
             submitted: dict[str, str]) -> Response:
    url = settings.effective_database_url
    with session_scope(url) as s:
        row = s.get(ReviewTaskRow, task_id)
        if row is None:
            return _error_page(request, "未找到该任务", 404)
        doc = s.get(DocumentRow, row.document_id) if row.document_id else None
        changes = _changes(doc, tasks.to_model(row).reasons, submitted)
    error = _check(outcome, comment, changes)
    status = 400
    if error is None:
        reviewer = reviewer_of(request)
        try:
            new_status = resolve_task(settings, task_id, reviewer=reviewer, outcome=outcome,
                                      corrections=changes if outcome == "corrected" else None, comment=comment,
                                      now=utcnow())
        except IdpError as exc:
            logger.info("resolve %s refused: %s", task_id, exc.code)
            error, status = exc.message, exc.http_status
        else:
            with session_scope(url) as s:
                following = _next_for(s, reviewer, exclude=task_id)
            target = f"/review/tasks/{following}" if following else "/review"
            done = "pending_approval" if new_status == "pending_approval" else outcome
            return RedirectResponse(f"{target}?done={done}", status_code=303)
    with session_scope(url) as s:
        row = tasks.get(s, task_id)
        return _render_task(request, s, settings, row, error=error, submitted=submitted, comment=comment,
                            status_code=status)


@router.post("/corrections/{correction_id}/{decision}")
async def decide_correction(correction_id: int, decision: str, request: Request, settings: SettingsDep) -> Response:
    """双人复核: another reviewer approves or rejects a held-back money/tax-id correction."""
    form = await request.form()
    comment = str(form.get("comment") or "").strip() or None
    return await run_in_threadpool(_decide, request, settings, correction_id, decision, comment)


def _decide(request: Request, settings: Settings, correction_id: int, decision: str,
            comment: str | None) -> Response:
    url = settings.effective_database_url
    with session_scope(url) as s:
        row = s.get(PendingCorrectionRow, correction_id)
        if row is None or decision not in ("approve", "reject"):
            return _error_page(request, "未找到该修正", 404)
        task_id = row.task_id
    try:
        if decision == "approve":
            approve_correction(settings, correction_id, checker=reviewer_of(request), comment=comment, now=utcnow())
        else:
            reject_correction(settings, correction_id, checker=reviewer_of(request), comment=comment or "",
                              now=utcnow())
    except IdpError as exc:
        logger.info("correction %s %s refused: %s", correction_id, decision, exc.code)
        with session_scope(url) as s:
            return _render_task(request, s, settings, tasks.get(s, task_id), error=exc.message,
                                status_code=exc.http_status)
    done = "approved" if decision == "approve" else "rejected_correction"
    return RedirectResponse(f"/review/tasks/{task_id}?done={done}", status_code=303)


@router.get("/documents/{document_id}/pages/{page_no}.png")
def page_image(document_id: str, page_no: int, session: SessionDep, settings: SettingsDep) -> Response:
    """One page as PNG, with a placeholder (never a 500) when it cannot be drawn.

    ``page_no`` is the page's number in the stored file; a part of a split file has only its own pages
    (``page_from``..``page_to``), so its previews never show another document of the same file.
    """
    doc = session.get(DocumentRow, document_id)
    path = FileStore(settings.files_dir).path(doc.storage_key) if doc else None
    if doc is None or path is None or not path.exists():
        return _png(pages.placeholder("无法预览", "文件不存在"), 404)
    if doc.page_from is not None and not doc.page_from <= page_no <= (doc.page_to or doc.page_from):
        return _png(pages.placeholder("无法预览", f"该文档没有第 {page_no} 页"), 404)
    try:
        png = pages.render_page(path, page_no=page_no, sha256=doc.sha256, page_text=doc.page_text,
                                cache_dir=settings.data_dir / "renders")
    except pages.PageOutOfRange:
        return _png(pages.placeholder("无法预览", f"没有第 {page_no} 页"), 404)
    return _png(png)


@router.get("/documents/{document_id}/original")
def original_file(document_id: str, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The stored bytes, as uploaded, under the original filename."""
    doc = session.get(DocumentRow, document_id)
    path = FileStore(settings.files_dir).path(doc.storage_key) if doc else None
    if doc is None or path is None or not path.exists():
        return _error_page(request, "未找到该文件", 404)
    # Always an attachment with nosniff: the stored content type is whatever the client claimed.
    return FileResponse(path, media_type=doc.content_type or "application/octet-stream",
                        filename=doc.filename, headers={"X-Content-Type-Options": "nosniff"})


def reviewer_of(request: Request) -> str:
    """The reviewer's name from the cookie, or the default."""
    return _clean_name(unquote(request.cookies.get(REVIEWER_COOKIE, ""))) or DEFAULT_REVIEWER


def _render_task(request: Request, session: Session, settings: Settings, row: ReviewTaskRow, *,
                 error: str | None = None, notice: str | None = None, submitted: dict[str, str] | None = None,
                 comment: str | None = None, status_code: int = 200) -> Response:
    task = tasks.to_model(row)
    now = utcnow()
    app = session.get(ApplicationRow, row.application_id)
    doc = session.get(DocumentRow, row.document_id) if row.document_id else None
    part = part_label(doc, split=bool(doc and documents.split_uploads(session, {doc.id})))
    fields = field_views(doc, task.reasons, submitted or {}, threshold=settings.default_field_threshold)
    active = [t.id for t in tasks.list_active(session, limit=_QUEUE_LIMIT)]
    after = active[active.index(row.id) + 1:] if row.id in active else active
    due, left, overdue = sla_text(row.sla_due_at, now)
    reviewer = reviewer_of(request)
    corrections = [{"id": c.id, "field": c.field, "label": field_label(c.field), "old": c.old_value,
                    "new": c.new_value, "maker": c.maker, "reason": c.reason, "status": c.status,
                    "status_label": _CORRECTION_LABELS.get(c.status, c.status), "checker": c.checker,
                    "comment": c.check_comment, "own": c.maker == reviewer}
                   for c in task_records.corrections_for_task(session, row.id)]
    return templates.TemplateResponse(request, "task.html", {
        "task": task, "kind_label": TASK_KIND_LABELS.get(task.kind, task.kind.value),
        "status_label": STATUS_LABELS.get(row.status, row.status), "is_active": row.status in tasks.ACTIVE,
        "can_resolve": row.status in _RESOLVABLE, "corrections": corrections,
        "level_label": _LEVEL_LABELS.get(row.sla_level, ""), "level": row.sla_level,
        "failed": task.kind == TaskKind.PROCESSING_FAILED, "app": app, "doc": doc, "part": part,
        "pages": page_views(doc, fields, FileStore(settings.files_dir)) if doc else [],
        "fields": fields, "items": item_table(doc), "reasons": reason_views(task.reasons, row.document_id),
        "due": due, "left": left, "overdue": overdue, "error": error, "notice": notice,
        "comment": comment or "", "next_id": next((t for t in after if t != row.id), None),
        "reviewer": reviewer, "outcome_labels": OUTCOME_LABELS,
        "resolution": row.resolution or {},
        "resolved_at": local_time(row.resolved_at) if row.resolved_at else "",
    }, status_code=status_code)


def _changes(doc: DocumentRow | None, reasons: list[Any], submitted: dict[str, str]) -> dict[str, str | None]:
    """Only the fields the reviewer changed (compared with the stored extraction, not with the form)."""
    if doc is None:
        return {}
    allowed = {f.name for f in field_views(doc, reasons, {})}
    extraction = ExtractedDocument.model_validate(doc.extraction) if doc.extraction else None
    out: dict[str, str | None] = {}
    for name, raw in submitted.items():
        new = raw.strip() or None
        old = extraction.value(name) if extraction else None
        if name in allowed and new != ((old or "").strip() or None):
            out[name] = new
    return out


def _check(outcome: str, comment: str | None, changes: dict[str, str | None]) -> str | None:
    if outcome not in OUTCOME_LABELS:
        return "请选择处理结果:通过、修正后通过或驳回"
    if outcome == "rejected" and not comment:
        return "驳回必须填写意见,请在「处理意见」中说明原因"
    if outcome == "accepted" and changes:
        return f"您修改了 {len(changes)} 个字段:请选择「修正后通过」,或撤销修改后再「通过」"
    if outcome == "corrected" and not changes:
        return "没有修改任何字段:如数值无误,请选择「通过」"
    return None


def _done_notice(done: str | None) -> str | None:
    if done in _NOTICES:
        return _NOTICES[done]
    return f"上一任务已处理:{OUTCOME_LABELS[done]}" if done in OUTCOME_LABELS else None


def _next_for(session: Session, reviewer: str, *, exclude: str) -> str | None:
    """The next task this reviewer can act on: open or theirs, or 待复核 made by someone else."""
    for row in tasks.list_active(session, limit=_QUEUE_LIMIT):
        if row.id == exclude:
            continue
        if row.status == "open" or (row.status == "claimed" and row.claimed_by == reviewer):
            return row.id
        if row.status == "pending_approval" and (row.resolution or {}).get("by") != reviewer:
            return row.id
    return None


def _clean_name(name: str) -> str:
    return " ".join("".join(c for c in name if c.isprintable()).split())[:_MAX_REVIEWER]


def _by_id(session: Session, table: type[Any], ids: set[str]) -> dict[str, Any]:
    if not ids:
        return {}
    return {r.id: r for r in session.scalars(select(table).where(table.id.in_(ids)))}


def _png(data: bytes, status_code: int = 200) -> Response:
    return Response(data, media_type="image/png", status_code=status_code,
                    headers={"Cache-Control": "private, max-age=300"})


def _error_page(request: Request, message: str, status_code: int) -> Response:
    context = {"message": message, "reviewer": reviewer_of(request)}
    return templates.TemplateResponse(request, "error.html", context, status_code=status_code)
