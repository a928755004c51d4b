"""驾驶舱 actions: a team lead or supervisor hands a task to someone (转派) or puts it back in the queue (释放)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from idp.app.auth.gates import WEB_ASSIGN
from idp.app.deps import SettingsDep
from idp.errors import InputRejected
from idp.models import Reviewer
from queues import taskqueue
from queues.clock import utcnow

router = APIRouter(prefix="/review/dashboard", tags=["review"], include_in_schema=False)
Assigner = Annotated[Reviewer, Depends(WEB_ASSIGN)]
_SKIPPED = {"closed": "任务已结束", "role_required": "对方角色不能处理该任务", "not_found": "未找到该任务"}


@router.post("/tasks/{task_id}/reassign")
async def reassign(task_id: str, request: Request, settings: SettingsDep, me: Assigner) -> Response:
    """转派: the task goes to the chosen person (their claim, if another held it, is released)."""
    form = await request.form()
    to = str(form.get("to") or "").strip()
    if not to:
        raise InputRejected("请选择转派对象 (no one chosen)", code="no_target")
    result = taskqueue.reassign(settings, [task_id], to=to, by=me, now=utcnow(),
                                reason=str(form.get("reason") or "").strip() or None)
    skipped = result["skipped"]
    if isinstance(skipped, dict) and task_id in skipped:
        raise InputRejected(f"未能转派:{_SKIPPED.get(str(skipped[task_id]), '无法转派')} (not reassigned)",
                            code="not_reassigned")
    return RedirectResponse("/review/dashboard?done=reassigned", status_code=303)


@router.post("/tasks/{task_id}/release")
def release(task_id: str, settings: SettingsDep, me: Assigner) -> Response:
    """释放: back to the queue, whoever held it."""
    taskqueue.release(settings, task_id, me, now=utcnow())
    return RedirectResponse("/review/dashboard?done=released", status_code=303)
