"""Dates on a VAT invoice (domain.md §2.6): not in the future, still verifiable, matching code and number.

The clock is a parameter (``now``), never read here, so the rules are testable and replayable.
"""

from __future__ import annotations

from datetime import date, timedelta

from idp.errors import FieldInvalid
from idp.models import ExtractedDocument, Finding, Severity
from validators import invoice_code, invoice_number
from validators.rules._common import finding, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "invoice.date_format",
    "invoice.date_future",
    "invoice.date_too_old",
    "invoice.code_year",
    "invoice.number_year",
)

def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    """Check the issue date against ``now`` and against the years in the code and the 数电 number."""
    text = value(doc, "issue_date")
    if text is None:
        return []
    try:
        issued = date.fromisoformat(text)
    except ValueError:
        return [
            finding(
                "invoice.date_format",
                Severity.ERROR,
                f"开票日期「{text}」无法识别 (issue date is not a valid date)",
                {"issue_date": text},
            )
        ]
    today, max_age_days = context.now.date(), context.max_age_days
    out: list[Finding] = []
    if issued > today:
        out.append(
            finding(
                "invoice.date_future",
                Severity.ERROR,
                f"开票日期 {issued} 晚于当前日期 {today} (issue date in the future)",
                {"issue_date": issued, "today": today},
                ["issue_date"],
            )
        )
    elif issued < today - timedelta(days=max_age_days):
        out.append(
            finding(
                "invoice.date_too_old",
                Severity.WARNING,
                f"开票日期 {issued} 已超过 {max_age_days} 天，可能无法查验 (too old to verify)",
                {"issue_date": issued, "today": today, "max_age_days": max_age_days},
                ["issue_date"],
            )
        )
    out += _check_code_year(doc, issued)
    out += _check_number_year(doc, issued)
    return out


def _check_code_year(doc: ExtractedDocument, issued: date) -> list[Finding]:
    code = value(doc, "invoice_code")
    if code is None:
        return []
    try:
        year = invoice_code.get_year(code)
    except FieldInvalid:
        return []  # a malformed code is reported by invoice_identity
    if year <= issued.year:
        return []
    return [
        finding(
            "invoice.code_year",
            Severity.ERROR,
            f"发票代码「{code}」的年份 {year} 晚于开票年份 {issued.year} (code year after the issue year)",
            {"invoice_code": code, "code_year": year, "issue_date": issued},
            ["invoice_code", "issue_date"],
        )
    ]


def _check_number_year(doc: ExtractedDocument, issued: date) -> list[Finding]:
    number = value(doc, "invoice_number")
    if number is None or not invoice_number.is_fully_digital(number):
        return []
    year = invoice_number.get_year(number)
    if year == issued.year:
        return []
    return [
        finding(
            "invoice.number_year",
            Severity.ERROR,
            f"数电票号码「{number}」的年份 {year} 与开票年份 {issued.year} 不符 (number year != issue year)",
            {"invoice_number": number, "number_year": year, "issue_date": issued},
            ["invoice_number", "issue_date"],
        )
    ]
