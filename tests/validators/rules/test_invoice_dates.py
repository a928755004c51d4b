"""Date rules, with the clock passed in: future, too old to verify, code year and 数电 number year."""

from __future__ import annotations

from datetime import UTC, datetime

from idp.models import Severity
from validators.rules.context import DEFAULT_MAX_AGE_DAYS, RuleContext
from validators.rules.invoice_dates import RULE_IDS, check

SOON_AFTER = datetime(2018, 10, 1, 9, 30, tzinfo=UTC)


def test_clean_invoice_is_silent(invoice):
    assert check(invoice(), RuleContext(now=SOON_AFTER)) == []
    assert check(invoice(), RuleContext(now=datetime(2018, 9, 21, 0, 1))) == []  # issued today is fine


def test_future_date(invoice):
    [finding] = check(invoice(), RuleContext(now=datetime(2018, 9, 20, 23, 0)))
    assert finding.rule_id == "invoice.date_future" and finding.severity is Severity.ERROR
    assert finding.values == {"issue_date": "2018-09-21", "today": "2018-09-20"}


def test_too_old_to_verify(invoice):
    now = datetime(2024, 1, 1)
    [finding] = check(invoice(), RuleContext(now=now))
    assert finding.rule_id == "invoice.date_too_old" and finding.severity is Severity.WARNING
    assert finding.values["max_age_days"] == str(DEFAULT_MAX_AGE_DAYS)
    assert check(invoice(), RuleContext(now=now, max_age_days=10 * 365)) == []


def test_code_year_after_issue_year(invoice):
    [finding] = check(invoice(invoice_code="012002000211"), RuleContext(now=SOON_AFTER))
    assert finding.rule_id == "invoice.code_year" and finding.values["code_year"] == "2020"
    assert check(invoice(invoice_code="012001700211"), RuleContext(now=SOON_AFTER)) == []


def test_fully_digital_number_year(invoice):
    doc = invoice(
        invoice_code=None, invoice_kind="32", invoice_number="24512000000058396237", issue_date="2023-07-07"
    )
    [finding] = check(doc, RuleContext(now=datetime(2023, 8, 1)))
    assert finding.rule_id == "invoice.number_year" and finding.values["number_year"] == "2024"
    ok = invoice(
        invoice_code=None, invoice_kind="32", invoice_number="23512000000058396237", issue_date="2023-07-07"
    )
    assert check(ok, RuleContext(now=datetime(2023, 8, 1))) == []


def test_unreadable_date(invoice):
    [finding] = check(invoice(issue_date="2018-02-30"), RuleContext(now=SOON_AFTER))
    assert finding.rule_id == "invoice.date_format" and finding.severity is Severity.ERROR
    assert set(RULE_IDS) >= {"invoice.date_format", "invoice.date_future", "invoice.date_too_old"}


def test_missing_date_is_not_guessed(invoice):
    assert check(invoice(issue_date=None), RuleContext(now=SOON_AFTER)) == []
