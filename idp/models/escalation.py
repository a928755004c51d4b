"""督办 (escalation): entering 橙 notifies the team lead, entering 红 the supervisor, each with a deadline."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from idp.models.review import TASK_KIND_LABELS
from idp.models.sla import SlaLevel
from idp.models.staff import ROLE_LABELS, Role

#: SLA level → (escalation level, role notified).
ESCALATIONS: dict[SlaLevel, tuple[int, Role]] = {
    SlaLevel.ORANGE: (1, Role.TEAM_LEAD),
    SlaLevel.RED: (2, Role.SUPERVISOR),
}
_KIND_LABELS = {kind.value: label for kind, label in TASK_KIND_LABELS.items()}
#: Tasks listed one by one in a notice (the rest are counted).
NOTICE_LIST_LIMIT = 50


class NoticeTask(BaseModel):
    id: str
    kind: str
    application_id: str
    due_at: datetime
    deadline: datetime


class EscalationNotice(BaseModel):
    """One notice per role and level per sweep, listing the tasks that were escalated."""

    level: int
    sla_level: SlaLevel
    role: Role
    recipients: list[str]
    at: datetime
    total: int
    tasks: list[NoticeTask] = Field(default_factory=list)

    def subject(self) -> str:
        return f"【督办】{self.total} 个审核任务进入{self.sla_level.label}色预警"

    def body(self) -> str:
        lines = [f"{ROLE_LABELS[self.role]}:", "",
                 f"以下 {self.total} 个任务已进入{self.sla_level.label}色预警(督办级别 {self.level}),请督促处理。", ""]
        for t in self.tasks:
            kind = _KIND_LABELS.get(t.kind, t.kind)
            lines.append(f"- 任务 {t.id}({kind},申请 {t.application_id}):SLA 到期 {t.due_at:%Y-%m-%d %H:%M} UTC,"
                         f"督办期限 {t.deadline:%Y-%m-%d %H:%M} UTC")
        if self.total > len(self.tasks):
            lines.append(f"…… 另有 {self.total - len(self.tasks)} 个任务")
        return "\n".join(lines)
