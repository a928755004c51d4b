"""The evaluation harness on a tiny folder: the numbers it computes, and a false accept it must catch."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idp.app.cli import app
from idp.evaluation import truth as norm
from idp.evaluation.report import build_report
from idp.evaluation.run import clock_for, evaluate_dir
from idp.evaluation.score_invoice import expected_kind

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "vat_invoice"
#: Two clean samples that pass straight through.
_CLEAN = ("putong_dianzi_01", "shudian_zhuanyong_01")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two samples, one with a wrong value planted in its truth (the extractor reads the right one)."""
    out = tmp_path_factory.mktemp("eval")
    for name in _CLEAN:
        for suffix in (".pdf", ".pdf.truth.json"):
            shutil.copy(SAMPLES / f"{name}{suffix}", out / f"{name}{suffix}")
    planted = out / "shudian_zhuanyong_01.pdf.truth.json"
    data = json.loads(planted.read_text(encoding="utf-8"))
    data["buyer"]["name"] = data["buyer"]["name"] + "分公司"
    planted.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (out / "notes.txt").write_text("not a document", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def report(folder: Path) -> dict:
    return build_report(evaluate_dir(folder))


def test_counts_accuracy_and_the_false_accept(report: dict):
    fields = report["fields"]
    assert report["documents"] == 2 and fields >= 50
    assert report["fields_correct"] == fields - 1
    assert report["field_accuracy"] == pytest.approx((fields - 1) / fields)
    assert report["straight_through_rate"] == 1.0
    assert report["exact_match_rate"] == 0.5
    assert report["false_accepts"] == 1
    assert report["false_accept_files"] == ["shudian_zhuanyong_01.pdf"]
    wrong = [w for r in report["results"] for w in r["wrong"]]
    assert [w["name"] for w in wrong] == ["buyer_name"] and wrong[0]["confidence"] >= 0.95


def test_groups_by_kind_form_and_part(report: dict):
    assert set(report["by_kind"]) == {"10", "31"}
    assert report["by_kind"]["10"]["false_accepts"] == 0 and report["by_kind"]["31"]["false_accepts"] == 1
    assert set(report["by_form"]) == {"text_pdf"}
    assert {"header", "parties", "totals", "items", "footer"} <= set(report["by_group"])
    assert report["by_group"]["parties"]["accuracy"] < 1.0 == report["by_group"]["items"]["accuracy"]
    buckets = report["confidence_buckets"]
    assert sum(b["fields"] for b in buckets) == report["fields"]
    assert report["per_field"]["line_items[].amount"]["accuracy"] == 1.0


def test_cli_writes_json_and_fails_on_a_false_accept(folder: Path, tmp_path: Path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["eval", str(folder), "--json", str(out), "--fail-under", "0.5"])
    assert result.exit_code == 1, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in (
        "documents",
        "fields",
        "field_accuracy",
        "false_accepts",
        "straight_through_rate",
        "by_kind",
        "by_form",
        "confidence_buckets",
    ):
        assert key in data
    assert data["false_accepts"] == 1


def test_cli_run_subcommand_and_empty_folder(tmp_path: Path):
    assert CliRunner().invoke(app, ["eval", "run", str(tmp_path)]).exit_code == 2  # nothing to evaluate


def test_normal_forms():
    assert norm.amount("¥1,234.5") == Decimal("1234.50") and norm.amount("x") is None
    assert norm.iso_date("2019年07月20日") == norm.iso_date("20190720") == "2019-07-20"
    assert norm.identifier("9133 0000 734500338c") == "91330000734500338C"
    assert norm.text("聚光科技（杭州） 股份") == "聚光科技(杭州)股份"
    assert norm.rate("13%") == norm.rate("0.13") == "0.13" and norm.rate("免税") == "免税"
    assert norm.words("⊗ 壹佰元整") == "壹佰元整"


def test_expected_kind_and_clock():
    assert expected_kind({"invoice_kind": "湖北增值税电子普通发票", "invoice_code": "042001700112"}) == "14"
    assert expected_kind({"invoice_kind": "电子发票（普通发票）数电票 (OFD)"}) == "32"
    assert expected_kind({"invoice_kind": "增值税专用发票 (paper)", "invoice_code": "1100094140"}) == "01"
    assert expected_kind({"invoice_kind_code": "08"}) == "08"
    assert clock_for({"issue_date": "2018-09-21"}, None) == datetime(2018, 10, 21, 12, tzinfo=UTC)
    fixed = datetime(2020, 1, 1, tzinfo=UTC)
    assert clock_for({"issue_date": "2018-09-21"}, fixed) is fixed


def test_family_comes_from_the_truth_then_the_generator_layout_then_the_source_repository():
    from idp.evaluation.run import family_of

    path = Path("/x/contracts/a.pdf")
    assert family_of({"doc_type": "purchase_contract", "family": "foreign-contract/table-v1"}, path) == \
        "foreign-contract/table-v1"
    assert family_of({"doc_type": "purchase_contract", "layout": "jiayi"}, path) == "purchase_contract/jiayi"
    assert family_of({"doc_type": "vat_invoice", "source": {"repo": "hobom/invoicerecognition"}}, path) == \
        "vat_invoice/invoicerecognition"
    assert family_of({"doc_type": "vat_invoice"}, path) == "vat_invoice/contracts"


def test_leave_family_out_reports_developed_and_held_out_families_and_their_gap():
    from idp.evaluation.report import build_report
    from idp.evaluation.run import DocResult
    from idp.evaluation.scoring import FieldResult

    def doc(family: str, right: int, wrong: int) -> DocResult:
        fields = [FieldResult(name=f"f{i}", expected="1", got="1" if i < right else "2", correct=i < right,
                              confidence=0.99, group="header") for i in range(right + wrong)]
        return DocResult(file=family, doc_type="purchase_contract", kind="purchase_contract", form="text_pdf",
                         family=family, fields=fields)

    results = [doc("purchase_contract/a", 10, 0), doc("purchase_contract/b", 8, 2), doc("foreign/c", 5, 5)]
    report = build_report(results, develop=("purchase_contract/a",))
    lofo = report["leave_family_out"]
    assert set(report["by_family"]) == {"purchase_contract/a", "purchase_contract/b", "foreign/c"}
    assert lofo["developed"]["field_accuracy"] == 1.0
    assert lofo["held_out"]["field_accuracy"] == 13 / 20
    assert lofo["held_out_families"] == ["foreign/c", "purchase_contract/b"]
    assert abs(lofo["gap"] - 0.35) < 1e-9
    assert build_report(results, develop=("purchase_contract/",))["leave_family_out"]["held_out_families"] == \
        ["foreign/c"]
