"""Four-eyes corrections (双人复核): list them, and approve or reject another reviewer's correction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from idp.app.api.schemas import ErrorBody
from idp.app.api.task_schemas import CorrectionDecision, CorrectionPublic
from idp.app.deps import SessionDep, SettingsDep, StaffDep
from idp.errors import InputRejected
from idp.models import CorrectionStatus
from idp.storage import task_records
from queues.clock import utcnow
from queues.foureyes import approve_correction, reject_correction

router = APIRouter(prefix="/v1/corrections", tags=["corrections"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 404: {"model": ErrorBody},
    409: {"model": ErrorBody}, 422: {"model": ErrorBody},
}


@router.get("", response_model=list[CorrectionPublic], responses=_ERRORS)
def list_corrections(session: SessionDep, reviewer: StaffDep, status: str = "pending",
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[CorrectionPublic]:
    """Corrections by status (``pending`` by default, ``all`` for every one)."""
    if status != "all" and status not in {s.value for s in CorrectionStatus}:
        raise InputRejected(f"未知的修正状态: {status}", code="bad_status")
    wanted = None if status == "all" else CorrectionStatus(status)
    return [CorrectionPublic.model_validate(c, from_attributes=True)
            for c in task_records.list_corrections(session, status=wanted, limit=limit)]


@router.post("/{correction_id}/approve", response_model=CorrectionPublic, responses=_ERRORS)
def approve(correction_id: int, settings: SettingsDep, session: SessionDep, reviewer: StaffDep,
            body: CorrectionDecision | None = None) -> CorrectionPublic:
    """Approve another reviewer's correction (never one's own: 409)."""
    approve_correction(settings, correction_id, checker=reviewer, now=utcnow(),
                       comment=body.comment if body else None)
    session.expire_all()
    return CorrectionPublic.model_validate(task_records.get_correction(session, correction_id),
                                           from_attributes=True)


@router.post("/{correction_id}/reject", response_model=CorrectionPublic, responses=_ERRORS)
def reject(correction_id: int, body: CorrectionDecision, settings: SettingsDep, session: SessionDep,
           reviewer: StaffDep) -> CorrectionPublic:
    """Reject a correction with a reason; the task goes back to the queue."""
    reject_correction(settings, correction_id, checker=reviewer, now=utcnow(), comment=body.comment or "")
    session.expire_all()
    return CorrectionPublic.model_validate(task_records.get_correction(session, correction_id),
                                           from_attributes=True)
