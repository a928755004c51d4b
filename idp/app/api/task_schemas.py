"""Request and response models of the task, correction and metrics API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from idp.models import (
    SLA_LEVEL_LABELS,
    TASK_KIND_LABELS,
    TASK_STATUS_LABELS,
    ReviewTask,
    SlaLevel,
    TaskKind,
    TaskStatus,
)


class TaskPublic(ReviewTask):
    kind_label: str
    status_label: str
    sla_level_label: str

    @classmethod
    def of(cls, task: ReviewTask) -> TaskPublic:
        level = SlaLevel(task.sla_level) if task.sla_level in {v.value for v in SlaLevel} else SlaLevel.NONE
        return cls(**task.model_dump(), kind_label=TASK_KIND_LABELS.get(task.kind, task.kind.value),
                   status_label=TASK_STATUS_LABELS.get(task.status, task.status.value),
                   sla_level_label=SLA_LEVEL_LABELS[level])


class TaskPage(BaseModel):
    data: list[TaskPublic]
    count: int  #: matching tasks, up to ``count_capped``
    count_capped: bool = False  #: True when more than ``count`` tasks match (the count stops at 1,000)
    limit: int
    offset: int


class CommentPublic(BaseModel):
    id: int
    author: str
    body: str
    created_at: datetime


class CorrectionPublic(BaseModel):
    id: int
    task_id: str
    application_id: str
    document_id: str
    field: str
    old_value: str | None
    new_value: str | None
    maker: str
    reason: str | None
    made_at: datetime
    status: str
    required_role: str
    checker: str | None
    checked_at: datetime | None
    check_comment: str | None


class SlaEventPublic(BaseModel):
    level: str
    entered_at: datetime
    recorded_at: datetime
    calendar: str | None


class EscalationPublic(BaseModel):
    level: int
    sla_level: str
    role: str
    recipients: list[str]
    channel: str
    created_at: datetime
    deadline: datetime
    notice_id: int | None


class TaskDetail(TaskPublic):
    comments: list[CommentPublic]
    corrections: list[CorrectionPublic]
    sla_events: list[SlaEventPublic]
    escalations: list[EscalationPublic]


class HistoryEntry(BaseModel):
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


class NextRequest(BaseModel):
    kind: TaskKind | None = None


class ResolveRequest(BaseModel):
    outcome: Literal["accepted", "corrected", "rejected"]
    reason_code: str | None = Field(default=None, description="see idp.models.RESOLUTION_CODES")
    comment: str | None = Field(default=None, max_length=2000)
    corrections: dict[str, str | None] = Field(default_factory=dict, description="field name → new value")


class CommentRequest(BaseModel):
    body: str = Field(min_length=1, max_length=4000)


class NoteRequest(BaseModel):
    note: str | None = Field(default=None, max_length=2000)


class ReasonRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class ReassignRequest(BaseModel):
    to: str = Field(min_length=1, max_length=100)
    reason: str | None = Field(default=None, max_length=2000)


class BulkReassignRequest(ReassignRequest):
    task_ids: list[str] = Field(min_length=1, max_length=1000)


class ReassignResult(BaseModel):
    reassigned: list[str]
    skipped: dict[str, str]


class CorrectionDecision(BaseModel):
    comment: str | None = Field(default=None, max_length=2000)


#: Statuses accepted by the list filter ("active" = every status still waiting for people).
STATUS_FILTERS = ["active", *(s.value for s in TaskStatus)]
