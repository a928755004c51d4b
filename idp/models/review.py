"""Review tasks: whatever the system cannot settle, tracked until a person has done it."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum

from pydantic import BaseModel, Field

from idp.models.decision import Reason


class TaskKind(StrEnum):
    FIELD_REVIEW = "field_review"
    CROSS_CHECK = "cross_check"
    VERIFICATION_FAILED = "verification_failed"
    VERIFICATION_UNAVAILABLE = "verification_unavailable"
    PROCESSING_FAILED = "processing_failed"
    UNCLASSIFIED = "unclassified"


TASK_KIND_LABELS: dict[TaskKind, str] = {
    TaskKind.FIELD_REVIEW: "字段复核",
    TaskKind.CROSS_CHECK: "交叉核验异常",
    TaskKind.VERIFICATION_FAILED: "查验不通过",
    TaskKind.VERIFICATION_UNAVAILABLE: "查验服务不可用",
    TaskKind.PROCESSING_FAILED: "处理失败",
    TaskKind.UNCLASSIFIED: "无法分类",
}


class TaskStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    WAITING_CUSTOMER = "waiting_customer"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


class TaskPriority(IntEnum):
    """Lower is more urgent (P1 = 红 hard stop)."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4


class ReviewTask(BaseModel):
    id: str
    application_id: str
    document_id: str | None = None
    kind: TaskKind
    priority: TaskPriority = TaskPriority.P3
    status: TaskStatus = TaskStatus.OPEN
    sla_due_at: datetime
    reasons: list[Reason] = Field(default_factory=list)
    assignee: str | None = None
    resolution: dict[str, object] | None = None
    created_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
