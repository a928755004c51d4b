"""The statement generator: layout families are data files, every family renders, each seed's choices inside
a family are fixed, the truth holds only what is printed and its balances chain."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from idp.synth import statement
from idp.synth.statement.families import load_family


def test_at_least_eight_families_and_the_split_names_only_real_ones():
    assert len(statement.FAMILIES) >= 8
    assert set(statement.DEVELOPED) < set(statement.FAMILIES)
    assert set(statement.STYLES) <= set(statement.DEVELOPED)


def test_a_seed_fixes_the_choices_inside_a_family():
    assert load_family("boc", 3) == load_family("boc", 3)
    styles = {load_family("boc", seed).header_style for seed in range(20)}
    assert styles == {"inline", "stacked"}


def test_an_unknown_family_or_key_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown statement family"):
        load_family("nosuchbank")
    (tmp_path / "odd.toml").write_text(
        'bank = "某银行"\ntitle = "某银行流水"\n[table]\ncolumns = [{ key = "colour", label = "颜色", width = 40 }]\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="colour"):
        load_family("odd", directory=tmp_path)


@pytest.mark.parametrize("family", statement.FAMILIES)
def test_every_family_renders_and_its_truth_chains(family: str, tmp_path: Path):
    path = statement.write_sample(tmp_path, family, family, 11, months=2, per_month=18)
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    assert path.read_bytes().startswith(b"%PDF") and truth["family"] == family
    balance = Decimal(truth["opening_balance"])
    for row in truth["transactions"]:
        balance += Decimal(row["amount"])
        assert Decimal(row["balance"]) == balance
    assert Decimal(truth["closing_balance"]) == balance
    fam = load_family(family, 11)
    assert (truth["period_start"] is None) == (not fam.prints_period)
    assert all((row["time"] is None) == (not fam.prints_time) for row in truth["transactions"])
    assert (truth["account_number"] is None) == (fam.account_style == "masked")


def test_families_differ_in_what_a_reader_must_cope_with():
    fams = [load_family(f, 1) for f in statement.FAMILIES]
    assert {f.amounts for f in fams} == {"debit_credit", "signed", "flag", "mark"}  # every amount style is used
    assert {f.period.get("style", "none") for f in fams} >= {"range", "split", "none"}
    assert any(f.newest_first for f in fams) and any(not f.repeat_table_header for f in fams)
    assert any(f.page_subtotals[0] for f in fams) and any(f.carry_rows[0] for f in fams)
    assert {f.holder for f in fams} == {"company", "person"}
    assert len({f.date_format for f in fams}) >= 5


def test_synth_statements_cli_writes_every_family_and_form(tmp_path: Path):
    from typer.testing import CliRunner

    from idp.app.cli import app

    result = CliRunner().invoke(
        app, ["synth", "statements", str(tmp_path), "--count", "1", "--forms", "text", "--families", "cmb,nbcb"]
    )
    assert result.exit_code == 0, result.output
    truths = sorted(p.name for p in tmp_path.glob("*.truth.json"))
    assert truths == ["text_cmb_00.pdf.truth.json", "text_nbcb_00.pdf.truth.json"]
    bad = CliRunner().invoke(app, ["synth", "statements", str(tmp_path), "--families", "nosuchbank"])
    assert bad.exit_code != 0 and "nosuchbank" in bad.output
