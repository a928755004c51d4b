"""Scoring one extracted document against its truth: a registry of scorers keyed by the truth's ``doc_type``.

A scorer is ``Scorer = Callable[[dict, ExtractedDocument], list[FieldResult]]``: it receives the truth JSON
and the extraction and returns one :class:`FieldResult` per scored value (keys the truth leaves out or sets
to null are not scored). ``group`` says which part of the document a field belongs to ("header", "parties",
"totals", "items", "footer", ...) so reports can show accuracy per part. To add a document type, write a
scorer (see :mod:`idp.evaluation.score_invoice`) and add it to :data:`SCORERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from idp.models import ExtractedDocument, ExtractedField


@dataclass(frozen=True)
class FieldResult:
    """One scored value: expected and extracted (normalised, as strings), right or wrong, with confidence."""

    name: str
    expected: str | None
    got: str | None
    correct: bool
    confidence: float
    group: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Scorer = Callable[[dict[str, Any], ExtractedDocument], list[FieldResult]]
#: A normaliser: a raw value (from truth or extraction) → the comparable form, or None.
Normal = Callable[[object], object | None]


def compare(
    name: str,
    expected_raw: object,
    field: ExtractedField | None,
    normal: Normal,
    group: str,
) -> FieldResult | None:
    """Score one value; None when the truth does not give it (absent or null)."""
    if expected_raw is None:
        return None
    expected = normal(expected_raw)
    if expected is None:
        return None
    got = normal(field.value) if field is not None and field.value not in (None, "") else None
    return FieldResult(
        name=name,
        expected=str(expected),
        got=None if got is None else str(got),
        correct=got is not None and got == expected,
        confidence=field.confidence if field is not None and got is not None else 0.0,
        group=group,
    )


def _vat_invoice(truth: dict[str, Any], doc: ExtractedDocument) -> list[FieldResult]:
    from idp.evaluation.score_invoice import score_invoice

    return score_invoice(truth, doc)


def _purchase_contract(truth: dict[str, Any], doc: ExtractedDocument) -> list[FieldResult]:
    from idp.evaluation.score_contract import score_contract

    return score_contract(truth, doc)


def _bank_statement(truth: dict[str, Any], doc: ExtractedDocument) -> list[FieldResult]:
    from idp.evaluation.score_statement import score_statement

    return score_statement(truth, doc)


#: Scorers by truth ``doc_type``.
SCORERS: dict[str, Scorer] = {
    "vat_invoice": _vat_invoice,
    "purchase_contract": _purchase_contract,
    "bank_statement": _bank_statement,
}


def score(truth: dict[str, Any], doc: ExtractedDocument | None) -> list[FieldResult]:
    """Score ``doc`` with the scorer for the truth's ``doc_type``; a missing document scores all wrong.

    Raises KeyError for a doc_type without a scorer.
    """
    scorer = SCORERS[str(truth.get("doc_type"))]
    from idp.models import DocumentKind

    return scorer(truth, doc or ExtractedDocument(kind=DocumentKind.UNKNOWN, extractor="none"))
