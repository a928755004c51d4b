"""Invoice layout families as data: every family draws, names itself in the truth, and keeps the plain kinds
byte-identical."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from idp.synth.invoice_families import DEVELOPED, FAMILIES, family_invoice, family_truth
from idp.synth.invoice_set import FORMS, write_family_set
from idp.synth.vat_invoice import generate


def test_every_family_has_kinds_forms_and_the_developed_split_names_real_families():
    assert len(FAMILIES) >= 10
    assert set(DEVELOPED) < set(FAMILIES)  # some families are held out
    for family in FAMILIES.values():
        assert family.kinds and family.forms and set(family.forms) <= set(FORMS)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_a_family_invoice_adds_up_and_names_its_family(name: str):
    family = FAMILIES[name]
    invoice = family_invoice(family, family.kinds[0], 17)
    truth = family_truth(invoice, "x.pdf")
    assert truth["family"] == name
    assert sum((i.amount for i in invoice.items), Decimal(0)) == invoice.amount
    assert invoice.amount + invoice.tax == invoice.total
    assert family_invoice(family, family.kinds[0], 17) == invoice  # deterministic by seed


def test_family_variation_leaves_the_plain_kind_untouched():
    plain = generate("32", 303)
    varied = family_invoice(FAMILIES["lvke"], "32", 303)
    assert generate("32", 303) == plain
    assert varied.number == plain.number and varied.items != plain.items
    assert "family" not in plain.truth("x.pdf")


def test_ride_hailing_and_tax_free_items_are_what_those_layouts_print():
    lvke = family_invoice(FAMILIES["lvke"], "32", 5)
    assert all(i.name == "*运输服务*客运服务费" and i.tax_rate == "3%" for i in lvke.items)
    free = family_truth(family_invoice(FAMILIES["tax_free"], "10", 5), "x.pdf")
    assert free["tax_amount"] == "0.00"
    assert all(i["tax_rate"] == "免税" and i["tax"] is None for i in free["line_items"])  # type: ignore[union-attr]
    discount = family_invoice(FAMILIES["discount"], "10", 5)
    assert any(i.amount < 0 and i.quantity is None and i.price is None for i in discount.items)


def test_a_family_set_writes_each_family_in_its_forms(tmp_path: Path):
    paths = write_family_set(tmp_path, count=1, seed=3, families=["shudian_ofd", "goods_list"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == [
        "goods_list/pdf_10_003000.pdf", "shudian_ofd/pdf_31_003000.pdf",
    ]
    for path in paths:
        truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
        assert truth["family"] == path.parent.name and truth["form"] == "text_pdf"
    with pytest.raises(ValueError, match="unknown family"):
        write_family_set(tmp_path, count=1, families=["nope"])
