"""``idp policy show`` and ``idp policy check`` through the main CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idp.app.cli import app
from idp.settings import reset_settings

runner = CliRunner()


@pytest.fixture
def policy_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("IDP_POLICY_DIR", str(tmp_path))
    monkeypatch.delenv("IDP_DEFAULT_FIELD_THRESHOLD", raising=False)
    reset_settings()
    yield tmp_path
    reset_settings()


def test_show_prints_the_policy_a_client_and_product_get(policy_dir: Path) -> None:
    (policy_dir / "acme.toml").write_text('version = "acme-1"\ndefault_threshold = 0.97\n', encoding="utf-8")
    (policy_dir / "acme.订单贷.toml").write_text('version = "acme.loan-2"\nextends = "acme"\n', encoding="utf-8")
    result = runner.invoke(app, ["policy", "show", "--client", "acme", "--product", "订单贷"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["version"].startswith("acme.loan-2@") and shown["policy"]["default_threshold"] == 0.97
    assert [Path(f).name for f in shown["files"]] == ["default.toml", "acme.toml", "acme.订单贷.toml"]
    default = json.loads(runner.invoke(app, ["policy", "show"]).output)
    assert default["version"].startswith("default-4@") and default["policy"]["default_threshold"] == 0.95


def test_check_accepts_a_good_file_and_names_the_keys_of_a_bad_one(policy_dir: Path) -> None:
    good = policy_dir / "acme.toml"
    good.write_text('version = "acme-1"\n[blocking_rules]\n"statement.round_amounts" = false\n',
                    encoding="utf-8")
    result = runner.invoke(app, ["policy", "check", str(good)])
    assert result.exit_code == 0, result.output
    assert "有效 (valid)" in result.output and "acme-1@" in result.output
    bad = policy_dir / "bad.toml"
    bad.write_text('version = "bad-1"\ndefault_threshold = 2\n[routing.default]\nsla = "nope"\n'
                   '[cross_checks]\nmax_instalment = 3\n', encoding="utf-8")
    result = runner.invoke(app, ["policy", "check", str(bad)])
    assert result.exit_code == 1
    assert "决策策略文件无效 (invalid policy file)" in result.output
    assert "键 (key) default_threshold: 超出范围" in result.output
    assert "键 (key) cross_checks.max_instalment: 未知的键" in result.output
