"""Foreign statements: every bank family renders, balances run, the period covers the rows, plants show."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from idp.synth.foreign import fmt, statement_model, statement_pdf
from idp.synth.foreign.family import statement_families, statement_family

FAMILIES = statement_families()


def _pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r", "") for page in doc]
    finally:
        doc.close()


def _chain_breaks(truth: dict) -> list[int]:
    balance = Decimal(truth["opening_balance"])
    breaks = []
    for i, row in enumerate(truth["transactions"]):
        balance += Decimal(row["amount"])
        if Decimal(row["balance"]) != balance:
            breaks.append(i)
            balance = Decimal(row["balance"])
    return breaks


def test_at_least_six_families_with_distinct_labels_and_both_account_kinds() -> None:
    assert len(FAMILIES) >= 6
    for a, b in itertools.combinations(FAMILIES, 2):
        assert a.label_set() != b.label_set(), (a.name, b.name)
    assert {f.personal for f in FAMILIES} == {True, False} and {f.newest_first for f in FAMILIES} == {True, False}


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.short)
def test_running_balance_holds_and_period_covers_the_rows(family) -> None:
    for seed in range(4):
        truth = statement_model.build(family, seed).truth("x.pdf", "text_pdf")
        assert _chain_breaks(truth) == []
        total = sum(Decimal(r["amount"]) for r in truth["transactions"])
        assert Decimal(truth["opening_balance"]) + total == Decimal(truth["closing_balance"])
        dates = [date.fromisoformat(r["date"]) for r in truth["transactions"]]
        start, end = date.fromisoformat(truth["period_start"]), date.fromisoformat(truth["period_end"])
        assert dates == sorted(dates) and start <= dates[0] and dates[-1] <= end
        assert all(Decimal(r["balance"]) >= 0 for r in truth["transactions"])


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.short)
def test_each_family_renders_its_header_columns_and_rows(family) -> None:
    s = statement_model.build(family, 21, months=2)
    pages = _pages(statement_pdf.render(s))
    text = "".join(pages)
    assert s.bank in text and s.holder in text and s.shown_account in text
    for _, label in family.columns:
        assert label in pages[0].replace("\n", "") or label in pages[-1].replace("\n", "")
    first, last = s.txns[0], s.txns[-1]
    top = pages[0]
    first_day, last_day = fmt.day(first.when.date(), family.date_style), fmt.day(last.when.date(), family.date_style)
    if first_day != last_day and last_day in top and first_day in top:
        assert (top.index(last_day) < top.index(first_day)) == family.newest_first
    assert len(pages) == len(statement_pdf.page_rows(s))


def test_balance_break_plant_breaks_the_chain_once() -> None:
    s = statement_model.build(FAMILIES[0], 3, planted=("balance_break",))
    truth = s.truth("x.pdf", "text_pdf")
    (k,) = s.printed_balance
    assert _chain_breaks(truth) == [k, k + 1]
    assert truth["planted_errors"] == ["statement.balance_continuity"]


def test_masked_account_goes_to_the_masked_truth_key() -> None:
    family = next(f for f in FAMILIES if f.mask_account)
    truth = statement_model.build(family, 1).truth("x.pdf", "text_pdf")
    assert "****" in truth["account_number_masked"] and "account_number" not in truth


def test_counterparty_and_currency_only_where_printed() -> None:
    bare = statement_family("rural-flag-no-counterparty-v1")
    row = statement_model.build(bare, 1).truth("x.pdf", "text_pdf")["transactions"][0]
    assert "counterparty_name" not in row and "time" not in row
    abc = statement_model.build(statement_family("abc-income-expense-v1"), 1).truth("x.pdf", "text_pdf")
    assert abc["currency"] is None and "time" in abc["transactions"][0]
    with pytest.raises(ValueError, match="unknown statement family"):
        statement_family("nope")


def test_same_seed_same_bytes() -> None:
    family = statement_family("bocom-dc-flag-v1")
    a, b = statement_model.build(family, 6, months=1), statement_model.build(family, 6, months=1)
    assert statement_pdf.render(a) == statement_pdf.render(b)
    assert a.truth("x.pdf", "text_pdf") == b.truth("x.pdf", "text_pdf")
