"""The decision policy: which fields must be present and confident, and which findings stop straight-through.

A wrong value must never pass straight through, so the default is strict: every required field present with
confidence at or above its threshold, and no finding of a blocking severity.

The policy is data: ``idp/policies/default.toml`` states these defaults, deployments add per client / product
files (see :mod:`queues.policies`). Besides the thresholds it says which rules block regardless of severity
(``blocking_rules``), where each exception goes (``routing``: task kind, priority, SLA) and the tolerances of
the cross-document checks (``cross_checks``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from idp.models import (
    DocumentKind,
    Finding,
    Reason,
    Severity,
    TaskKind,
    TaskPriority,
)

#: Header fields each kind needs before anything can rely on it (what the cross-checks and the decision use).
_REQUIRED: dict[DocumentKind, list[str]] = {
    DocumentKind.VAT_INVOICE: ["invoice_number", "issue_date", "buyer_name", "buyer_tax_id", "seller_name",
                               "seller_tax_id", "amount_without_tax", "tax_amount", "total_with_tax",
                               "total_in_words"],
    DocumentKind.PURCHASE_CONTRACT: ["sign_date", "buyer_name", "seller_name", "total_amount", "seal_buyer",
                                     "seal_seller"],
    DocumentKind.BANK_STATEMENT: ["account_holder"],
}

_T = TypeVar("_T")


#: Prefixes of the codes the decision gives itself (not validator findings): thresholds and
#: ``automatable_kinds`` govern those, so ``blocking_rules`` may not name them.
_OWN_CODES = ("field.", "document.", "policy.", "application.")

Confidence = Annotated[float, Field(ge=0, le=1)]


def rule_matches(key: str, code: str) -> bool:
    """A rule key is an exact rule id, or a family prefix ending in ``.`` (``"statement."``)."""
    return code == key or (key.endswith(".") and code.startswith(key))


def most_specific(table: dict[str, _T], code: str) -> list[_T]:
    """The entries of ``table`` matching ``code``, most specific first (exact id, then longer prefixes)."""
    keys = sorted((k for k in table if rule_matches(k, code)), key=lambda k: (k != code, -len(k)))
    return [table[k] for k in keys]


class CrossCheckParams(BaseModel):
    """Tolerances of cross-document checks (domain.md §6.1); part of the policy, so per client/product."""

    model_config = ConfigDict(extra="forbid")

    #: invoices may exceed the contract total by this share before it is a finding
    invoice_over_contract_tolerance: Decimal = Decimal("0")
    #: a payment may come this many days before / after its invoice date
    payment_window_days_before: int = 30
    payment_window_days_after: int = 90
    #: money difference still counted as the same payment
    payment_amount_tolerance: Decimal = Decimal("0.01")
    #: most payments summed to match one invoice (instalments)
    max_instalments: int = 4
    #: similarity (0..1) at which an invoice line's goods match a contract line
    goods_similarity: float = 0.5
    #: a unit read with less confidence than this neither matches nor contradicts a contract line's unit (a
    #: misread 吨 → 屯 is not other goods; its own low confidence sends it to a person)
    unsure_unit_below: float = Field(default=0.8, ge=0, le=1)


class Route(BaseModel):
    """Where the task for an exception goes; a part left out comes from the next, less specific route."""

    model_config = ConfigDict(extra="forbid")

    task_kind: TaskKind | None = None
    #: 1 (P1, most urgent) to 4; ``"P1"``..``"P4"`` are accepted too
    priority: TaskPriority | None = None
    #: name of an SLA policy (built-in or ``IDP_SLA_POLICIES``); None = the one for the task kind and product
    sla: str | None = None

    @field_validator("priority", mode="before")
    @classmethod
    def _priority_name(cls, value: object) -> object:
        if isinstance(value, str) and value[:1] in ("P", "p") and value[1:].isdigit():
            return int(value[1:])
        return value


class Routing(BaseModel):
    """Task kind, priority and SLA per exception: by rule id or prefix, then severity, then the default."""

    model_config = ConfigDict(extra="forbid")

    rules: dict[str, Route] = Field(default_factory=lambda: {
        "document.processing_failed": Route(task_kind=TaskKind.PROCESSING_FAILED),
        "document.unclassified": Route(task_kind=TaskKind.UNCLASSIFIED),
        # the documents disagree with each other or with the registry: a cross-check, not a field fix
        "cross.": Route(task_kind=TaskKind.CROSS_CHECK),
        "invoice.duplicate": Route(task_kind=TaskKind.CROSS_CHECK, priority=TaskPriority.P2),
        # the tax authority contradicts the invoice: a 红 hard stop for a risk officer
        "authority.invoice_not_found": Route(task_kind=TaskKind.VERIFICATION_FAILED, priority=TaskPriority.P1),
        "authority.invoice_not_normal": Route(task_kind=TaskKind.VERIFICATION_FAILED, priority=TaskPriority.P1),
        "authority.invoice_authority_mismatch": Route(task_kind=TaskKind.VERIFICATION_FAILED,
                                                      priority=TaskPriority.P1),
        # nobody could ask the authority: a person checks on its site
        "authority.verification_unavailable": Route(task_kind=TaskKind.VERIFICATION_UNAVAILABLE,
                                                    priority=TaskPriority.P2),
    })
    severity: dict[Severity, Route] = Field(default_factory=lambda: {
        Severity.ERROR: Route(priority=TaskPriority.P2),
        Severity.WARNING: Route(priority=TaskPriority.P3),
        Severity.INFO: Route(priority=TaskPriority.P3),
    })
    default: Route = Field(default_factory=lambda: Route(task_kind=TaskKind.FIELD_REVIEW,
                                                         priority=TaskPriority.P3))

    def route(self, code: str, severity: str | None) -> Route:
        """The resolved route of one reason: each part from the most specific route that sets it."""
        chain = most_specific(self.rules, code)
        chain += [r for level, r in self.severity.items() if level.value == severity] + [self.default]
        kind = next((r.task_kind for r in chain if r.task_kind is not None), TaskKind.FIELD_REVIEW)
        priority = next((r.priority for r in chain if r.priority is not None), TaskPriority.P3)
        return Route(task_kind=kind, priority=priority, sla=next((r.sla for r in chain if r.sla), None))


class DecisionPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The version a decision records; loaded files add ``@`` and a hash of the content.
    version: str = Field(default="default-4", min_length=1, max_length=60)
    required_fields: dict[DocumentKind, list[str]] = Field(
        default_factory=lambda: {kind: list(names) for kind, names in _REQUIRED.items()}
    )
    #: Calibrated on the evaluation sets (``idp eval``): no wrong value at or above it.
    default_threshold: Confidence = 0.95
    field_thresholds: dict[str, Confidence] = Field(default_factory=dict)
    #: Every extracted value (not only the required ones, line items included) must reach its threshold:
    #: a wrong value anywhere must not pass straight through. Free text the decision does not use (the
    #: schema's ``informational`` fields: clauses, addresses, clerks' names) is kept and shown, and gates only
    #: when ``gated_fields`` names it.
    check_all_fields: bool = True
    #: Free-text fields that gate all the same (field names, or ``items.<column>``).
    gated_fields: list[str] = Field(default_factory=list)
    #: A gating value read by OCR alone (no QR code, embedded data, arithmetic, authority, registry or other
    #: document confirms it) may not pass straight through, whatever the OCR engine's score.
    ocr_needs_confirmation: bool = True
    #: Kinds whose values are found among candidates on free layouts (contracts, statements): every value
    #: the decision rests on (the schema's ``decisive`` fields: parties, totals, balances, the period) passes
    #: only when an independent source confirmed it (arithmetic, the registry, another document, the
    #: application), whatever the reader's confidence. Marks (seals) are presence flags and exempt.
    confirm_decisive: set[DocumentKind] = Field(default_factory=lambda: {
        DocumentKind.PURCHASE_CONTRACT, DocumentKind.BANK_STATEMENT})
    #: Threshold of line-item fields (``items[i].<key>``); None = ``default_threshold``.
    item_threshold: Confidence | None = None
    blocking_severities: set[Severity] = Field(default_factory=lambda: {Severity.ERROR, Severity.WARNING})
    #: Per-rule overrides of ``blocking_severities``: rule id or prefix (``"statement."``) → blocks or not.
    blocking_rules: dict[str, bool] = Field(default_factory=dict)
    #: Document kinds that may pass without a person (others always go to review).
    automatable_kinds: set[DocumentKind] = Field(default_factory=lambda: {
        DocumentKind.VAT_INVOICE, DocumentKind.PURCHASE_CONTRACT, DocumentKind.BANK_STATEMENT})
    #: A statement row's amount (收入/支出/发生额) gates straight-through even where the decision does not take
    #: the row as an invoice's payment. False: such an amount, which no rule uses (a first row's, when no
    #: opening balance or total confirms it), is kept and shown; a row taken as a payment always gates.
    unmatched_amounts_gate: bool = False
    routing: Routing = Field(default_factory=Routing)
    cross_checks: CrossCheckParams = Field(default_factory=CrossCheckParams)

    @field_validator("blocking_rules")
    @classmethod
    def _findings_only(cls, value: dict[str, bool]) -> dict[str, bool]:
        own = sorted(k for k in value if not k or k.startswith(_OWN_CODES))
        if own:
            raise ValueError(f"{own}: 只能针对校验规则 (rule id 或以 '.' 结尾的前缀);决策本身的理由请用阈值或 "
                             "automatable_kinds 调整 (only validator rules can be made blocking/non-blocking)")
        return value

    @field_serializer("blocking_severities", "automatable_kinds", "confirm_decisive", when_used="json")
    def _sorted(self, value: set[StrEnum]) -> list[str]:
        return sorted(v.value for v in value)

    def threshold(self, field: str) -> float:
        return self.field_thresholds.get(field, self.default_threshold)

    def blocks(self, finding: Finding) -> bool:
        """Whether this finding stops straight-through: a per-rule override if any, else its severity."""
        for blocking in most_specific(self.blocking_rules, finding.rule_id):
            return blocking
        return finding.severity in self.blocking_severities

    def route(self, reason: Reason) -> Route:
        """Task kind, priority and SLA (None = by kind and product) of the task for this reason."""
        return self.routing.route(reason.code, reason.severity)
