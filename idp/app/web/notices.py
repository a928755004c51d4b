"""The one-line notices shown after an action (``?done=...``)."""

from __future__ import annotations

_NOTICES = {
    "accepted": "上一任务已处理:通过", "corrected": "上一任务已处理:修正后通过", "rejected": "上一任务已处理:驳回",
    "pending_approval": "上一任务已提交双人复核,等待另一位审核人复核金额/税号修正",
    "approved": "修正已复核通过", "rejected_correction": "修正已驳回,任务已退回队列",
    "empty": "当前没有您可领取的任务", "released": "任务已释放回队列", "reassigned": "任务已转派",
    "claimed": "已领取该任务",
}


def text(done: str | None) -> str | None:
    return _NOTICES.get(done or "")
