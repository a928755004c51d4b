"""任务详情: opening a task claims it (a lease the page's heartbeat renews, given back when the page is left);
the page viewer with every field's box; resolving, then the queue's next task; 双人复核 of held corrections."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from idp.app.auth.gates import WEB_STAFF
from idp.app.deps import SessionDep, SettingsDep
from idp.app.web import notices
from idp.app.web.task_view import render_task
from idp.app.web.views import OUTCOME_LABELS, field_views, item_table
from idp.errors import Conflict, IdpError, NotFound
from idp.models import ExtractedDocument, Reason, Reviewer, same_person
from idp.settings import Settings
from idp.storage import tasks
from idp.storage.db import session_scope
from idp.storage.tables import DocumentRow
from queues import taskqueue
from queues.clock import utcnow
from queues.foureyes import approve_correction, reject_correction
from queues.review import resolve_task
from queues.taskguards import check_visible

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/review", tags=["review"], include_in_schema=False)
StaffWeb = Annotated[Reviewer, Depends(WEB_STAFF)]
#: Tasks remembered per session for "previous task" (K).
_RECENT = 20


@router.get("/tasks/{task_id}")
def task_page(task_id: str, request: Request, settings: SettingsDep, me: StaffWeb, done: str | None = None,
              peek: bool = False) -> Response:
    """The task, claimed for me when I may work it and nobody else holds it (``peek``: look without claiming)."""
    with session_scope(settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        check_visible(row, me)
        may_claim = (not peek and row.status in ("open", "claimed") and me.can_take(row.required_role,
                                                                                    row.required_skill)
                     and (row.assignee is None or same_person(row.assignee, me.name)))
    claim_error = None
    if may_claim:
        try:
            taskqueue.claim(settings, task_id, me, now=utcnow())  # claims, or renews my own lease
        except Conflict as exc:
            claim_error = exc.message
    _remember(request, task_id)
    with session_scope(settings.effective_database_url) as s:
        return render_task(request, s, settings, tasks.get(s, task_id), me, notice=notices.text(done),
                           error=claim_error)


@router.post("/tasks/{task_id}/heartbeat")
def heartbeat(task_id: str, settings: SettingsDep, me: StaffWeb) -> Response:
    """Renew my lease while the page is open; 409 when someone else has it now (the page then locks)."""
    try:
        task = taskqueue.claim(settings, task_id, me, now=utcnow())
    except IdpError as exc:
        return JSONResponse({"code": exc.code, "message": exc.message.partition(" (")[0]},
                            status_code=exc.http_status)
    return JSONResponse({"lease_expires_at": task.lease_expires_at.isoformat() if task.lease_expires_at else None})


@router.post("/tasks/{task_id}/leave")
async def leave(task_id: str, request: Request, settings: SettingsDep, me: StaffWeb) -> Response:
    """The page was closed or left: give the task back, unless a newer page of mine holds it."""
    try:
        form = await request.form()
    except ClientDisconnect:  # the tab closed while its beacon was sent: the lease runs out by itself
        return Response(status_code=204)
    try:
        lease = datetime.fromisoformat(str(form.get("lease") or ""))
    except ValueError:
        lease = datetime.min.replace(tzinfo=UTC)  # nothing to give back, but the task is still checked
    await run_in_threadpool(_leave, settings, task_id, me, lease)
    return Response(status_code=204)


def _leave(settings: Settings, task_id: str, me: Reviewer, lease: datetime) -> None:
    with session_scope(settings.effective_database_url) as s:
        check_visible(tasks.get(s, task_id), me)
    taskqueue.leave(settings, task_id, me, lease=lease, now=utcnow())


@router.post("/tasks/{task_id}/claim")
def claim(task_id: str, settings: SettingsDep, me: StaffWeb) -> Response:
    """领取 a task opened with ``peek`` (or taken over after its holder's lease ran out)."""
    taskqueue.claim(settings, task_id, me, now=utcnow())
    return RedirectResponse(f"/review/tasks/{task_id}?done=claimed", status_code=303)


@router.post("/tasks/{task_id}/release")
def release(task_id: str, settings: SettingsDep, me: StaffWeb) -> Response:
    """释放: back to the queue (the holder, or a team lead or supervisor)."""
    taskqueue.release(settings, task_id, me, now=utcnow())
    return RedirectResponse("/review?done=released", status_code=303)


@router.get("/tasks/{task_id}/previous")
def previous(task_id: str, request: Request, session: SessionDep, me: StaffWeb) -> Response:
    """K: the task I opened before this one (this session), else the queue."""
    check_visible(tasks.get(session, task_id), me)
    recent = [t for t in request.session.get("recent", []) if isinstance(t, str)]
    before = recent[recent.index(task_id) - 1] if task_id in recent and recent.index(task_id) > 0 else None
    return RedirectResponse(f"/review/tasks/{before}" if before else "/review", status_code=303)


@router.post("/tasks/{task_id}/resolve")
async def resolve(task_id: str, request: Request, settings: SettingsDep, me: StaffWeb) -> Response:
    """Close the task with my outcome; go on to the queue's next task for me."""
    form = await request.form()
    outcome = str(form.get("outcome") or "")
    comment = str(form.get("comment") or "").strip() or None
    submitted = {k[2:]: str(v) for k, v in form.multi_items() if k.startswith("f:")}
    return await run_in_threadpool(_resolve, request, settings, me, task_id, outcome, comment, submitted)


def _resolve(request: Request, settings: Settings, me: Reviewer, task_id: str, outcome: str, comment: str | None,
             submitted: dict[str, str]) -> Response:
    url = settings.effective_database_url
    with session_scope(url) as s:
        row = tasks.get(s, task_id)
        check_visible(row, me)
        doc = s.get(DocumentRow, row.document_id) if row.document_id else None
        changes = changed_fields(doc, tasks.to_model(row).reasons, submitted)
    error = _check(outcome, comment, changes)
    status = 400
    if error is None:
        try:
            new_status = resolve_task(settings, task_id, reviewer=me, outcome=outcome,
                                      corrections=changes if outcome == "corrected" else None, comment=comment,
                                      now=utcnow())
        except IdpError as exc:
            logger.info("resolve %s refused: %s", task_id, exc.code)
            error, status = exc.message.partition(" (")[0], exc.http_status
        else:
            following = taskqueue.next_task(settings, me, now=utcnow())
            target = f"/review/tasks/{following.id}" if following else "/review"
            done = "pending_approval" if new_status == "pending_approval" else outcome
            return RedirectResponse(f"{target}?done={done}", status_code=303)
    with session_scope(url) as s:
        return render_task(request, s, settings, tasks.get(s, task_id), me, error=error, submitted=submitted,
                           comment=comment, status_code=status)


@router.post("/corrections/{correction_id}/{decision}")
async def decide_correction(correction_id: int, decision: str, request: Request, settings: SettingsDep,
                            me: StaffWeb) -> Response:
    """双人复核: another person approves or rejects a held-back money/tax-id correction."""
    form = await request.form()
    comment = str(form.get("comment") or "").strip() or None
    return await run_in_threadpool(_decide, request, settings, me, correction_id, decision, comment)


def _decide(request: Request, settings: Settings, me: Reviewer, correction_id: int, decision: str,
            comment: str | None) -> Response:
    from idp.storage import task_records

    url = settings.effective_database_url
    with session_scope(url) as s:
        if decision not in ("approve", "reject"):
            raise NotFound("未知的操作 (unknown decision)")
        task_id = task_records.get_correction(s, correction_id).task_id
    try:
        if decision == "approve":
            approve_correction(settings, correction_id, checker=me, comment=comment, now=utcnow())
        else:
            reject_correction(settings, correction_id, checker=me, comment=comment or "", now=utcnow())
    except IdpError as exc:
        logger.info("correction %s %s refused: %s", correction_id, decision, exc.code)
        with session_scope(url) as s:
            return render_task(request, s, settings, tasks.get(s, task_id), me, error=exc.message.partition(" (")[0],
                               status_code=exc.http_status)
    done = "approved" if decision == "approve" else "rejected_correction"
    return RedirectResponse(f"/review/tasks/{task_id}?done={done}", status_code=303)


def changed_fields(doc: DocumentRow | None, reasons: list[Reason],
                   submitted: dict[str, str]) -> dict[str, str | None]:
    """Only the fields the person changed (compared with the stored extraction, not the form), and only
    fields the page offers (header fields and line-item cells): nothing else can be written this way."""
    if doc is None:
        return {}
    from queues.corrections import current

    allowed = {f.name for f in field_views(doc, reasons, {})}
    table = item_table(doc, reasons, {})
    allowed |= {c.name for row in (table.rows if table else []) for c in row if c is not None}
    extraction = ExtractedDocument.model_validate(doc.extraction) if doc.extraction else None
    out: dict[str, str | None] = {}
    for name, raw in submitted.items():
        new = raw.strip() or None
        field = current(extraction, name) if extraction else None
        old = (field.value or "").strip() or None if field else None
        if name in allowed and new != old:
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


def _remember(request: Request, task_id: str) -> None:
    recent = [t for t in request.session.get("recent", []) if isinstance(t, str) and t != task_id]
    request.session["recent"] = (recent + [task_id])[-_RECENT:]
