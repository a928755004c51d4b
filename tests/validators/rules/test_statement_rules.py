"""Statement rules on hand-built statements: continuity (breaks named by row, newest-first and same-day order
handled, opening balance derived), ends and totals, periods against a claimed window, and the red flags."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from idp.models import DocumentKind, ExtractedDocument, ExtractedField, FieldSource, Period
from validators import check_document
from validators.rules import statement_balance, statement_flags, statement_period
from validators.rules.context import RuleContext

#: A clock for the families that do not read it (every family takes the same context).
CONTEXT = RuleContext(now=datetime(2025, 1, 1, tzinfo=UTC))

NOW = datetime(2024, 5, 1, tzinfo=UTC)
#: (date, description, amount, counterparty) of a consistent statement opening at 10000.00.
ROWS = [
    ("2024-03-01", "货款", "5000.00", "甲公司"),
    ("2024-03-02", "材料款", "-2000.50", "乙公司"),
    ("2024-03-10", "手续费", "-10.00", None),
    ("2024-03-20", "货款", "1234.56", "丙公司"),
    ("2024-04-02", "货款", "800.00", "甲公司"),
    ("2024-04-15", "运费", "-300.00", "丁物流"),
]


def statement(
    rows=ROWS,
    *,
    opening: str = "10000.00",
    newest_first: bool = False,
    balances: dict[int, str] | None = None,
    **fields: str | None,
) -> ExtractedDocument:
    balance = Decimal(opening)
    items = []
    for i, (day, desc, amount, party) in enumerate(rows):
        balance += Decimal(amount)
        value = (balances or {}).get(i, str(balance))
        items.append(
            {
                k: ExtractedField(name=k, value=v, confidence=0.99)
                for k, v in (
                    ("date", day),
                    ("description", desc),
                    ("amount", amount),
                    ("balance", value),
                    ("counterparty_name", party),
                )
            }
        )
    if newest_first:
        items.reverse()
    base = {
        "layout": "icbc",
        "account_holder": "本公司",
        "account_number": "6200001",
        "period_start": "2024-03-01",
        "period_end": "2024-04-30",
        **fields,
    }
    return ExtractedDocument(
        kind=DocumentKind.BANK_STATEMENT,
        extractor="test",
        items=items,
        fields={
            k: ExtractedField(name=k, value=v, confidence=0.99) for k, v in base.items() if v is not None
        },
    )


def ids(findings) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_clean_statement_is_silent_both_ways_round():
    assert check_document(statement(), now=NOW) == []
    assert check_document(statement(newest_first=True), now=NOW) == []


def test_a_break_names_its_row_and_the_difference():
    found = statement_balance.check(statement(balances={3: "14324.06"}, newest_first=False), CONTEXT)
    assert ids(found) == ["statement.balance_continuity", "statement.balance_continuity"]
    first = found[0]
    assert (
        first.values["row"] == "4"
        and first.values["expected"] == "14224.06"
        and first.values["difference"] == "100.00"
    )
    assert "第4行" in first.message and "2024-03-20" in first.message


def test_a_wrong_amount_breaks_one_row_only():
    rows = list(ROWS)
    doc = statement(rows)
    doc.items[2]["amount"] = ExtractedField(name="amount", value="-100.00", confidence=0.99)
    found = statement_balance.check(doc, CONTEXT)
    assert [f.values["row"] for f in found] == ["3"]


def test_same_day_rows_printed_out_of_order_chain_after_reordering():
    rows = [
        ("2024-03-01", "货款", "5000.00", "甲"),
        ("2024-03-01", "付款", "-100.00", "乙"),
        ("2024-03-01", "货款", "50.00", "丙"),
    ]
    doc = statement(rows)
    doc.items[1], doc.items[2] = doc.items[2], doc.items[1]
    assert statement_balance.check(doc, CONTEXT) == []


def test_opening_closing_and_totals_against_the_rows():
    doc = statement(total_debit="2310.50", total_credit="7034.56")
    for name, value in (("opening_balance", "9000.00"), ("closing_balance", "14700.00")):
        doc.fields[name] = ExtractedField(name=name, value=value, confidence=0.99)
    assert ids(statement_balance.check(doc, CONTEXT)) == ["statement.closing_balance", "statement.opening_balance"]
    doc.fields["opening_balance"] = ExtractedField(name="opening_balance", value="10000.00", confidence=0.99)
    doc.fields["closing_balance"] = ExtractedField(
        name="closing_balance", value="14724.06", confidence=0.99, source=FieldSource.DERIVED
    )
    assert statement_balance.check(doc, CONTEXT) == []
    assert ids(statement_balance.check(statement(total_debit="2300.50"), CONTEXT)) == ["statement.totals_mismatch"]


def test_unknown_layout_and_empty_statement():
    assert ids(statement_balance.check(statement(layout="unknown"), CONTEXT)) == ["statement.layout_unknown"]
    assert ids(statement_balance.check(statement(rows=[]), CONTEXT)) == ["statement.no_transactions"]


def test_period_gaps_and_rows_outside_the_period():
    assert statement_period.check(statement(), CONTEXT) == []
    rows = [r for r in ROWS if not r[0].startswith("2024-04")]
    gap = statement_period.check(statement(rows), CONTEXT)
    assert ids(gap) == ["statement.period_gap"] and "2024年4月" in gap[0].message
    outside = statement_period.check(statement(period_start="2024-03-05"), CONTEXT)
    assert ids(outside) == ["statement.out_of_period", "statement.out_of_period"]


def test_a_quiet_stretch_the_running_balance_crosses_intact_is_no_sign_of_missing_rows():
    quiet = [*ROWS[:3], ("2024-04-20", "货款", "800.00", "甲公司")]  # nothing from 03-11 to 04-19 (40 days)
    found = statement_period.check(statement(quiet), CONTEXT)
    assert ids(found) == ["statement.period_gap"] and found[0].severity.value == "info"
    assert "余额衔接无误" in found[0].message
    # the same stretch where the balance after it does not follow: rows may be missing there
    broken = statement_period.check(statement(quiet, balances={3: "99999.00"}), CONTEXT)
    assert ids(broken) == ["statement.period_gap"] and broken[0].severity.value == "warning"


def test_claimed_period_must_be_covered():
    doc = statement()
    assert statement_period.check_period(doc, Period(start=date(2024, 3, 1), end=date(2024, 4, 30))) == []
    found = statement_period.check_period(doc, Period(start=date(2024, 1, 1), end=date(2024, 4, 30)))
    assert ids(found) == ["statement.period_not_covered"] and "2024-01-01至2024-02-29" in found[0].message
    no_period = statement(period_start=None, period_end=None)
    found = statement_period.check_period(no_period, Period(start=date(2024, 3, 1), end=date(2024, 6, 30)))
    # rows to 2024-04-15, taken to cover ten days more: 2024-04-26 on is missing
    assert ids(found) == ["statement.period_not_covered"] and "2024-04-26至2024-06-30" in found[0].message


def test_a_period_only_implied_by_the_rows_is_not_short_for_the_quiet_days_at_its_ends():
    no_period = statement(period_start=None, period_end=None)  # rows from 2024-03-01 to 2024-04-15
    assert statement_period.check_period(no_period, Period(start=date(2024, 2, 22), end=date(2024, 4, 20))) == []
    found = statement_period.check_period(no_period, Period(start=date(2024, 2, 1), end=date(2024, 4, 20)))
    assert ids(found) == ["statement.period_not_covered"]


def test_red_flags():
    fast = ROWS + [
        ("2024-04-20", "往来款", "300000.00", "戊公司"),
        ("2024-04-20", "往来款", "-299990.00", "己公司"),
    ]
    assert "statement.fast_in_out" in ids(statement_flags.check(statement(fast), CONTEXT))
    round_trip = ROWS + [("2024-04-21", "转账", "50000.00", "戊"), ("2024-04-21", "转账", "-30000.00", "己")]
    assert ids(statement_flags.check(statement(round_trip), CONTEXT)) == ["statement.round_amounts"]
    own = ROWS + [("2024-04-22", "内部转账", "1234.00", "本公司")]
    assert ids(statement_flags.check(statement(own), CONTEXT)) == ["statement.self_transfer"]
    jump = ROWS + [("2024-04-28", "往来款", "2000000.00", "戊公司")]
    assert ids(statement_flags.check(statement(jump), CONTEXT)) == ["statement.balance_jump"]
    assert statement_flags.check(statement(), CONTEXT) == []


def test_a_receipt_followed_by_the_payroll_or_taxes_is_not_money_passing_through():
    payroll = ROWS + [
        ("2024-04-20", "货款", "300000.00", "戊公司"),
        ("2024-04-20", "代发工资", "-298500.00", "批量代发工资"),
    ]
    assert "statement.fast_in_out" not in ids(statement_flags.check(statement(payroll), CONTEXT))
    taxes = ROWS + [("2024-04-20", "货款", "300000.00", "戊公司"), ("2024-04-21", "缴税", "-299000.00", "国家金库")]
    assert "statement.fast_in_out" not in ids(statement_flags.check(statement(taxes), CONTEXT))
    onward = ROWS + [("2024-04-20", "货款", "300000.00", "戊公司"), ("2024-04-21", "货款", "-299000.00", "己公司")]
    assert "statement.fast_in_out" in ids(statement_flags.check(statement(onward), CONTEXT))


def test_a_transfer_to_the_holder_read_with_a_look_alike_character_is_still_a_transfer_to_oneself():
    """Counterparty names on a scan are OCR alone and gate nothing: a misread must not hide a self-transfer."""
    holder = "长沙锦程实业有限公司"
    misread = ROWS + [("2024-04-22", "内部转账", "1234.00", "长沙锦稈实业有限公司")]
    assert ids(statement_flags.check(statement(misread, account_holder=holder), CONTEXT)) == [
        "statement.self_transfer"]
    other = ROWS + [("2024-04-22", "货款", "1234.00", "长沙宏达机械有限公司")]
    assert statement_flags.check(statement(other, account_holder=holder), CONTEXT) == []
