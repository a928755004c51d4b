"""The schema's constraints that hold confirm their values (Σ lines, 大写, running balance), saying so."""

from __future__ import annotations

from decimal import Decimal

from idp.models import Confirmation, DocumentKind, ExtractedDocument, ExtractedField, FieldSource
from validators.confirmation.arithmetic import confirm_arithmetic


def _f(name: str, value: str, source: FieldSource = FieldSource.TEXT_LAYER, conf: float = 0.9) -> ExtractedField:
    return ExtractedField(name=name, value=value, confidence=conf, source=source)


def _contract(total: str, words: str, amounts: list[str]) -> ExtractedDocument:
    fields = {"total_amount": _f("total_amount", total), "total_in_words": _f("total_in_words", words)}
    items = [{"amount": _f("amount", a), "quantity": _f("quantity", "2"),
              "price": _f("price", str(Decimal(a) / 2))} for a in amounts]
    return ExtractedDocument(kind=DocumentKind.PURCHASE_CONTRACT, extractor="t", fields=fields, items=items)


def test_a_contract_total_that_is_the_sum_of_its_lines_and_its_words_is_confirmed_twice():
    doc = _contract("300.00", "叁佰元整", ["100.00", "200.00"])
    confirm_arithmetic(doc)
    total = doc.fields["total_amount"]
    assert total.confirmed_by == [str(Confirmation.ARITHMETIC)] and len(total.evidence) == 2
    assert total.confidence > 0.99 and doc.items[0]["amount"].confirmed_by
    again = total.model_copy(deep=True)
    confirm_arithmetic(doc)  # a case decided twice is not confirmed twice over
    assert doc.fields["total_amount"] == again


def test_a_total_that_neither_sums_nor_matches_its_words_stays_unconfirmed():
    doc = _contract("310.00", "叁佰元整", ["100.00", "200.00"])
    confirm_arithmetic(doc)
    assert doc.fields["total_amount"].confirmed_by == [] and doc.fields["total_amount"].confidence == 0.9


def _statement(rows: list[tuple[str, str]], opening: str | None, source: FieldSource) -> ExtractedDocument:
    items = [{"date": _f("date", f"2024-01-{i + 1:02d}"), "amount": _f("amount", a), "balance": _f("balance", b)}
             for i, (a, b) in enumerate(rows)]
    fields = {"opening_balance": _f("opening_balance", opening, source)} if opening else {}
    return ExtractedDocument(kind=DocumentKind.BANK_STATEMENT, extractor="t", fields=fields, items=items)


def test_every_balance_of_an_unbroken_chain_is_confirmed_the_first_by_the_row_after_it():
    doc = _statement([("100.00", "1100.00"), ("-50.00", "1050.00"), ("25.00", "1075.00")], None, FieldSource.DERIVED)
    confirm_arithmetic(doc)
    assert all(item["balance"].confirmed_by for item in doc.items)
    assert doc.items[0]["amount"].confirmed_by == []  # nothing printed before it: its amount stands alone


def test_a_printed_opening_balance_confirms_the_first_row_and_a_break_confirms_neither_side():
    doc = _statement([("100.00", "1100.00"), ("-50.00", "1060.00"), ("25.00", "1085.00")], "1000.00",
                     FieldSource.TEXT_LAYER)
    confirm_arithmetic(doc)
    assert doc.items[0]["amount"].confirmed_by and doc.fields["opening_balance"].confirmed_by
    assert doc.items[1]["balance"].confirmed_by == []  # 1100 - 50 is not 1060


def test_a_derived_opening_balance_is_as_sure_as_the_row_it_comes_from():
    doc = _statement([("100.00", "1100.00"), ("-50.00", "1050.00")], "1000.00", FieldSource.DERIVED)
    doc.items[0]["balance"].confidence = 0.97
    confirm_arithmetic(doc)
    opening = doc.fields["opening_balance"]
    assert opening.confirmed_by == [str(Confirmation.ARITHMETIC)]
    assert opening.confidence == min(doc.items[0]["balance"].confidence, doc.items[0]["amount"].confidence)


def _period(start: str, end: str, days: list[str]) -> ExtractedDocument:
    doc = _statement([("1.00", f"{i + 1}.00") for i in range(len(days))], None, FieldSource.DERIVED)
    for item, day in zip(doc.items, days, strict=True):
        item["date"] = _f("date", day)
    doc.fields |= {"period_start": _f("period_start", start), "period_end": _f("period_end", end)}
    return doc


def test_a_printed_period_whose_first_and_last_months_hold_the_first_and_last_rows_is_confirmed_by_them():
    doc = _period("2024-01-01", "2024-03-31", ["2024-01-05", "2024-02-11", "2024-03-28"])
    confirm_arithmetic(doc)
    for name in ("period_start", "period_end"):
        assert doc.fields[name].confirmed_by == [str(Confirmation.ARITHMETIC)]
        assert any("交易" in line for line in doc.fields[name].evidence)


def test_a_period_misread_by_a_month_or_excluding_a_row_is_not_confirmed():
    later_start = _period("2024-02-01", "2024-03-31", ["2024-01-05", "2024-02-11", "2024-03-28"])
    confirm_arithmetic(later_start)  # a row before the start: neither bound is trusted
    assert later_start.fields["period_start"].confirmed_by == []
    assert later_start.fields["period_end"].confirmed_by == []
    wider_end = _period("2024-01-01", "2024-05-31", ["2024-01-05", "2024-02-11", "2024-03-28"])
    confirm_arithmetic(wider_end)  # no row in May: the end month may be misread
    assert wider_end.fields["period_start"].confirmed_by and wider_end.fields["period_end"].confirmed_by == []


def _dated(days: list[str], period: tuple[str, str] | None = None) -> ExtractedDocument:
    doc = _period(*(period or ("", "")), days)
    if period is None:
        del doc.fields["period_start"], doc.fields["period_end"]
    for item in doc.items:
        item["date"].source = FieldSource.OCR
    return doc


def test_a_row_date_its_chained_neighbours_share_is_pinned_and_one_between_two_days_only_bounded():
    doc = _dated(["2024-01-03", "2024-01-05", "2024-01-05", "2024-01-05", "2024-01-09"])
    confirm_arithmetic(doc)
    pinned, bounded = doc.items[2]["date"], doc.items[1]["date"]
    assert pinned.confirmed_by == [str(Confirmation.ARITHMETIC)] and "前后两笔同为 2024-01-05" in pinned.evidence[-1]
    assert bounded.confirmed_by and "介于 2024-01-03 与 2024-01-05 之间" in bounded.evidence[-1]
    assert pinned.confidence > bounded.confidence > 0.9  # an identity divides the error chance more
    # nothing before the first row or after the last bounds them: their dates stand alone
    assert doc.items[0]["date"].confirmed_by == [] and doc.items[4]["date"].confirmed_by == []


def test_the_printed_period_bounds_the_first_and_last_row_dates():
    doc = _dated(["2024-01-03", "2024-01-05", "2024-01-09"], ("2024-01-01", "2024-01-31"))
    confirm_arithmetic(doc)
    assert all(item["date"].confirmed_by for item in doc.items)


def test_a_date_out_of_order_or_beside_a_chain_break_is_not_confirmed():
    misread = _dated(["2024-01-03", "2024-01-08", "2024-01-05", "2024-01-09"])  # 05 read as 08
    confirm_arithmetic(misread)
    assert misread.items[1]["date"].confirmed_by == []
    broken = _dated(["2024-01-03", "2024-01-04", "2024-01-05", "2024-01-09"])
    broken.items[2]["balance"].value = "9.00"  # the chain breaks on both sides of the third row
    confirm_arithmetic(broken)
    assert broken.items[2]["date"].confirmed_by == [] and broken.items[1]["date"].confirmed_by == []


def test_a_printed_credit_total_the_rows_add_up_to_confirms_every_credit_row_the_first_included():
    doc = _statement([("100.00", "1100.00"), ("-50.00", "1050.00"), ("25.00", "1075.00")], None, FieldSource.DERIVED)
    doc.fields["total_credit"] = _f("total_credit", "125.00")
    confirm_arithmetic(doc)
    assert doc.items[0]["amount"].confirmed_by == [str(Confirmation.ARITHMETIC)]
    assert any("贷方合计" in line for line in doc.items[0]["amount"].evidence)
    printed_both_ways = _statement([("100.00", "1100.00"), ("25.00", "1125.00")], None, FieldSource.DERIVED)
    printed_both_ways.items[0]["credit"] = _f("credit", "100.00")  # the 收入 column beside the signed amount
    printed_both_ways.fields["total_credit"] = _f("total_credit", "125.00")
    confirm_arithmetic(printed_both_ways)
    assert printed_both_ways.items[0]["credit"].confirmed_by == [str(Confirmation.ARITHMETIC)]


def test_a_credit_total_worked_out_from_the_rows_or_not_adding_up_confirms_no_row():
    derived = _statement([("100.00", "1100.00"), ("25.00", "1125.00")], None, FieldSource.DERIVED)
    derived.fields["total_credit"] = _f("total_credit", "125.00", FieldSource.DERIVED)
    confirm_arithmetic(derived)
    assert derived.items[0]["amount"].confirmed_by == []
    misread = _statement([("100.00", "1100.00"), ("25.00", "1125.00")], None, FieldSource.DERIVED)
    misread.fields["total_credit"] = _f("total_credit", "126.00")
    confirm_arithmetic(misread)
    assert misread.items[0]["amount"].confirmed_by == []
