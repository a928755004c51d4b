"""Checks that need the application: a statement shorter than the period the lender asked for is a finding."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from idp.models import Application, ApplicationStatus, Borrower, Document, DocumentKind, DocumentStatus, Period
from queues.application_checks import add_findings
from queues.docproc import process_file

REPO = Path(__file__).resolve().parents[2]


def _statement_doc() -> Document:
    pdf = next(p for p in sorted((REPO / "samples" / "bank_statement").glob("*.pdf"))
               if not p.name.startswith(("error", "flag", "tampered", "scan")))
    (processed,) = process_file(pdf, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert processed.kind == DocumentKind.BANK_STATEMENT
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Document(id="d1", application_id="a1", filename=pdf.name, sha256="0" * 64, size=1,
                    kind=processed.kind, status=DocumentStatus.EXTRACTED, extraction=processed.extraction,
                    findings=[], created_at=now)


def _app(period: Period | None) -> Application:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Application(id="a1", client_id="c", borrower=Borrower(name="甲", uscc="91110000600037341L"),
                       product="p", statement_period=period, status=ApplicationStatus.DECIDING,
                       created_at=now, updated_at=now)


def test_statement_not_covering_the_claimed_period_is_a_finding():
    doc = _statement_doc()
    add_findings(_app(Period(start=date(2020, 1, 1), end=date(2020, 12, 31))), [doc])
    assert any(f.rule_id.startswith("statement.period") for f in doc.findings)
    assert all(f.document_id == "d1" for f in doc.findings)


def test_no_claimed_period_adds_nothing():
    doc = _statement_doc()
    add_findings(_app(None), [doc])
    assert doc.findings == []
