"""A bank statement's arithmetic: the running balance is continuous, the opening and closing balances agree
with the rows, and the printed totals (借方/贷方合计) equal the sums of the rows.

Also reports a statement whose layout could not be read (``statement.layout_unknown``), so it goes to review
rather than passing with nothing checked.
"""

from __future__ import annotations

from decimal import Decimal

from idp.models import ExtractedDocument, FieldSource, Finding, Severity
from validators.rules._common import field_decimal, finding, value
from validators.rules._statement import chain, rows_of
from validators.rules.context import RuleContext

RULE_IDS = (
    "statement.layout_unknown",
    "statement.no_transactions",
    "statement.row_incomplete",
    "statement.balance_continuity",
    "statement.opening_balance",
    "statement.closing_balance",
    "statement.totals_mismatch",
)


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    if value(doc, "layout") in (None, "unknown"):
        return [
            finding(
                "statement.layout_unknown",
                Severity.ERROR,
                "无法识别该银行流水的版式（未找到交易明细表头），需人工录入或新增版式文件",
                {"layout": value(doc, "layout")},
            )
        ]
    rows = rows_of(doc)
    if not rows:
        return [finding("statement.no_transactions", Severity.ERROR, "银行流水中未读取到任何交易明细", {})]
    result = chain(rows)
    findings: list[Finding] = []
    for row in result.incomplete[:20]:
        findings.append(
            finding(
                "statement.row_incomplete",
                Severity.WARNING,
                f"{row.label}缺少金额或余额，无法校验余额连续性",
                {"row": row.n, "amount": row.amount, "balance": row.balance},
                [f"items[{row.n - 1}]"],
            )
        )
    for prev, row, expected in result.breaks:
        diff = (row.balance or Decimal(0)) - expected
        findings.append(
            finding(
                "statement.balance_continuity",
                Severity.ERROR,
                f"{row.label}余额{row.balance}不连续：上一笔（第{prev.n}行）余额{prev.balance}"
                f"{'+' if (row.amount or 0) >= 0 else ''}{row.amount}应为{expected}，差额{diff}",
                {
                    "row": row.n,
                    "previous_row": prev.n,
                    "previous_balance": prev.balance,
                    "amount": row.amount,
                    "balance": row.balance,
                    "expected": expected,
                    "difference": diff,
                },
                [f"items[{row.n - 1}].balance"],
            )
        )
    findings += _ends(doc, result.rows, result.opening)
    findings += _totals(doc, result.rows)
    return findings


def _printed(doc: ExtractedDocument, name: str) -> Decimal | None:
    """A balance as printed on the statement (not one the extractor derived from the rows)."""
    f = doc.fields.get(name)
    if f is None or f.source == FieldSource.DERIVED:
        return None
    return field_decimal(doc.fields, name)


def _ends(doc: ExtractedDocument, rows: list, opening: Decimal | None) -> list[Finding]:
    out = []
    printed_open = _printed(doc, "opening_balance")
    first = next((r for r in rows if r.amount is not None and r.balance is not None), None)
    if printed_open is not None and first is not None and first.balance - first.amount != printed_open:
        out.append(
            finding(
                "statement.opening_balance",
                Severity.ERROR,
                f"期初余额{printed_open}与首笔交易推算的期初余额{first.balance - first.amount}不符"
                f"（{first.label}）",
                {"opening_balance": printed_open, "derived": first.balance - first.amount, "row": first.n},
            )
        )
    printed_close = _printed(doc, "closing_balance")
    last = next((r for r in reversed(rows) if r.balance is not None), None)
    if printed_close is not None and last is not None and last.balance != printed_close:
        out.append(
            finding(
                "statement.closing_balance",
                Severity.ERROR,
                f"期末余额{printed_close}与末笔交易余额{last.balance}不符（{last.label}）",
                {"closing_balance": printed_close, "last_balance": last.balance, "row": last.n},
            )
        )
    return out


def _totals(doc: ExtractedDocument, rows: list) -> list[Finding]:
    out = []
    debit = sum((-r.amount for r in rows if r.amount is not None and r.amount < 0), Decimal("0.00"))
    credit = sum((r.amount for r in rows if r.amount is not None and r.amount > 0), Decimal("0.00"))
    for name, label, actual in (
        ("total_debit", "借方（支出）", debit),
        ("total_credit", "贷方（收入）", credit),
    ):
        printed = field_decimal(doc.fields, name)
        if printed is not None and printed != actual:
            out.append(
                finding(
                    "statement.totals_mismatch",
                    Severity.ERROR,
                    f"{label}合计{printed}与明细汇总{actual}不符（差额{printed - actual}）",
                    {name: printed, "sum_of_rows": actual, "difference": printed - actual},
                )
            )
    return out
