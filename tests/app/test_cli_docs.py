"""``idp synth docs``, ``idp eval checks`` and ``idp bench statement`` through the main CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from idp.app.cli import app

runner = CliRunner()


def test_synth_then_checks_catch_every_planted_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "docs", str(tmp_path), "--contracts", "1", "--statements", "1", "--conditions", "text"]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "planted").glob("*.truth.json"))) == 11
    result = runner.invoke(app, ["eval", "checks", str(tmp_path), "--json", str(tmp_path / "checks.json")])
    assert result.exit_code == 0, result.output
    assert "planted errors/flags caught: 11/11; files with false alarms: 0/13" in result.output


def test_bench_statement_reports_pages_and_rows() -> None:
    result = runner.invoke(
        app, ["bench", "statement", "--pages", "4", "--repeat", "1", "--no-one-core", "--limit-s", "60"]
    )
    assert result.exit_code == 0, result.output
    assert "transactions (truth / read)" in result.output and "CPU s" in result.output
