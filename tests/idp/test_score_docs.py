"""The contract and statement scorers: registered by doc_type, a perfect extraction scores all right, one
wrong value costs exactly that value (and its row), rows are aligned whichever way they were printed."""

from __future__ import annotations

from typing import Any

from idp.evaluation.scoring import SCORERS, score
from idp.models import DocumentKind, ExtractedDocument, ExtractedField

TRUTH: dict[str, Any] = {
    "doc_type": "bank_statement",
    "bank": "招商银行",
    "account_number_masked": "6225 **** **** 7788",
    "opening_balance": "100.00",
    "transactions": [
        {"date": "2025-02-03", "description": "工资", "amount": "18000.00", "balance": "18100.00"},
        {"date": "2025-02-05", "description": "房租", "amount": "-6800.00", "balance": "11300.00"},
        {"date": "2025-02-06", "description": "利息", "amount": "1.5", "balance": "11301.50"},
    ],
}


def _doc(rows: list[dict[str, str]], **fields: str) -> ExtractedDocument:
    return ExtractedDocument(
        kind=DocumentKind.BANK_STATEMENT,
        extractor="t",
        fields={k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in fields.items()},
        items=[{k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in r.items()} for r in rows],
    )


def test_registered():
    assert {"purchase_contract", "bank_statement"} <= set(SCORERS)


def test_statement_perfect_wrong_and_reversed():
    rows = [dict(r) for r in TRUTH["transactions"]]
    fields = {"bank": "招商银行", "account_number": "6225********7788", "opening_balance": "100"}
    assert all(r.correct for r in score(TRUTH, _doc(rows, **fields)))
    assert all(r.correct for r in score(TRUTH, _doc(rows[::-1], **fields)))
    rows[1]["description"] = "房屋租金"
    wrong = [r.name for r in score(TRUTH, _doc(rows, **fields)) if not r.correct]
    assert wrong == ["transactions[1].description", "rows[1]"]
    missed = [r.name for r in score(TRUTH, _doc([rows[0], rows[2]], **fields)) if not r.correct]
    assert "rows[1]" in missed and "rows[0]" not in missed and "rows[2]" not in missed


def test_contract_scores_roles_and_seals():
    truth = {
        "doc_type": "purchase_contract",
        "contract_number": "HT-1",
        "buyer": {"name": "甲公司", "tax_id": None},
        "seller": {"name": "乙公司"},
        "total_amount": "10.00",
        "seals": {"buyer": True, "seller": False},
    }
    doc = ExtractedDocument(
        kind=DocumentKind.PURCHASE_CONTRACT,
        extractor="t",
        fields={
            k: ExtractedField(name=k, value=v, confidence=0.99)
            for k, v in {
                "contract_number": "HT-1",
                "buyer_name": "甲公司",
                "seller_name": "乙公司",
                "total_amount": "10",
                "seal_buyer": "true",
                "seal_seller": "true",
            }.items()
        },
    )
    results = score(truth, doc)
    assert [r.name for r in results if not r.correct] == ["seals.seller"]
    assert {r.group for r in results} == {"key"}
