"""Synthetic contracts and statements: byte-deterministic by seed, internally consistent, planted errors and
red flags as declared in the truth."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from idp.synth import contract, statement
from validators import amount_words, uscc


def test_same_seed_same_bytes(tmp_path: Path):
    a = contract.write_sample(tmp_path / "a", "c", "gongxu", 3)
    b = contract.write_sample(tmp_path / "b", "c", "gongxu", 3)
    assert a.read_bytes() == b.read_bytes()
    s1 = statement.write_sample(tmp_path / "a", "s", "ccb", 3)
    s2 = statement.write_sample(tmp_path / "b", "s", "ccb", 3)
    assert s1.read_bytes() == s2.read_bytes()
    assert s1.with_name("s.pdf.truth.json").read_bytes() == s2.with_name("s.pdf.truth.json").read_bytes()


@pytest.mark.parametrize("layout", contract.LAYOUTS)
def test_contracts_are_consistent(layout: str):
    for seed in range(4):
        c = contract.generate(layout, seed)
        assert sum((i.amount for i in c.items), Decimal(0)) == c.total == c.printed_total
        assert amount_words.parse(c.words) == c.total
        assert uscc.is_valid(c.buyer.party.tax_id) and uscc.is_valid(c.seller.party.tax_id)
        assert c.buyer.name != c.seller.name and c.sign_date < c.delivery_date < c.valid_until


def test_contract_planted_errors():
    c = contract.generate("jiayi", 1, planted=("total_mismatch", "amount_words_mismatch", "missing_seal"))
    assert c.printed_total != c.total and amount_words.parse(c.words) != c.printed_total
    assert list(c.seals.values()).count(False) == 1
    assert c.truth("x.pdf")["planted_errors"] == [
        "contract.items_total",
        "contract.amount_words",
        "contract.seal_missing",
    ]


@pytest.mark.parametrize("style", statement.STYLES)
def test_statements_chain(style: str):
    s = statement.generate(style, 5, months=3)
    balance = s.opening
    for t in s.txns:
        balance += t.amount
        assert t.balance == balance and t.balance >= 0
    assert s.closing == balance and s.txns == sorted(s.txns, key=lambda t: t.when)
    truth = s.truth("x.pdf")
    assert Decimal(truth["opening_balance"]) + sum(
        Decimal(t["amount"]) for t in truth["transactions"]
    ) == Decimal(truth["closing_balance"])


def test_statement_planted_errors_and_flags():
    broken = statement.generate("icbc", 2, planted=("balance_break",))
    assert len(broken.printed_amounts) == 1
    gap = statement.generate("ccb", 2, months=3, planted=("period_gap",))
    months = {(t.when.year, t.when.month) for t in gap.txns}
    assert len(months) == 2
    flagged = statement.generate("abc", 2, flags=tuple(statement.RED_FLAGS))
    assert any(t.counterparty_name == flagged.holder.name for t in flagged.txns)
    assert flagged.truth("x.pdf")["red_flags"] == list(statement.RED_FLAGS.values())


def test_long_statement_option_spans_thirty_pages(tmp_path: Path):
    from extractors.readers.pdf_text import page_count

    path = statement.write_sample(tmp_path, "long", "icbc", 7, months=9, per_month=100)
    assert page_count(path) >= 30
