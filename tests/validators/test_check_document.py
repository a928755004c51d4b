"""check_document runs every rule family: silent on clean invoices, exactly the planted rule ids otherwise."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.readers.pdf_text import read_pdf
from idp.models import DocumentKind, ExtractedDocument
from validators import RULE_FAMILIES, VALIDATORS, check_document, rule_ids

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPO / "samples" / "vat_invoice").glob("*.pdf"))
REAL = sorted((REPO / ".." / "shared" / "real" / "invoices").glob("*.pdf"))


def _findings(pdf: Path) -> tuple[list[str], dict]:
    truth = json.loads(pdf.with_name(pdf.name + ".truth.json").read_text(encoding="utf-8"))
    doc = VatInvoiceExtractor().extract(read_pdf(pdf))
    now = datetime.combine(date.fromisoformat(truth["issue_date"]), datetime.min.time()) + timedelta(days=30)
    return sorted(f.rule_id for f in check_document(doc, now=now)), truth


@pytest.mark.parametrize("pdf", SAMPLES, ids=lambda p: p.stem)
def test_samples_trip_exactly_their_planted_rules(pdf: Path):
    found, truth = _findings(pdf)
    assert found == sorted(truth["planted_errors"])


@pytest.mark.skipif(not REAL, reason="shared/real/invoices not present")
@pytest.mark.parametrize("pdf", REAL, ids=lambda p: p.stem[:40])
def test_real_invoices_are_clean(pdf: Path):
    assert _findings(pdf)[0] == []


def test_every_document_kind_has_its_rules():
    doc = ExtractedDocument(kind=DocumentKind.BANK_STATEMENT, extractor="x")
    assert [f.rule_id for f in check_document(doc, now=datetime(2025, 1, 1))] == ["statement.layout_unknown"]
    doc = ExtractedDocument(kind=DocumentKind.OTHER, extractor="x")
    assert check_document(doc, now=datetime(2025, 1, 1)) == []


def test_registries():
    ids = rule_ids()
    assert len(ids) == len(set(ids))
    assert {
        "invoice.total_sum",
        "invoice.amount_words",
        "taxpayer_id.checksum",
        "invoice.date_future",
    } <= set(ids)
    assert set(RULE_FAMILIES) == {DocumentKind.VAT_INVOICE, DocumentKind.PURCHASE_CONTRACT, DocumentKind.BANK_STATEMENT}
    assert {"contract.items_total", "contract.seal_missing", "statement.balance_continuity",
            "statement.period_gap", "statement.fast_in_out"} <= set(ids)
    for name, module in VALIDATORS.items():
        assert callable(module.is_valid) and callable(module.compact), name
