"""Contract layout families as data: every family renders, its truth is self-consistent and leaves out what the
family does not print, family files reject unknown keys, and the same seed gives the same bytes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from idp.synth import contract
from idp.synth.contract_layout import render
from idp.synth.contract_layout.family import families, parse_family
from validators import amount_words, uscc

FAMILIES = sorted(families())


def test_at_least_ten_families_and_the_first_four_are_the_old_layouts():
    assert len(FAMILIES) >= 10
    assert set(contract.LAYOUTS) <= set(FAMILIES)


@pytest.mark.parametrize("name", FAMILIES)
def test_family_renders_and_its_truth_adds_up(name: str):
    fam = families()[name]
    for seed in range(3):
        c = contract.generate(name, seed)
        assert fam.items[0] <= len(c.items) <= fam.items[1]
        assert sum((i.amount for i in c.items), Decimal(0)) == c.total == c.printed_total
        assert all(abs(i.quantity * i.price - i.amount) <= Decimal("0.005") for i in c.items)
        assert amount_words.parse(c.words) == c.total
        assert uscc.is_valid(c.buyer.party.tax_id) and uscc.is_valid(c.seller.party.tax_id)
        truth = c.truth("x.pdf", form="scan")
        assert truth["family"] == name and truth["form"] == "scan"
        assert (truth["total_in_words"] is None) == (
            fam.total_row not in ("words", "words_figures", "two_rows") and "{words}" not in fam.total_phrase
        )
        printed = {"name", *fam.party_labels, *fam.sign_labels}
        assert all((truth["buyer"][k] is None) == (k not in printed) for k in truth["buyer"])
    assert render(contract.generate(name, 0)).startswith(b"%PDF")


def test_planted_errors_keep_their_meaning_in_every_family():
    for name in FAMILIES:
        c = contract.generate(name, 5, planted=("total_mismatch", "missing_seal"))
        assert c.printed_total != c.total and list(c.seals.values()).count(False) == 1


def test_family_file_with_an_unknown_key_is_refused():
    with pytest.raises(ValueError, match="未知键"):
        parse_family({"goods": {"colums": ["name", "amount"]}}, "typo")
    with pytest.raises(ValueError, match="numbering"):
        parse_family({"clauses": {"numbering": "第1条"}}, "bad")
    with pytest.raises(ValueError, match="name 与 amount"):
        parse_family({"goods": {"columns": ["name", "price"]}}, "no_amount")


def test_same_seed_same_bytes(tmp_path: Path):
    a = contract.write_sample(tmp_path / "a", "c", "gonghuo", 3)
    b = contract.write_sample(tmp_path / "b", "c", "gonghuo", 3)
    assert a.read_bytes() == b.read_bytes()


def test_write_set_names_files_by_form_and_family(tmp_path: Path):
    paths = contract.write_set(tmp_path, count=1, seed=7, forms=("text",), names=("chumai", "xiaoshou"))
    assert sorted(p.name for p in paths) == ["text_chumai_00.pdf", "text_xiaoshou_00.pdf"]
    assert all(p.with_name(p.name + ".truth.json").is_file() for p in paths)


def _delivery_text(name: str, seed: int = 0) -> str:
    from idp.synth.contract_layout import layout_flow

    c = contract.generate(name, seed)
    return "".join(op[3] for page in layout_flow(c).pages for op in page.ops if op[0] == "text")


def test_delivery_phrasings_print_the_date_the_truth_holds():
    """clause_dates puts signing, delivery and payment dates in one sentence; the truth is the delivery one."""
    for name in ("xiangmu_caigou", "jiaohuo_biaoqian", "xiangdui_jiaohuo", "qingdan_jiaohuoqi"):
        c = contract.generate(name, 1)
        truth = c.truth("x.pdf")
        assert truth["delivery_date"] == c.delivery_date.isoformat()
    assert _delivery_text("xiangmu_caigou").count("前") >= 2
    assert "交货日期：" in _delivery_text("jiaohuo_biaoqian")
    assert "日内（即" in _delivery_text("xiangdui_jiaohuo")


def test_other_codes_are_printed_before_the_number_and_differ_from_it():
    from idp.synth.contract_layout.parts import other_code

    c = contract.generate("xiangmu_caigou", 2)
    text = _delivery_text("xiangmu_caigou", 2)
    assert "项目编号" in text and "招标编号" in text
    assert other_code(c, "项目编号") not in (c.number, other_code(c, "招标编号"))


def test_delivery_column_needs_a_delivery_column():
    with pytest.raises(ValueError, match="delivery=column"):
        parse_family({"clauses": {"delivery": "column"}}, "no_column")
