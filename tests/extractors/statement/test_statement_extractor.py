"""The bank statement extractor against truth: generated samples (text and one scan), the real CMB fixture,
layouts as data (a new file is picked up without code), and an unknown layout reported as such."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors import EXTRACTORS
from extractors.readers.dispatch import read_document
from extractors.readers.pdf_text import read_pdf
from extractors.statement.extractor import BankStatementExtractor
from extractors.statement.layouts import LAYOUT_DIR, choose_layout, load_layouts
from idp.evaluation.score_statement import score_statement
from idp.models import DocumentKind
from idp.synth import statement
from idp.synth.specimen import Run, Specimen, specimen_pdf
from validators import check_document

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples" / "bank_statement"
REAL = REPO / ".." / "shared" / "real" / "statements" / "finrep_cmb_statement_fixture.pdf"


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


def _wrong(path: Path) -> list[tuple[str, str | None, str | None]]:
    doc = BankStatementExtractor().extract(read_document(path))
    return [(r.name, r.expected, r.got) for r in score_statement(_truth(path), doc) if not r.correct]


@pytest.mark.parametrize(
    "path", sorted(p for p in SAMPLES.glob("*.pdf") if not p.name.startswith("scan_")), ids=lambda p: p.stem
)
def test_text_samples_read_exactly(path: Path):
    assert _wrong(path) == []


def test_scanned_sample_reads_every_row():
    path = SAMPLES / "scan_cmb_01.pdf"
    wrong = _wrong(path)
    rows = len(_truth(path)["transactions"])
    assert len([w for w in wrong if w[0].startswith("rows[")]) <= max(1, rows // 30), wrong
    # what was read off the scan is an OCR reading, header values too (they were labelled text layer)
    doc = BankStatementExtractor().extract(read_document(path))
    read = {name: f.source.value for name, f in doc.fields.items() if f.source.value != "derived"}
    assert read and set(read.values()) == {"ocr"}, read
    assert "account_holder" in read


def test_real_cmb_statement():
    if not REAL.is_file():
        pytest.skip("../shared/real/statements is not available")
    doc = BankStatementExtractor().extract(read_document(REAL))
    assert doc.subtype == "cmb"
    wrong = [(r.name, r.expected, r.got) for r in score_statement(_truth(REAL), doc) if not r.correct]
    assert wrong == []
    assert check_document(doc, now=datetime(2025, 3, 15, tzinfo=UTC)) == []
    for name in ("opening_balance", "closing_balance", "period_start"):  # printed in English: read, not derived
        assert doc.fields[name].source.value != "derived" and doc.fields[name].confidence >= 0.95


def test_registered_for_its_kind():
    extractor = EXTRACTORS["bank_statement"]
    assert getattr(extractor, "kind", None) == DocumentKind.BANK_STATEMENT


def test_every_layout_file_loads_and_is_chosen_by_its_bank():
    layouts = load_layouts(LAYOUT_DIR)
    ids = {lay.id for lay in layouts}
    assert {"generic", "cmb", "icbc", "ccb", "abc"} <= ids
    assert choose_layout("中国建设银行单位客户账户交易明细").id == "ccb"
    assert choose_layout("某某农村商业银行对账单").fallback


#: A bank no shipped layout knows: its own column names (记账日 / 发生额 / 结余 / 收付).
_ODD_HEADER = ("记账日", "用途说明", "收付", "发生额", "结余", "交易对手")
#: Column names no schema synonym matches: no table can be found.
_UNKNOWN_HEADER = ("第一栏", "第二栏", "第三栏", "第四栏", "第五栏", "第六栏")
_ODD_ROWS = (
    ("2024.03.04", "货款", "收", "1,000.00", "11,000.00", "甲公司"),
    ("2024.03.05", "电费", "付", "200.00", "10,800.00", "供电局"),
    ("2024.03.07", "货款", "收", "50.50", "10,850.50", "乙公司"),
)
_ODD_LAYOUT = """
id = "testbank"
bank = "测试村镇银行"
detect = ["测试村镇银行"]
[columns]
date = ["记账日"]
description = ["用途说明"]
dc_flag = ["收付"]
amount = ["发生额"]
balance = ["结余"]
counterparty_name = ["交易对手"]
[amounts]
style = "flag"
debit_flags = ["付"]
credit_flags = ["收"]
[dates]
formats = ["%Y.%m.%d"]
"""


def _odd_pdf(directory: Path, header: tuple[str, ...]) -> Path:
    runs = [
        Run(20, 20, "测试村镇银行账户流水", 14),
        Run(20, 32, "户名：丙贸易有限公司", 10),
        Run(120, 32, "账号：6200123412341234", 10),
    ]
    xs = (20, 50, 90, 110, 145, 180)
    runs += [Run(x, 45, t, 10) for x, t in zip(xs, header, strict=True)]
    for i, row in enumerate(_ODD_ROWS):
        runs += [Run(x, 55 + 8 * i, t, 10) for x, t in zip(xs, row, strict=True)]
    path = directory / "odd.pdf"
    path.write_bytes(specimen_pdf(Specimen("bank_statement", 240, 120, runs)))
    return path


@pytest.fixture(scope="module")
def odd_statement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _odd_pdf(tmp_path_factory.mktemp("odd"), _ODD_HEADER)


def test_unknown_layout_says_so_and_goes_to_review(tmp_path: Path):
    doc = BankStatementExtractor().extract(read_pdf(_odd_pdf(tmp_path, _UNKNOWN_HEADER)))
    assert doc.value("layout") == "unknown"
    assert doc.items == []
    rules = [f.rule_id for f in check_document(doc, now=datetime(2024, 4, 1, tzinfo=UTC))]
    assert rules == ["statement.layout_unknown"]


def test_a_new_layout_file_is_picked_up_without_code(odd_statement: Path, tmp_path: Path):
    for layout in LAYOUT_DIR.glob("*.toml"):
        shutil.copy(layout, tmp_path / layout.name)
    (tmp_path / "testbank.toml").write_text(_ODD_LAYOUT, encoding="utf-8")
    doc = BankStatementExtractor(layout_dir=tmp_path).extract(read_pdf(odd_statement))
    assert doc.value("layout") == "testbank"
    assert doc.value("bank") == "测试村镇银行"
    got = [
        (r["date"].value, r["amount"].value, r["balance"].value, r["counterparty_name"].value)
        for r in doc.items
    ]
    assert got == [
        ("2024-03-04", "1000.00", "11000.00", "甲公司"),
        ("2024-03-05", "-200.00", "10800.00", "供电局"),
        ("2024-03-07", "50.50", "10850.50", "乙公司"),
    ]
    assert doc.value("opening_balance") == "10000.00"
    assert check_document(doc, now=datetime(2024, 4, 1, tzinfo=UTC)) == []


@pytest.mark.parametrize("family", statement.FAMILIES)
def test_every_generated_family_reads_exactly_without_a_balance_alarm(family: str, tmp_path: Path):
    path = statement.write_sample(tmp_path, family, family, 5, months=2, per_month=16)
    assert _wrong(path) == []
    doc = BankStatementExtractor().extract(read_document(path))
    rules = {f.rule_id for f in check_document(doc, now=datetime(2025, 1, 1, tzinfo=UTC))}
    assert not rules & {"statement.balance_continuity", "statement.opening_balance", "statement.closing_balance"}


def test_an_unknown_bank_is_read_by_the_generic_reader_alone(odd_statement: Path):
    doc = BankStatementExtractor().extract(read_pdf(odd_statement))
    assert doc.value("layout") == "generic" and doc.value("bank") == "测试村镇银行"
    got = [(r["date"].value, r["amount"].value, r["balance"].value) for r in doc.items]
    assert got == [
        ("2024-03-04", "1000.00", "11000.00"),
        ("2024-03-05", "-200.00", "10800.00"),
        ("2024-03-07", "50.50", "10850.50"),
    ]
    assert check_document(doc, now=datetime(2024, 4, 1, tzinfo=UTC)) == []


def test_no_period_printed_means_no_period_read(tmp_path: Path):
    path = statement.write_sample(tmp_path, "nbcb", "nbcb", 3)
    doc = BankStatementExtractor().extract(read_document(path))
    assert "period_start" not in doc.fields and "period_end" not in doc.fields
    truth = _truth(path)
    first = doc.fields["first_transaction_date"]
    assert first.value == truth["transactions"][0]["date"] and first.source.value == "derived"
    assert doc.fields["last_transaction_date"].value == truth["transactions"][-1]["date"]


def test_an_amount_run_into_the_next_column_raises_no_false_balance_break(tmp_path: Path):
    runs = [Run(20, 20, "某某农村商业银行对账单", 14), Run(20, 32, "户名：丙贸易有限公司", 10)]
    labels = ("交易日期", "交易金额", "余额", "摘要")
    runs += [Run(x, 45, t, 9) for x, t in zip((20, 60, 100, 140), labels, strict=True)]
    rows = (("2024-03-04", "1,000.00", "11,000.00货款"), ("2024-03-05", "-200.00", "10,800.00电费"),
            ("2024-03-07", "50.50", "10,850.50货款"))
    for i, (day, amount, rest) in enumerate(rows):  # the balance and the 摘要 drawn as one run, as OCR boxes come
        runs += [Run(20, 55 + 8 * i, day, 9), Run(60, 55 + 8 * i, amount, 9), Run(100, 55 + 8 * i, rest, 9)]
    path = tmp_path / "merged.pdf"
    path.write_bytes(specimen_pdf(Specimen("bank_statement", 240, 120, runs)))
    doc = BankStatementExtractor().extract(read_pdf(path))
    assert [(r["balance"].value, r["description"].value) for r in doc.items] == [
        ("11000.00", "货款"), ("10800.00", "电费"), ("10850.50", "货款")
    ]
    assert "statement.balance_continuity" not in {
        f.rule_id for f in check_document(doc, now=datetime(2024, 4, 1, tzinfo=UTC))
    }
    assert all(r["balance"].evidence and "余额连续" in r["balance"].evidence[0] for r in doc.items[1:])


@pytest.mark.parametrize("family", statement.FAMILIES)
def test_a_planted_balance_break_is_reported_in_every_family_not_re_read_away(family: str, tmp_path: Path):
    path = statement.write_sample(tmp_path, family, family, 9, planted=("balance_break",), months=1, per_month=12)
    doc = BankStatementExtractor().extract(read_document(path))
    rules = {f.rule_id for f in check_document(doc, now=datetime(2025, 1, 1, tzinfo=UTC))}
    assert "statement.balance_continuity" in rules
    assert _wrong(path) == []  # the printed (altered) amount is what was read
