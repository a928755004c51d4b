"""The period a statement covers: rows inside the printed period, no month left empty or long silent stretch,
and (:func:`check_period`, a pure function the pipeline calls with the application's claimed statement
period) the whole claimed window covered.
"""

from __future__ import annotations

from datetime import date, timedelta

from idp.models import ExtractedDocument, Finding, Period, Severity
from validators.rules._common import finding, value
from validators.rules._statement import StatementRow, implied_period, in_time_order, rows_of, time_order
from validators.rules.context import RuleContext

RULE_IDS = (
    "statement.out_of_period",
    "statement.period_gap",
    "statement.period_not_covered",
)
#: Days without any transaction, inside the period, after which a gap is reported.
GAP_DAYS = 31


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    """Rows against the printed period, and gaps inside it."""
    start, end = _printed_period(doc)
    rows = [r for r in rows_of(doc) if r.date is not None]
    findings: list[Finding] = []
    if start and end:
        outside = [r for r in rows if not start <= r.date <= end]  # type: ignore[operator]
        for r in outside[:10]:
            findings.append(
                finding(
                    "statement.out_of_period",
                    Severity.ERROR,
                    f"{r.label}日期不在对账期间{start}至{end}内",
                    {"row": r.n, "date": r.date, "period_start": start, "period_end": end},
                    [f"items[{r.n - 1}].date"],
                )
            )
    lo = start or min((r.date for r in rows), default=None)  # type: ignore[type-var]
    hi = end or max((r.date for r in rows), default=None)  # type: ignore[type-var]
    if lo and hi:
        findings += gaps(rows, lo, hi)
    return findings


def check_period(doc: ExtractedDocument, claimed: Period) -> list[Finding]:
    """The statement must cover ``claimed`` (the application's ``statement_period``): its printed period
    (or, if none is printed, its first and last rows, give or take ``IMPLIED_PERIOD_SLACK``) must include the
    window, and the window must have no empty month or long silent stretch."""
    claimed_start, claimed_end = claimed.start, claimed.end
    start, end = _printed_period(doc)
    rows = [r for r in rows_of(doc) if r.date is not None]
    implied_from, implied_to = implied_period([r.date for r in rows if r.date is not None])
    covered_from = start or implied_from
    covered_to = end or implied_to
    values = {
        "claimed_start": claimed_start,
        "claimed_end": claimed_end,
        "period_start": covered_from,
        "period_end": covered_to,
    }
    if covered_from is None or covered_to is None:
        return [
            finding(
                "statement.period_not_covered",
                Severity.ERROR,
                f"无法确定流水覆盖期间，申请所需期间为{claimed_start}至{claimed_end}",
                values,
            )
        ]
    findings = []
    missing = []
    if covered_from > claimed_start:
        missing.append(f"{claimed_start}至{min(claimed_end, covered_from - timedelta(days=1))}")
    if covered_to < claimed_end:
        missing.append(f"{max(claimed_start, covered_to + timedelta(days=1))}至{claimed_end}")
    if missing:
        findings.append(
            finding(
                "statement.period_not_covered",
                Severity.ERROR,
                f"流水期间{covered_from}至{covered_to}未覆盖申请所需期间{claimed_start}至"
                f"{claimed_end}，缺少：{'、'.join(missing)}",
                values,
            )
        )
    window = [r for r in rows if claimed_start <= r.date <= claimed_end]  # type: ignore[operator]
    lo, hi = max(claimed_start, covered_from), min(claimed_end, covered_to)
    if lo <= hi:
        findings += gaps(window, lo, hi)
    return findings


def gaps(rows: list[StatementRow], start: date, end: date) -> list[Finding]:
    """Calendar months inside ``start``..``end`` with no row, and silent stretches longer than GAP_DAYS."""
    days = sorted({r.date for r in rows if r.date is not None})
    findings = []
    month = date(start.year, start.month, 1)
    empty = []
    while month <= end:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month >= start and nxt - timedelta(days=1) <= end and not any(month <= d < nxt for d in days):
            empty.append(f"{month.year}年{month.month}月")
        month = nxt
    if empty:
        findings.append(
            finding(
                "statement.period_gap",
                Severity.WARNING,
                f"流水期间{start}至{end}内{'、'.join(empty)}无任何交易，可能缺页或缺月",
                {"period_start": start, "period_end": end, "empty_months": "、".join(empty)},
            )
        )
    points = [start - timedelta(days=1), *days, end + timedelta(days=1)]
    bridged = _bridged(rows)
    for a, b in zip(points, points[1:], strict=False):
        if (b - a).days - 1 > GAP_DAYS and not empty:
            spanned = (a, b) in bridged
            findings.append(
                finding(
                    "statement.period_gap",
                    Severity.INFO if spanned else Severity.WARNING,
                    f"{a + timedelta(days=1)}至{b - timedelta(days=1)}共{(b - a).days - 1}天无交易"
                    + ("(前后两笔余额衔接无误,不缺行)" if spanned else ""),
                    {"gap_start": a + timedelta(days=1), "gap_end": b - timedelta(days=1)},
                )
            )
    return findings


def _bridged(rows: list[StatementRow]) -> set[tuple[date, date]]:
    """(day before, day after) of each silent stretch the running balance crosses intact: the first row after
    it is the last row before it plus its own amount, so no row is missing in between (a quiet account)."""
    ordered = [r for r in in_time_order(time_order(rows)[0]) if r.date is not None]
    out = set()
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.date != after.date and None not in (before.balance, after.balance, after.amount) \
                and before.balance + after.amount == after.balance:  # type: ignore[operator]
            out.add((before.date, after.date))
    return out


def _printed_period(doc: ExtractedDocument) -> tuple[date | None, date | None]:
    out = []
    for name in ("period_start", "period_end"):
        raw = value(doc, name)
        try:
            out.append(date.fromisoformat(raw) if raw else None)
        except ValueError:
            out.append(None)
    return out[0], out[1]
