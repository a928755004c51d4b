"""Extractors: plugins turning page text into fields, registered by name; :func:`pick` picks by score."""

from __future__ import annotations

from extractors.contract import PurchaseContractExtractor
from extractors.invoice import VatInvoiceExtractor
from extractors.statement import BankStatementExtractor
from idp.models import PageText
from idp.ports import Extractor

#: Registered extractors by name (explicit, no discovery).
EXTRACTORS: dict[str, Extractor] = {
    VatInvoiceExtractor.name: VatInvoiceExtractor(),
    BankStatementExtractor.name: BankStatementExtractor(),
    PurchaseContractExtractor.name: PurchaseContractExtractor(),
}


def pick(pages: list[PageText]) -> Extractor | None:
    """The extractor with the highest score for these pages; None if every extractor declines."""
    best: Extractor | None = None
    best_score = 0
    for extractor in EXTRACTORS.values():
        score = extractor.score(pages)
        if score is not None and (best is None or score > best_score):
            best, best_score = extractor, score
    return best
