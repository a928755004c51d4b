"""Foreign contracts: every family renders its own labels, the truth is self-consistent, plants show."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from idp.synth.foreign import contract_model, contract_pdf, fmt
from idp.synth.foreign.family import contract_families, contract_family
from idp.synth.foreign.output import write_contract, write_contracts
from validators import uscc

FAMILIES = contract_families()


def _text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc).replace("\r", "")
    finally:
        doc.close()


def test_at_least_eight_families_and_no_two_share_a_label_set() -> None:
    assert len(FAMILIES) >= 8 and len({f.name for f in FAMILIES}) == len(FAMILIES)
    for a, b in itertools.combinations(FAMILIES, 2):
        assert a.label_set() != b.label_set(), (a.name, b.name)
        assert [c[1] for c in a.columns] != [c[1] for c in b.columns], (a.name, b.name)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.short)
def test_truth_is_self_consistent(family) -> None:
    for seed in range(6):
        c = contract_model.build(family, seed)
        truth = c.truth("x.pdf", "text_pdf")
        lines = sum(Decimal(x["amount"]) for x in truth["line_items"])
        assert lines == Decimal(truth["total_amount"]) == c.total
        assert fmt.words_value(truth["total_in_words"]) == c.total
        for x in truth["line_items"]:
            assert abs(Decimal(x["quantity"]) * Decimal(x["price"]) - Decimal(x["amount"])) <= Decimal("0.005")
        assert c.sign_date < c.delivery_date < c.valid_until
        assert truth["buyer"]["name"] != truth["seller"]["name"]
        for role in ("buyer", "seller"):
            tax_id = truth[role]["tax_id"]
            assert (tax_id is None) == (family.tax_id_absent == role)
            assert tax_id is None or uscc.is_valid(tax_id)
        assert truth["generator"] == "foreign" and truth["family"] == family.name and truth["planted_errors"] == []


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.short)
def test_each_family_renders_its_labels_and_values(family) -> None:
    c = contract_model.build(family, 11)
    text = _text(contract_pdf.render(c))
    assert c.number in text and c.seller.shown in text and c.buyer.shown in text
    assert c.words in text
    assert family.seller_role in text and family.buyer_role in text
    for _, label in family.columns:
        assert label in text.replace("\n", "")
    assert fmt.day(c.sign_date, family.date_style) in text


def test_same_seed_same_bytes_and_other_seed_other_values() -> None:
    family = FAMILIES[0]
    a, b = contract_model.build(family, 4), contract_model.build(family, 4)
    assert contract_pdf.render(a) == contract_pdf.render(b)
    assert contract_model.build(family, 5).number != a.number or contract_model.build(family, 5).total != a.total


def test_seller_may_be_jia_and_buyer_may_come_first() -> None:
    jia_seller = [f for f in FAMILIES if f.seller_role.startswith("甲方")]
    buyer_first = [f for f in FAMILIES if not f.seller_first]
    assert jia_seller and buyer_first
    truth = contract_model.build(jia_seller[0], 2).truth("x.pdf", "text_pdf")
    assert truth["seller"]["name"] == contract_model.build(jia_seller[0], 2).seller.name


def test_planted_errors_show_in_values_and_truth() -> None:
    c = contract_model.build(FAMILIES[1], 3, planted=("amount_words_mismatch", "seal_missing"))
    assert fmt.words_value(c.words) != c.total and c.seals["buyer"] is False
    assert c.truth("x.pdf", "text_pdf")["planted_errors"] == ["contract.amount_words", "contract.seal_missing"]
    with pytest.raises(ValueError, match="unknown planted"):
        contract_model.build(FAMILIES[1], 3, planted=("nonsense",))


def test_family_lookup_by_short_name_and_unknown_name() -> None:
    assert contract_family(FAMILIES[2].short) is FAMILIES[2]
    with pytest.raises(ValueError, match="unknown contract family"):
        contract_family("no-such-family")


def test_scan_form_is_an_image_pdf_with_truth(tmp_path: Path) -> None:
    c = contract_model.build(contract_family("compact-order-v1"), 1)
    path = write_contract(c, tmp_path, "scan")
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    assert truth["form"] == "scan" and truth["file"] == path.name
    assert _text(path.read_bytes()).strip() == ""


def test_a_set_cycles_families_and_rejects_unknown_forms(tmp_path: Path) -> None:
    paths = write_contracts(tmp_path, count=2, seed=9, forms=["text"])
    families = {json.loads(p.with_name(p.name + ".truth.json").read_text(encoding="utf-8"))["family"] for p in paths}
    assert len(families) == 2
    with pytest.raises(ValueError, match="unknown forms"):
        write_contracts(tmp_path, count=1, forms=["fax"])


def test_a_long_goods_table_breaks_across_pages_with_its_header_repeated() -> None:
    family = contract_family("buyer-jia-side-by-side-v1")
    c = next(c for c in (contract_model.build(family, s) for s in range(20)) if len(c.lines) >= 16)
    doc = pdfium.PdfDocument(contract_pdf.render(c))
    pages = [p.get_textpage().get_text_range() for p in doc]
    first, last = (fmt.money(ln.amount, thousands=True) for ln in (c.lines[0], c.lines[-1]))
    assert first in pages[0] and last not in pages[0] and last in pages[1]
    assert "型号规格" in pages[1] and "第" not in family.footer and "- 2 -" in pages[1]
