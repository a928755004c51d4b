"""Foreign bundles: clean deals are consistent and carry the traps; each planted kind is listed in expected."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from idp.synth.foreign.bundle_build import PLANTERS, invoice_file
from idp.synth.foreign.bundle_suite import KINDS, generate, write_suite


def test_clean_bundle_is_consistent_and_carries_traps() -> None:
    b = generate(7, traps=("brackets", "renamed"))
    d = b.deal
    assert sum(inv.total for inv in d.invoices) == d.contract.total
    paid: dict[int, Decimal] = defaultdict(Decimal)
    for k, p in d.payments:
        paid[k] += p.amount
        assert p in b.statement.txns
    assert all(paid[k] == inv.total for k, inv in enumerate(d.invoices))
    assert b.statement.start == d.start and b.statement.end == d.end and b.statement.txns[-1].when.date() == d.end
    assert all(inv.issue_date >= d.contract.sign_date for inv in d.invoices)
    assert b.expected({})["decision"] == "straight_through" and b.expected({})["inconsistencies"] == []
    traps = " ".join(d.traps)
    assert "分两笔" in traps and "最后一天" in traps and "（" in d.borrower.company.name
    assert "(" in d.borrower.company.shown and d.buyer.former_names == [d.buyer.company.shown]
    names = {c["name"] for c in b.authority()["companies"]}
    assert d.borrower.company.name in names and len(b.authority()["tax_invoices"]) == len(d.invoices)


@pytest.mark.parametrize("kind", sorted(PLANTERS))
def test_each_planted_kind_is_expected_with_its_documents(kind: str) -> None:
    b = generate(40, kind=kind)
    expected = b.expected({"contract": "contract.pdf", "statement": "statement.pdf"})
    assert expected["decision"] == "review"
    assert [i["kind"] for i in expected["inconsistencies"]] == [kind]
    documents = expected["inconsistencies"][0]["documents"]
    assert documents and all(d.endswith(".pdf") for d in documents)


def test_planted_values_differ_where_the_kind_says() -> None:
    assert generate(41, kind="invoice_not_found").authority()["tax_invoices"].__len__() == \
        len(generate(41, kind="invoice_not_found").deal.invoices) - 1
    short = generate(42, kind="statement_period_short")
    assert short.statement.start > short.deal.start
    late = generate(43, kind="invoice_before_contract").deal
    assert late.invoices[0].issue_date < late.contract.sign_date
    words = generate(44, kind="amount_words_mismatch").deal.contract
    assert words.truth("c.pdf", "text_pdf")["planted_errors"] == ["contract.amount_words"]


def test_suite_writes_clean_then_planted_with_the_duplicate_after_its_source(tmp_path: Path) -> None:
    paths = write_suite(tmp_path, count=1, seed=2, kinds=("seal_missing", "duplicate_invoice"))
    assert [p.name for p in paths] == ["000-clean", "001-seal_missing", "002-duplicate_invoice"]
    for p in paths:
        assert {"application.json", "authority.json", "expected.json", "contract.pdf", "statement.pdf"} <= {
            f.name for f in p.iterdir()}
    dup = json.loads((paths[2] / "expected.json").read_text(encoding="utf-8"))
    assert [i["kind"] for i in dup["inconsistencies"]] == ["duplicate_invoice"]
    assert not (paths[2] / invoice_file(1)).exists()
    assert (paths[2] / "inv_1.pdf").read_bytes() == (paths[0] / "inv_1.pdf").read_bytes()
    apps = [json.loads((p / "application.json").read_text(encoding="utf-8"))["application_id"] for p in paths]
    assert len(set(apps)) == 3
    with pytest.raises(ValueError, match="unknown kinds"):
        write_suite(tmp_path, count=1, kinds=("nope",))
    assert "duplicate_invoice" in KINDS and len(KINDS) == 16
