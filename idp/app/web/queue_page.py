"""任务队列: the tasks a person may work (or, for watchers, every task), filtered, searched and paged, with
the role each needs and who holds it; "next task" is the queue's own (role, skill, assignee, urgency)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from idp.app.auth.gates import WEB_STAFF
from idp.app.deps import SessionDep, SettingsDep
from idp.app.web import notices
from idp.app.web.labels import kind_label
from idp.app.web.templating import ROLE_NAMES, render
from idp.app.web.views import part_label, sla_text
from idp.models import SLA_LEVEL_LABELS, TASK_KIND_LABELS, Reviewer, SlaLevel
from idp.storage import documents, staff, tasks
from idp.storage.tables import ApplicationRow, DocumentRow
from queues import taskqueue
from queues.clock import utcnow
from queues.taskguards import visible_roles

router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)
StaffWeb = Annotated[Reviewer, Depends(WEB_STAFF)]

PAGE_SIZE = 50
STATUS_LABELS = {"open": "待处理", "claimed": "处理中", "waiting_customer": "等待客户补件", "resolved": "已处理",
                 "cancelled": "已取消", "pending_approval": "待双人复核", "awaiting_verification": "等待查验"}
KIND_LABELS = {kind.value: label for kind, label in TASK_KIND_LABELS.items()}
LEVEL_LABELS = {level.value: label for level, label in SLA_LEVEL_LABELS.items() if level != SlaLevel.NONE}
#: Views of the queue: what I may take now, what I hold or was given, everything (read-only for others' tasks).
VIEWS = {"available": "可领取", "mine": "我的任务", "approval": "待双人复核", "all": "全部"}


@dataclass(frozen=True)
class QueueItem:
    id: str
    kind: str
    priority: int
    status: str
    status_value: str
    borrower: str
    external_id: str
    product: str
    filename: str | None
    doc_kind: str | None
    reasons: list[str]
    more_reasons: int
    due: str
    left: str
    overdue: bool
    level: str
    level_label: str
    role: str  #: required role, in Chinese
    holder: str | None  #: who holds the claim
    assignee: str | None


@router.get("")
def queue_page(request: Request, session: SessionDep, me: StaffWeb, view: str = "available",
               kind: str = "", level: str = "", product: str = "",
               q: Annotated[str, Query(max_length=100)] = "", page: Annotated[int, Query(ge=1, le=10_000)] = 1,
               done: str | None = None) -> Response:
    """任务队列 in urgency order."""
    view = view if view in VIEWS else "available"
    roles = visible_roles(me)
    flt = tasks.TaskFilter(
        status={"available": "open", "approval": "pending_approval"}.get(view, "active"),
        kind=kind if kind in KIND_LABELS else None,
        level=SlaLevel(level) if level in LEVEL_LABELS else None, product=product or None,
        roles=tuple(sorted(r.value for r in me.task_roles)) if view == "available" else roles,
        mine=me.name if view == "mine" else None, search=q.strip() or None,
        free_for=me.name if view == "available" else None,
    )
    rows, count = tasks.list_tasks(session, flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    items = _items(session, rows)
    products = sorted({p for p in session.scalars(tasks.products_query()) if p})
    total = count or 0
    return render(request, "queue.html", {
        "items": items, "count": total, "capped": total > tasks.COUNT_CAP, "page": page,
        "pages": max(1, -(-min(total, tasks.COUNT_CAP) // PAGE_SIZE)), "view": view, "views": VIEWS,
        "kind": kind, "level": level, "product": product, "q": q, "kinds": KIND_LABELS, "levels": LEVEL_LABELS,
        "products": products, "notice": notices.text(done),
    }, people=staff.display_names(session))


@router.post("/next")
def next_task(request: Request, settings: SettingsDep, me: StaffWeb, after: str = "") -> Response:
    """领取下一个任务: the most urgent task I may take (skipping ``after``, the one I leave), then open it."""
    if after:
        try:
            taskqueue.release(settings, after, me, now=utcnow())
        except Exception:  # not mine or not claimed: nothing to give back
            pass
    task = taskqueue.next_task(settings, me, now=utcnow(), exclude=(after,) if after else ())
    if task is None:
        return RedirectResponse("/review?done=empty", status_code=303)
    return RedirectResponse(f"/review/tasks/{task.id}", status_code=303)


def _items(session: SessionDep, rows: list) -> list[QueueItem]:  # type: ignore[type-arg]
    now = utcnow()
    apps = _by_id(session, ApplicationRow, {r.application_id for r in rows})
    docs = _by_id(session, DocumentRow, {r.document_id for r in rows if r.document_id})
    split = documents.split_uploads(session, set(docs))
    out = []
    for r in rows:
        due, left, overdue = sla_text(r.sla_due_at, now)
        app, doc = apps.get(r.application_id), docs.get(r.document_id or "")
        messages = [str(x.get("message", "")) for x in r.reasons]
        part = part_label(doc, split=bool(doc and doc.id in split))
        filename = (f"{doc.filename}({part})" if part else doc.filename) if doc else None
        out.append(QueueItem(
            id=r.id, kind=KIND_LABELS.get(r.kind, "其他任务"), priority=r.priority,
            status=STATUS_LABELS.get(r.status, r.status), status_value=r.status,
            borrower=app.borrower_name if app else "—", external_id=(app.external_id or "") if app else "",
            product=r.product or "", filename=filename, doc_kind=kind_label(doc.kind, doc.subtype) if doc else None,
            reasons=messages[:2], more_reasons=max(0, len(messages) - 2), due=due, left=left, overdue=overdue,
            level=r.sla_level if r.sla_level in LEVEL_LABELS else "", level_label=LEVEL_LABELS.get(r.sla_level, ""),
            role=ROLE_NAMES.get(r.required_role, r.required_role),
            holder=r.claimed_by if r.status == "claimed" else None, assignee=r.assignee,
        ))
    return out


def _by_id(session: SessionDep, model: type, ids: set[str]) -> dict:  # type: ignore[type-arg]
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}
