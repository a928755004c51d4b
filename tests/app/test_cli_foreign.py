"""``idp synth foreign contracts|statements|bundles`` through the main CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from idp.app.cli import app

runner = CliRunner()


def test_contracts_and_statements_are_written_with_foreign_truth(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "foreign", "contracts", str(tmp_path / "c"), "--count", "2", "--seed", "3",
                                 "--forms", "text"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["synth", "foreign", "statements", str(tmp_path / "s"), "--count", "1", "--forms",
                                 "text"])
    assert result.exit_code == 0, result.output
    truths = sorted((tmp_path / "c").glob("*.truth.json")) + sorted((tmp_path / "s").glob("*.truth.json"))
    assert len(truths) == 3
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in truths]
    assert {d["doc_type"] for d in docs} == {"purchase_contract", "bank_statement"}
    assert all(d["generator"] == "foreign" and d["synthetic"] is True and d["family"] for d in docs)


def test_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        result = runner.invoke(app, ["synth", "foreign", "contracts", str(tmp_path / sub), "--count", "1",
                                     "--forms", "text", "--seed", "8"])
        assert result.exit_code == 0, result.output
    (a,), (b,) = (list((tmp_path / s).glob("*.pdf")) for s in ("a", "b"))
    assert a.name == b.name and a.read_bytes() == b.read_bytes()


def test_bad_form_and_bad_kind_are_clear_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "foreign", "contracts", str(tmp_path), "--forms", "fax"])
    assert result.exit_code != 0 and "unknown forms" in result.output
    result = runner.invoke(app, ["synth", "foreign", "bundles", str(tmp_path), "--kinds", "nope"])
    assert result.exit_code != 0 and "unknown kinds" in result.output
