"""Synthetic VAT invoices: byte-deterministic by seed, consistent, with planted errors as declared."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

from idp.synth._parties import corrupt_check_digit, make_uscc
from idp.synth.vat_invoice import KINDS, PLANTED_ERRORS, generate, write_sample
from validators import amount_words, uscc

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "vat_invoice"


def test_same_seed_same_bytes(tmp_path: Path):
    a = write_sample(tmp_path / "a", "x", "31", 7)
    write_sample(tmp_path / "b", "other", "10", 8)  # another document in between must not change the next one
    b = write_sample(tmp_path / "b", "x", "31", 7)
    assert a.read_bytes() == b.read_bytes()
    assert a.with_name("x.pdf.truth.json").read_bytes() == b.with_name("x.pdf.truth.json").read_bytes()


def test_different_seeds_differ():
    assert generate("10", 1).truth("x.pdf") != generate("10", 2).truth("x.pdf")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(5))
def test_generated_data_is_consistent(kind: str, seed: int):
    inv = generate(kind, seed)
    assert inv.amount + inv.tax == inv.total
    assert sum(i.amount for i in inv.items) == inv.amount
    assert sum(i.tax for i in inv.items) == inv.tax
    assert amount_words.parse(inv.words) == inv.total
    assert uscc.is_valid(inv.seller.tax_id)
    assert inv.buyer.tax_id is None or uscc.is_valid(inv.buyer.tax_id)
    for item in inv.items:
        assert item.name.startswith("*") and item.name.count("*") == 2
        if item.quantity is not None:
            assert abs(Decimal(item.quantity) * Decimal(item.price) - item.amount) <= Decimal("0.01")
    if kind in ("31", "32"):
        assert inv.code is None and inv.check_code is None and len(inv.number) == 20
        assert inv.number[:2] == f"{inv.issue_date.year % 100:02d}"
    elif kind == "01":  # paper 专票: 10-digit code whose 8th digit says 专票, no check code
        assert len(inv.code) == 10 and inv.code[7] == "1" and inv.check_code is None and len(inv.number) == 8
    elif kind == "04":  # paper 普票: 12-digit code ending in 04, with a check code
        assert len(inv.code) == 12 and inv.code.endswith("04") and len(inv.check_code) == 20
    else:
        assert len(inv.code) == 12 and len(inv.number) == 8 and len(inv.check_code) == 20
        assert inv.code[10:12] == ("13" if kind == "08" else "11")
    fields = inv.qr_payload.split(",")
    assert fields[1] == kind and fields[3] == inv.number and fields[5] == f"{inv.issue_date:%Y%m%d}"
    assert Decimal(fields[4]) == (inv.total if kind in ("31", "32") else inv.amount)


def test_red_invoice_is_negative():
    inv = generate("32", 3, red=True)
    assert inv.total < 0 and all(i.amount < 0 and i.tax <= 0 for i in inv.items)
    assert amount_words.parse(inv.words) == inv.total


def test_planted_errors():
    words = generate("10", 9, planted=("amount_words_mismatch",))
    assert amount_words.parse(words.words) != words.total
    assert words.truth("x.pdf")["planted_errors"] == ["invoice.amount_words"]
    bad = generate("31", 9, planted=("bad_uscc_checksum",))
    assert not uscc.is_valid(bad.seller.tax_id) and len(bad.seller.tax_id) == 18
    assert bad.truth("x.pdf")["planted_errors"] == ["taxpayer_id.checksum"]
    assert set(PLANTED_ERRORS) == {"amount_words_mismatch", "bad_uscc_checksum"}
    with pytest.raises(ValueError):
        generate("10", 1, planted=("nonsense",))
    with pytest.raises(ValueError):
        generate("99", 1)


def test_uscc_helpers():
    import random

    rng = random.Random(1)
    number = make_uscc(rng, "440106")
    assert uscc.is_valid(number) and uscc.is_org_code_valid(number) and number[2:8] == "440106"
    assert not uscc.is_valid(corrupt_check_digit(number))


def test_committed_samples_are_up_to_date(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("samples_generate", REPO / "samples" / "generate.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    VAT_INVOICES = script.VAT_INVOICES  # noqa: N806 - the script's constant
    kinds = {kind for _, kind, *_ in VAT_INVOICES} | {kind for _, _, kind, *_ in script.VAT_INVOICE_IMAGES}
    assert kinds == set(KINDS)
    assert sum(1 for *_, planted, _ in VAT_INVOICES if planted) >= 2
    for name, kind, seed, planted, red in VAT_INVOICES:
        fresh = write_sample(tmp_path, name, kind, seed, planted=planted, red=red)
        committed = SAMPLES / f"{name}.pdf"
        assert committed.read_bytes() == fresh.read_bytes(), name
        truth = json.loads(committed.with_name(committed.name + ".truth.json").read_text(encoding="utf-8"))
        expected = [PLANTED_ERRORS[p] for p in planted] + (["invoice.red_letter"] if red else [])
        assert truth["planted_errors"] == expected
    for folder, name, kind, seed, form in script.VAT_INVOICE_IMAGES:
        committed = REPO / "samples" / folder / f"{name}.jpg"
        truth = json.loads(committed.with_name(committed.name + ".truth.json").read_text(encoding="utf-8"))
        assert truth == {**generate(kind, seed).truth(committed.name), "form": form}, name
        assert committed.stat().st_size <= 300_000, name
