"""Validators: stdnum-style modules per code (uscc, taxpayer_id, ...) and rule families in `validators.rules`.

:func:`check_document` runs every rule family that applies to a document's kind and returns the findings.
"""

from __future__ import annotations

from datetime import datetime
from types import ModuleType

from idp.models import DocumentKind, ExtractedDocument, Finding
from validators import amount_words, invoice_code, invoice_number, taxpayer_id, uscc
from validators.rules import (
    contract_arithmetic,
    contract_dates,
    contract_parties,
    invoice_arithmetic,
    invoice_dates,
    invoice_duplicate,
    invoice_identity,
    invoice_red_letter,
    invoice_sources,
    invoice_structure,
    statement_balance,
    statement_flags,
    statement_period,
)
from validators.rules.context import DEFAULT_MAX_AGE_DAYS, RuleContext
from validators.rules.invoice_duplicate import duplicate_finding, invoice_key

#: The stdnum-style modules (``compact``, ``validate``, ``is_valid``, ``format``), by name.
VALIDATORS: dict[str, ModuleType] = {
    "uscc": uscc,
    "taxpayer_id": taxpayer_id,
    "invoice_code": invoice_code,
    "invoice_number": invoice_number,
    "amount_words": amount_words,
}

#: Rule families by document kind; each module has ``check(doc, context) -> list[Finding]`` and ``RULE_IDS``.
RULE_FAMILIES: dict[DocumentKind, tuple[ModuleType, ...]] = {
    DocumentKind.VAT_INVOICE: (
        invoice_arithmetic,
        invoice_identity,
        invoice_dates,
        invoice_structure,
        invoice_sources,
        invoice_red_letter,
    ),
    DocumentKind.PURCHASE_CONTRACT: (contract_arithmetic, contract_parties, contract_dates),
    DocumentKind.BANK_STATEMENT: (statement_balance, statement_period, statement_flags),
}
#: Rule families that need data from outside the document (earlier applications), run by the queues layer.
EXTERNAL_RULE_FAMILIES: dict[DocumentKind, tuple[ModuleType, ...]] = {
    DocumentKind.VAT_INVOICE: (invoice_duplicate,),
}


def check_document(doc: ExtractedDocument, *, now: datetime,
                   max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Finding]:
    """Run every rule family that applies to ``doc.kind``, each as ``check(doc, context)``."""
    context = RuleContext(now=now, max_age_days=max_age_days)
    return [f for family in RULE_FAMILIES.get(doc.kind, ()) for f in family.check(doc, context)]


def validate_document(
    doc: ExtractedDocument, *, now: datetime, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> tuple[ExtractedDocument, list[Finding]]:
    """The findings, and ``doc`` with confidences that include the checks' outcomes (see ``confidence``)."""
    from validators.confirmation import calibrate

    findings = check_document(doc, now=now, max_age_days=max_age_days)
    return calibrate(doc, findings), findings


def rule_ids() -> list[str]:
    """Every rule id any family can emit (stable; used by the decision policy and tests)."""
    registries = (RULE_FAMILIES, EXTERNAL_RULE_FAMILIES)
    return [rule for r in registries for families in r.values() for family in families for rule in family.RULE_IDS]


__all__ = ["EXTERNAL_RULE_FAMILIES", "RULE_FAMILIES", "VALIDATORS", "check_document", "duplicate_finding",
           "invoice_key", "rule_ids", "validate_document"]
