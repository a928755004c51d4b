"""``idp read`` (through ``read_app``): lines with confidences and steps, JSON output, refusal messages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from idp.app.cli_read import read_app
from idp.synth.specimen import contract_specimen, invoice_specimen, specimen_pdf

runner = CliRunner()


def test_read_prints_lines_steps_and_documents(tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(specimen_pdf(contract_specimen(), invoice_specimen()))
    result = runner.invoke(read_app, ["read", str(path)])
    assert result.exit_code == 0, result.output
    assert "第 1 页 · text_layer" in result.output and "第 2 页 · text_layer" in result.output
    assert "1.000  购销合同" in result.output
    assert "purchase_contract" in result.output and "vat_invoice 31" in result.output


def test_read_json_is_pagetext(tmp_path: Path) -> None:
    path = tmp_path / "inv.pdf"
    path.write_bytes(specimen_pdf(invoice_specimen()))
    result = runner.invoke(read_app, ["read", str(path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    (page,) = payload["pages"]
    assert page["source"] == "text_layer" and page["lines"][0]["bbox"]["x0"] >= 0
    (doc,) = payload["documents"]
    assert (doc["kind"], doc["subtype"], doc["pages"]) == ("vat_invoice", "31", [1])
    assert 0.6 <= doc["confidence"] <= 1


def test_read_refuses_with_a_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = runner.invoke(read_app, ["read", str(path)])
    assert result.exit_code == 2
    assert "文件为空" in result.output and "empty_file" in result.output
