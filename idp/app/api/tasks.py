"""The one task queue for reviewers: list, next, claim, release, comment, resolve, pause, reopen, reassign.

Staff sign in with a personal access token (``Authorization: Bearer``; see :mod:`idp.app.auth.gates`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from idp.app.api.schemas import ErrorBody
from idp.app.api.task_schemas import (
    STATUS_FILTERS,
    BulkReassignRequest,
    CommentPublic,
    CommentRequest,
    CorrectionPublic,
    EscalationPublic,
    HistoryEntry,
    NextRequest,
    NoteRequest,
    ReasonRequest,
    ReassignRequest,
    ReassignResult,
    ResolveRequest,
    SlaEventPublic,
    TaskDetail,
    TaskPage,
    TaskPublic,
)
from idp.app.deps import AssignerDep, BulkAssignerDep, SessionDep, SettingsDep, StaffDep
from idp.errors import InputRejected
from idp.models import SlaLevel, TaskKind
from idp.storage import audit, task_records, tasks
from queues import taskflow, taskqueue
from queues.clock import utcnow
from queues.review import resolve_task
from queues.taskguards import check_visible, visible_roles

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 404: {"model": ErrorBody},
    409: {"model": ErrorBody}, 422: {"model": ErrorBody},
}


def _public(session: SessionDep, task_id: str) -> TaskPublic:
    session.expire_all()
    return TaskPublic.of(tasks.to_model(tasks.get(session, task_id)))


@router.get("", response_model=TaskPage, responses=_ERRORS)
def list_tasks(
    session: SessionDep, reviewer: StaffDep,
    status: Annotated[str, Query(description=f"one of {', '.join(STATUS_FILTERS)}")] = "active",
    kind: TaskKind | None = None, level: SlaLevel | None = None, assignee: str | None = None,
    claimed_by: str | None = None, application_id: str | None = None, product: str | None = None,
    role: str | None = None, overdue: bool = False, q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskPage:
    """Tasks in urgency order (SLA level, priority, age), filtered; a person who does not watch the queue
    (team leads and supervisors do) sees only tasks their role may take. ``q`` searches borrower, ids."""
    if status not in STATUS_FILTERS:
        raise InputRejected(f"未知的任务状态: {status}", code="bad_status")
    flt = tasks.TaskFilter(status=status, kind=kind.value if kind else None, level=level, assignee=assignee,
                           claimed_by=claimed_by, application_id=application_id, product=product,
                           required_role=role, overdue_at=utcnow() if overdue else None,
                           roles=visible_roles(reviewer), search=(q or "").strip() or None)
    rows, count = tasks.list_tasks(session, flt, limit=limit, offset=offset)
    capped = (count or 0) > tasks.COUNT_CAP
    return TaskPage(data=[TaskPublic.of(tasks.to_model(r)) for r in rows], count=tasks.COUNT_CAP if capped
                    else count or 0, count_capped=capped, limit=limit, offset=offset)


@router.post("/next", response_model=TaskPublic, responses={**_ERRORS, 204: {"description": "queue empty"}})
def next_task(settings: SettingsDep, reviewer: StaffDep,
              body: NextRequest | None = None) -> TaskPublic | Response:
    """Claim the most urgent task this reviewer may take (204 when there is none)."""
    task = taskqueue.next_task(settings, reviewer, now=utcnow(),
                               kind=body.kind.value if body and body.kind else None)
    return TaskPublic.of(task) if task else Response(status_code=204)


@router.post("/reassign", response_model=ReassignResult, responses=_ERRORS)
def bulk_reassign(body: BulkReassignRequest, settings: SettingsDep, reviewer: BulkAssignerDep) -> ReassignResult:
    """Supervisors: hand many tasks to one person (closed or unsuitable ones are skipped)."""
    result = taskqueue.reassign(settings, body.task_ids, to=body.to, by=reviewer, now=utcnow(),
                                reason=body.reason)
    return ReassignResult.model_validate(result)


@router.get("/{task_id}", response_model=TaskDetail, responses=_ERRORS)
def get_task(task_id: str, session: SessionDep, reviewer: StaffDep) -> TaskDetail:
    """One task with its comments, four-eyes corrections, SLA level entries and 督办 records."""
    check_visible(tasks.get(session, task_id), reviewer)
    task = _public(session, task_id)
    return TaskDetail(
        **task.model_dump(),
        comments=[CommentPublic.model_validate(c, from_attributes=True)
                  for c in task_records.comments(session, task_id)],
        corrections=[CorrectionPublic.model_validate(c, from_attributes=True)
                     for c in task_records.corrections_for_task(session, task_id)],
        sla_events=[SlaEventPublic.model_validate(e, from_attributes=True)
                    for e in task_records.sla_events(session, task_id)],
        escalations=[EscalationPublic.model_validate(e, from_attributes=True)
                     for e in task_records.escalations(session, task_id)],
    )


@router.get("/{task_id}/history", response_model=list[HistoryEntry], responses=_ERRORS)
def task_history(task_id: str, session: SessionDep, reviewer: StaffDep) -> list[HistoryEntry]:
    """The task's audit trail, oldest first (append-only)."""
    check_visible(tasks.get(session, task_id), reviewer)
    return [HistoryEntry(at=e.at, actor=e.actor, action=e.action, detail=e.detail)
            for e in audit.for_task(session, task_id)]


@router.post("/{task_id}/claim", response_model=TaskPublic, responses=_ERRORS)
def claim(task_id: str, settings: SettingsDep, reviewer: StaffDep) -> TaskPublic:
    """Claim the task (or renew one's lease)."""
    return TaskPublic.of(taskqueue.claim(settings, task_id, reviewer, now=utcnow()))


@router.post("/{task_id}/release", response_model=TaskPublic, responses=_ERRORS)
def release(task_id: str, settings: SettingsDep, reviewer: StaffDep) -> TaskPublic:
    """Give a claimed task back to the queue."""
    return TaskPublic.of(taskqueue.release(settings, task_id, reviewer, now=utcnow()))


@router.post("/{task_id}/comment", response_model=CommentPublic, status_code=201, responses=_ERRORS)
def comment(task_id: str, body: CommentRequest, settings: SettingsDep,
            reviewer: StaffDep) -> CommentPublic:
    """Add a comment."""
    return CommentPublic.model_validate(taskflow.comment(settings, task_id, reviewer.name, body.body,
                                                         now=utcnow()))


@router.post("/{task_id}/resolve", response_model=TaskPublic, responses=_ERRORS)
def resolve(task_id: str, body: ResolveRequest, settings: SettingsDep, session: SessionDep,
            reviewer: StaffDep) -> TaskPublic:
    """Resolve with an outcome and reason code; money/tax-id corrections make it 待复核 (pending_approval)."""
    if body.corrections and body.outcome != "corrected":
        raise InputRejected("提交修正时处理结果须为 corrected", code="corrections_need_corrected")
    if body.outcome == "corrected" and not body.corrections:
        raise InputRejected("结果为 corrected 时必须提交修正的字段", code="corrections_missing")
    if body.outcome == "rejected" and not (body.comment or "").strip():
        raise InputRejected("驳回必须填写意见", code="comment_required")
    resolve_task(settings, task_id, reviewer=reviewer, outcome=body.outcome,
                 corrections=body.corrections or None,
                 comment=body.comment, reason_code=body.reason_code, now=utcnow())
    return _public(session, task_id)


@router.post("/{task_id}/reopen", response_model=TaskPublic, responses=_ERRORS)
def reopen(task_id: str, body: ReasonRequest, settings: SettingsDep, reviewer: StaffDep) -> TaskPublic:
    """Put a resolved task back in the queue (while its application is in review)."""
    return TaskPublic.of(taskflow.reopen(settings, task_id, reviewer.name, now=utcnow(), reason=body.reason))


@router.post("/{task_id}/wait-for-customer", response_model=TaskPublic, responses=_ERRORS)
def wait_for_customer(task_id: str, settings: SettingsDep, reviewer: StaffDep,
                      body: NoteRequest | None = None) -> TaskPublic:
    """补件: the SLA clock stops until resume."""
    note = body.note if body else None
    return TaskPublic.of(taskflow.wait_for_customer(settings, task_id, reviewer.name, now=utcnow(),
                                                    note=note))


@router.post("/{task_id}/resume", response_model=TaskPublic, responses=_ERRORS)
def resume(task_id: str, settings: SettingsDep, reviewer: StaffDep,
           body: NoteRequest | None = None) -> TaskPublic:
    """Back to the queue; the paused business time is added to the SLA."""
    return TaskPublic.of(taskflow.resume(settings, task_id, reviewer.name, now=utcnow(),
                                         note=body.note if body else None))


@router.post("/{task_id}/reassign", response_model=ReassignResult, responses=_ERRORS)
def reassign(task_id: str, body: ReassignRequest, settings: SettingsDep,
             reviewer: AssignerDep) -> ReassignResult:
    """Team leads and supervisors: hand this task to someone."""
    result = taskqueue.reassign(settings, [task_id], to=body.to, by=reviewer, now=utcnow(),
                                reason=body.reason)
    return ReassignResult.model_validate(result)
