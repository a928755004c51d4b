"""Four-eyes (双人复核): which manual corrections need a second reviewer, and the states of such a correction."""

from __future__ import annotations

from enum import StrEnum

#: Fields whose manual change always needs a checker (money, tax ids), besides the name patterns below.
_SENSITIVE_FIELDS = frozenset({
    "amount_without_tax", "tax_amount", "total_with_tax", "total_in_words", "buyer_tax_id", "seller_tax_id",
    "requested_amount", "borrower_uscc",
})
#: Name parts that mark a money field or an identifier of a taxpayer or an account.
_SENSITIVE_PARTS = ("amount", "total", "balance", "price", "tax_id", "uscc", "account")


class CorrectionStatus(StrEnum):
    PENDING = "pending"  #: waiting for a checker
    APPROVED = "approved"  #: applied to the document
    REJECTED = "rejected"  #: refused; the task went back to the queue
    WITHDRAWN = "withdrawn"  #: dropped because another correction of the same submission was rejected


CORRECTION_STATUS_LABELS: dict[CorrectionStatus, str] = {
    CorrectionStatus.PENDING: "待复核", CorrectionStatus.APPROVED: "已复核通过",
    CorrectionStatus.REJECTED: "复核驳回", CorrectionStatus.WITHDRAWN: "已撤回",
}


def needs_second_reviewer(field: str) -> bool:
    """True for a money field (amounts, totals) or a taxpayer/account identifier."""
    name = field.lower()
    return name in _SENSITIVE_FIELDS or any(part in name for part in _SENSITIVE_PARTS)
