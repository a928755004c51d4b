"""Application bundles: the same seed gives the same bundle, clean deals are consistent, and each planted kind
changes the deal in the way its expected.json says, naming documents the bundle has."""

from __future__ import annotations

import pytest

from idp.synth._bundle_deal import OTHER_GOODS, RELATED_GOODS
from idp.synth._bundle_plant import PLANTERS
from idp.synth.bundle import KINDS, Bundle, duplicate_of, generate
from idp.synth.bundle_suite import suite_plan
from validators.amount_words import to_words
from validators.company_name import matches_any, same_company

SEED = 4242


def _files(bundle: Bundle) -> set[str]:
    invoices = {f"inv_{k + 1}.pdf" for k in range(len(bundle.deal.invoices)) if k not in bundle.omitted}
    return {"contract.pdf", "statement.pdf", *invoices}


def test_same_seed_same_bundle_and_documents():
    from idp.synth.contract_layout import render

    a, b = generate(SEED), generate(SEED)
    assert a.application() == b.application()
    assert a.authority() == b.authority()
    assert a.expected() == b.expected()
    assert [(t.when, t.amount, t.balance) for t in a.deal.statement.txns] == [
        (t.when, t.amount, t.balance) for t in b.deal.statement.txns
    ]
    assert render(a.deal.contract) == render(b.deal.contract)
    assert generate(SEED + 1).application() != a.application()


def test_clean_deal_is_consistent_and_carries_the_traps():
    bundle = generate(SEED, traps=("brackets", "renamed"))
    deal = bundle.deal
    assert bundle.expected()["decision"] == "straight_through" and not bundle.planted
    contract = deal.contract
    assert sum(i.total for i in deal.invoices) <= contract.printed_total
    assert all(i.issue_date >= contract.sign_date for i in deal.invoices)
    assert contract.words in (
        to_words(contract.printed_total, yuan="元"),
        to_words(contract.printed_total, yuan="圆"),
    )
    goods = {i.name for i in contract.items}
    assert all(line.name.split("*")[-1] in goods for inv in deal.invoices for line in inv.items)
    # every invoice is paid in full by the buyer inside the statement period, one in two instalments
    end = deal.statement.period_end
    credits = [t for t in deal.statement.txns if t.counterparty_account == deal.buyer.account]
    assert sum(t.amount for t in credits) == sum(i.total for i in deal.invoices)
    assert any(t.when.date() == end for t in credits)
    assert any(p.kind == "instalments" for p in deal.payments)
    assert (deal.period[0], deal.period[1]) == (deal.statement.period_start, end)
    # names: typed with () on the invoice, registered with （）; the buyer documents its former name
    inv = deal.invoices[0]
    assert "(" in inv.seller.name and "（" in deal.seller.registered
    assert inv.seller.name != deal.seller.registered and same_company(inv.seller.name, deal.seller.registered)
    assert inv.buyer.name in deal.buyer.former_names and not same_company(
        inv.buyer.name, deal.buyer.registered
    )
    assert any("同一天" in t for t in deal.traps), deal.traps  # a page break inside one day
    authority = bundle.authority()
    assert {i["invoice_number"] for i in authority["tax_invoices"]} == {i.number for i in deal.invoices}
    assert all(i["status"] == "normal" for i in authority["tax_invoices"])
    assert {c["status"] for c in authority["companies"]} == {"存续"}


@pytest.mark.parametrize("kind", sorted(PLANTERS))
def test_each_planted_kind_is_what_expected_json_says(kind: str):
    bundle = generate(SEED, kind=kind, split_mid_day=False)
    clean = generate(SEED, split_mid_day=False, traps=(bundle.deal.seller.trap, bundle.deal.buyer.trap))
    expected = bundle.expected()
    assert expected["decision"] == "review"
    [item] = expected["inconsistencies"]
    assert item["kind"] == kind and item["note"]
    assert item["documents"] and set(item["documents"]) <= _files(bundle)
    deal, before = bundle.deal, clean.deal
    named = [int(d[4:-4]) - 1 for d in item["documents"] if d.startswith("inv_")]
    authority = bundle.authority()
    records = {r["invoice_number"]: r for r in authority["tax_invoices"]}
    companies = {c["tax_id"]: c for c in authority["companies"]}
    parties = {deal.contract.buyer.party.tax_id, deal.contract.seller.party.tax_id}
    if kind == "borrower_not_party":
        assert bundle.application()["borrower"]["tax_id"] not in parties
        assert deal.statement.holder.name == deal.applicant.registered
    elif kind == "invoice_party_mismatch":
        assert deal.invoices[named[0]].buyer.tax_id not in parties
    elif kind == "invoice_goods_mismatch":
        sold = {(i.name, i.unit) for i in deal.contract.items}
        lines = [(line.name.split("*")[-1], line.unit) for line in deal.invoices[named[0]].items]
        [(name, unit)] = [line for line in lines if line not in sold]  # exactly one line is other goods
        assert name in {g[0] for g in (*OTHER_GOODS, *RELATED_GOODS.values())}
        assert unit not in {u for _, u in sold} or name in {g[0] for g in OTHER_GOODS}
    elif kind == "invoice_exceeds_contract":
        assert sum(i.total for i in deal.invoices) > deal.contract.printed_total
    elif kind == "invoice_before_contract":
        assert deal.invoices[named[0]].issue_date < deal.contract.sign_date
    elif kind == "invoice_not_found":
        assert deal.invoices[named[0]].number not in records and len(records) == len(deal.invoices) - 1
    elif kind == "invoice_not_normal":
        assert records[deal.invoices[named[0]].number]["status"] in ("void", "red_flushed", "abnormal")
    elif kind == "invoice_authority_mismatch":
        inv = deal.invoices[named[0]]
        record = records[inv.number]
        assert (record["total_with_tax"], record["buyer_tax_id"], record["issue_date"]) != (
            str(inv.total),
            inv.buyer.tax_id,
            inv.issue_date.isoformat(),
        )
    elif kind == "company_not_active":
        assert companies[deal.buyer.uscc]["status"] != "存续"
    elif kind == "company_name_mismatch":
        record = companies[deal.buyer.uscc]
        printed = deal.contract.buyer.name
        assert not same_company(printed, record["name"]) and not matches_any(printed, record["former_names"])
    elif kind == "invoice_unpaid":
        assert all(p.invoice != named[0] for p in deal.payments)
    elif kind == "statement_balance_break":
        assert deal.statement.printed_amounts
    elif kind == "statement_period_short":
        assert deal.period[0] < deal.statement.period_start and deal.period[1] == deal.statement.period_end
    elif kind == "amount_words_mismatch":
        doc = deal.contract if item["documents"] == ["contract.pdf"] else deal.invoices[named[0]]
        total = doc.printed_total if doc is deal.contract else doc.total
        assert doc.words not in (to_words(total, yuan="元"), to_words(total, yuan="圆"))
    elif kind == "seal_missing":
        assert not all(deal.contract.seals.values())
    # everything not planted is as in the clean deal
    assert deal.seller.registered == before.seller.registered
    assert deal.contract.number == before.contract.number
    if kind not in ("company_name_mismatch", "company_not_active"):
        assert authority["companies"][:2] == clean.authority()["companies"][:2]
    if kind not in ("invoice_authority_mismatch", "invoice_not_found", "invoice_not_normal"):
        assert all(r["status"] == "normal" for r in records.values())


def test_duplicate_resubmits_the_first_invoice_of_an_earlier_bundle():
    source = generate(SEED, split_mid_day=False)
    again = duplicate_of(source, name="x", application_id="A-DUP-1")
    [item] = again.expected()["inconsistencies"]
    assert item["kind"] == "duplicate_invoice" and item["documents"] == ["inv_1.pdf"]
    assert again.deal.invoices[0].number == source.deal.invoices[0].number
    assert again.application()["application_id"] != source.application()["application_id"]
    assert _files(again) == {"contract.pdf", "statement.pdf", "inv_1.pdf"}


def test_suite_plan_holds_every_kind_after_the_clean_bundles():
    jobs = suite_plan(count=3, seed=2)
    assert [j.name for j in jobs] == sorted(j.name for j in jobs)
    assert [j.kind for j in jobs[:3]] == [None, None, None]
    assert {j.kind for j in jobs[3:]} == set(KINDS) and len(KINDS) == 16
    dup = next(j for j in jobs if j.kind == "duplicate_invoice")
    assert dup.source is not None and dup.source[0] == jobs[0].seed
    with pytest.raises(ValueError):
        suite_plan(count=0)
    with pytest.raises(ValueError):
        suite_plan(kinds=("no_such_kind",))
