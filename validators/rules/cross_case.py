"""All cross-document families over one case file, in a fixed order (stable output for reviewers).

Every cross family has the same surface: ``check(case, params) -> list[Finding]``."""

from __future__ import annotations

from idp.models import Finding
from idp.models.case import CaseFile
from idp.policy import CrossCheckParams
from validators.rules import cross_authority, cross_invoices, cross_parties, cross_payments

CROSS_FAMILIES = (cross_parties, cross_invoices, cross_payments, cross_authority)
RULE_IDS = tuple(r for fam in CROSS_FAMILIES for r in fam.RULE_IDS)


def check_case(case: CaseFile, params: CrossCheckParams | None = None) -> list[Finding]:
    params = params or CrossCheckParams()
    return [f for family in CROSS_FAMILIES for f in family.check(case, params)]
