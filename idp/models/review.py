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
    OPEN = "open"  #: in the queue
    CLAIMED = "claimed"  #: someone holds a lease on it
    WAITING_CUSTOMER = "waiting_customer"  #: 补件: the SLA clock is paused
    AWAITING_VERIFICATION = "awaiting_verification"  #: an outside check is pending: the clock is paused
    PENDING_APPROVAL = "pending_approval"  #: 待复核: a four-eyes correction waits for a second reviewer
    RESOLVED = "resolved"
    CANCELLED = "cancelled"


TASK_STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.OPEN: "待处理", TaskStatus.CLAIMED: "处理中", TaskStatus.WAITING_CUSTOMER: "等待客户补件",
    TaskStatus.AWAITING_VERIFICATION: "等待查验", TaskStatus.PENDING_APPROVAL: "待复核",
    TaskStatus.RESOLVED: "已处理", TaskStatus.CANCELLED: "已取消",
}


class TaskPriority(IntEnum):
    """Lower is more urgent (P1 = 红 hard stop)."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4


#: Resolution outcomes a reviewer can choose.
OUTCOMES: dict[str, str] = {"accepted": "通过", "corrected": "修正后通过", "rejected": "驳回"}
#: Reason codes a resolution may carry (what the reviewer found).
RESOLUTION_CODES: dict[str, str] = {
    "verified_ok": "核对无误",
    "ocr_error": "识别错误已更正",
    "unclear_original": "原件不清晰",
    "customer_supplied": "客户已补件",
    "mismatch": "信息不一致",
    "suspected_fraud": "疑似伪造或作废",
    "duplicate": "重复提交",
    "other": "其他",
}


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
    product: str | None = None
    required_role: str = "reviewer"
    required_skill: str | None = None
    claimed_by: str | None = None
    lease_expires_at: datetime | None = None
    first_touched_at: datetime | None = None
    sla_policy: str | None = None
    sla_started_at: datetime | None = None
    sla_level: str = "none"
    sla_paused_at: datetime | None = None
    sla_paused_s: float = 0.0
    sla_calendar: str | None = None
    escalation_level: int = 0
    outcome: str | None = None
    reason_code: str | None = None
