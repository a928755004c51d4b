"""Four-eyes (双人复核): which manual corrections need a second reviewer, and the states of such a correction."""

from __future__ import annotations

from enum import StrEnum

from idp.models.schema import four_eyes

#: Fields of the application itself (not of a document) whose manual change needs a checker.
_APPLICATION_FIELDS = frozenset({"requested_amount", "borrower_uscc"})


class CorrectionStatus(StrEnum):
    PENDING = "pending"  #: waiting for a checker
    APPROVED = "approved"  #: applied to the document
    REJECTED = "rejected"  #: refused; the task went back to the queue
    WITHDRAWN = "withdrawn"  #: dropped because another correction of the same submission was rejected


CORRECTION_STATUS_LABELS: dict[CorrectionStatus, str] = {
    CorrectionStatus.PENDING: "待复核", CorrectionStatus.APPROVED: "已复核通过",
    CorrectionStatus.REJECTED: "复核驳回", CorrectionStatus.WITHDRAWN: "已撤回",
}


def needs_second_reviewer(field: str, kind: str | None = None) -> bool:
    """True where the document schema says a correction needs four eyes (amounts, ids, accounts, codes)."""
    return field in _APPLICATION_FIELDS or four_eyes(field, kind)
