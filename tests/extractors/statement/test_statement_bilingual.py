"""Layouts not seen before: English and bilingual labels, currency codes and DR/CR beside amounts, month-name
dates, header labels over two lines — read by the schema's synonyms and typed patterns, never by position."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.classify import classify_page
from extractors.statement.cells import assign_row
from extractors.statement.header import bank_name, read_header
from extractors.statement.layouts import fallback_layout
from extractors.statement.period import find_period
from extractors.statement.rows import REQUIRED
from extractors.statement.values import cell_amount, find_dates, parse_date
from extractors.text.table_columns import Column, find_header
from idp.models import BBox, PageText, TextSource
from idp.models.fields import DocumentKind
from idp.models.page import TextLine
from idp.models.schema.bank_statement import CREDIT_MARKS, DEBIT_MARKS
from tests.statement_helpers import row

_AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
_CODES = ["CNY", "RMB", "USD", "HKD", "人民币"]


@given(_AMOUNTS, st.sampled_from(_CODES), st.booleans(), st.booleans())
def test_a_currency_code_before_or_after_an_amount_is_not_part_of_its_value(
    value: Decimal, code: str, before: bool, negative: bool
):
    number = f"{'-' if negative else ''}{value:,.2f}"
    found = cell_amount(f"{code} {number}" if before else f"{number} {code}", DEBIT_MARKS, CREDIT_MARKS)
    assert found is not None and found.value == (-value if negative else value)


@given(_AMOUNTS, st.sampled_from([("DR", -1), ("CR", 1), ("Dr", -1), ("Cr", 1), ("借", -1), ("贷", 1)]),
       st.booleans(), st.sampled_from(["", " CNY"]))
def test_a_debit_credit_mark_beside_an_amount_gives_its_direction(
    value: Decimal, mark: tuple[str, int], before: bool, unit: str
):
    number = f"{value:,.2f}{unit}"
    found = cell_amount(f"{mark[0]} {number}" if before else f"{number} {mark[0]}", DEBIT_MARKS, CREDIT_MARKS)
    assert found is not None and found.value == value and found.mark == mark[1]


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%d-%b-%Y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%d/%b/%Y", "%Y-%b-%d", "%d-%b-%Y"]),
    st.booleans(),
)
def test_month_name_dates_are_found_in_any_spacing(day: date, fmt: str, squeezed: bool):
    text = f"Statement Period: {day.strftime(fmt)} to {day.strftime(fmt)}"
    if squeezed:  # labels and values are compared with their spaces dropped
        text = "".join(text.split())
    assert [d for d, _, _ in find_dates(text)] == [day.isoformat()] * 2


def test_words_that_contain_a_month_name_are_no_date():
    for text in ("Summary 2024", "Mayday 2024", "Decimal 12", "Marketing 5 2024"):
        assert parse_date(text) is None, text


def test_an_english_header_is_found_by_the_schema_synonyms():
    header = row((10, "Date"), (80, "Description"), (200, "Withdrawal"), (290, "Deposit"), (370, "Balance"),
                 (450, "Counterparty"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None
    assert set(found.labels) == {"date", "description", "debit", "credit", "balance", "counterparty_name"}


def test_a_bilingual_header_with_glosses_no_list_has_is_still_a_header():
    header = row((10, "交易日期 Fecha"), (120, "摘要 Resumen"), (220, "支出 Gasto"), (320, "收入 Ingreso"),
                 (420, "余额 Saldo"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None and {"date", "debit", "credit", "balance"} <= set(found.labels)


def test_a_bilingual_label_is_one_label_spanning_both_languages():
    header = row((10, "交易日期"), (60, "Date"), (110, "交易摘要"), (160, "Summary"), (240, "交易金额"),
                 (290, "Amount"), (360, "余额"), (390, "Balance"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None
    x0, x1 = found.labels["description"]
    assert x0 <= 110 and x1 >= 160 + 35  # from 交易摘要 to the end of Summary


def test_english_labels_under_chinese_ones_belong_to_the_header_not_the_first_row():
    chinese = row((10, "交易日期"), (110, "摘要"), (210, "支出"), (310, "收入"), (410, "余额"), y=100)
    english = row((10, "Transaction Date"), (110, "Summary"), (210, "Withdrawal"), (310, "Deposit"),
                  (410, "Balance"), y=111)
    first = row((10, "2024/03/05"), (110, "货款"), (210, "1,000.00"), (410, "9,000.00"), y=124)
    found = find_header([chinese, english, first], fallback_layout().columns, required=REQUIRED)
    assert found is not None and found.row == 0 and found.end == 2


def test_a_currency_code_printed_after_an_amount_stays_with_it():
    columns = [Column("amount", 100, 190, (120, 180)), Column("description", 200, 300, (200, 260))]
    got = assign_row(row((120, "-2,027.30"), (170, "CNY"), (205, "税费扣缴")), columns)
    assert sorted(c.text for c in got["amount"]) == ["-2,027.30", "CNY"]
    assert [c.text for c in got["description"]] == ["税费扣缴"]


def _header(*rows):
    return {v.key: v.value for v in read_header(list(rows), fallback_layout())}


def test_english_header_labels_give_the_account_fields():
    got = _header(row((10, "Account Name: 周磊"), (300, "Account No.: 358648064343")),
                  row((10, "Opening Balance: 80,880.91"), (300, "Closing Balance: 139,112.37"), y=114))
    assert got == {"account_holder": "周磊", "account_number": "358648064343", "opening_balance": "80880.91",
                   "closing_balance": "139112.37"}


def test_a_bilingual_label_reads_its_value_not_its_english_half():
    got = _header(row((10, "户名 Account Name：上海嘉禾机械设备有限公司")))
    assert got["account_holder"] == "上海嘉禾机械设备有限公司"
    got = _header(row((10, "户名 Name of Account：上海嘉禾机械设备有限公司")))  # a gloss no list has
    assert got["account_holder"] == "上海嘉禾机械设备有限公司"


def test_bilingual_labels_stacked_over_their_values():
    labels = row((10, "户名 Account Name"), (220, "期初余额 Opening Balance"), y=100)
    values = row((10, "上海嘉禾机械设备有限公司"), (220, "¥213,049.52"), y=114)
    got = _header(labels, values)
    assert got["account_holder"] == "上海嘉禾机械设备有限公司" and got["opening_balance"] == "213049.52"


@pytest.mark.parametrize(
    "text",
    ["Statement Period: 01-Jan-2024 to 30-Jun-2024", "起止日期 Statement Period：2024/01/01 ~ 2024/06/30",
     "Period: 2024-01-01 - 2024-06-30", "查询期间：2024.01.01-2024.06.30"],
)
def test_a_period_in_english_or_bilingual_phrasing(text: str):
    found = find_period([row((20, text))], fallback_layout(), base=0.99)
    assert found is not None and (found.start, found.end) == ("2024-01-01", "2024-06-30")


def test_an_account_kind_is_no_bank_name():
    rows = [row((10, "单位银行结算账户交易明细"), y=50), row((10, "开户行：成都农村商业银行高新支行"), y=80)]
    name, sure = bank_name(rows, fallback_layout())
    assert name == "成都农村商业银行" and not sure  # not the title's: a guess that says so


def test_the_bank_that_starts_the_title_is_sure():
    rows = [row((10, "渣打银行(中国)有限公司 Statement of Account"), y=50)]
    assert bank_name(rows, fallback_layout()) == ("渣打银行", True)


def test_an_english_statement_is_classified_as_a_statement():
    texts = ["渣打银行(中国)有限公司 Statement of Account", "Account Name: 周磊  Account No.: 358648064343",
             "Statement Period: 01-Jun-2024 to 30-Jun-2024", "Date Description Withdrawal Deposit Balance",
             "03 Jun 2024 燃气费 335.57 80,545.34", "04 Jun 2024 转账 613.84 79,931.50"]
    lines = [TextLine(text=t, bbox=BBox(x0=0.1, y0=0.05 * (i + 1), x1=0.9, y1=0.05 * (i + 1) + 0.02), confidence=1.0)
             for i, t in enumerate(texts)]
    page = PageText(page_no=1, width=842, height=595, lines=lines, source=TextSource.TEXT_LAYER)
    assert classify_page(page).kind is DocumentKind.BANK_STATEMENT


def test_an_ocr_box_holding_a_currency_code_and_the_next_columns_name_is_cut_apart():
    columns = [Column("balance", 100, 190, (120, 180)), Column("counterparty_name", 200, 400, (220, 280))]
    got = assign_row(row((110, "455,861.24"), (184, "CNY成都市启明信息技术股份有限公司")), columns)
    assert sorted(c.text for c in got["balance"]) == ["455,861.24", "CNY"]
    assert [c.text for c in got["counterparty_name"]] == ["成都市启明信息技术股份有限公司"]


def test_a_name_with_a_currency_code_at_its_edge_is_not_trusted():
    from extractors.statement.chain import Verdict
    from extractors.statement.fields import item
    from extractors.statement.rows import Transaction
    from idp.models import FieldSource

    def name_confidence(name: str) -> float:
        tx = Transaction(page=1, date="2024-03-05", amount=Decimal("1.00"), balance=Decimal("2.00"),
                         counterparty_name=name, description="货款")
        fields = item(tx, Verdict(status="chained"), 0.97, FieldSource.TEXT_LAYER, {})
        return fields["counterparty_name"].confidence

    assert name_confidence("成都市启明信息技术股份有限公司") >= 0.95
    assert name_confidence("CNY成都市启明信息技术股份有限公司") < 0.95
    assert name_confidence("国家金库 1,234.50") < 0.95


def test_english_from_and_to_under_no_listed_label_are_a_period_not_trusted_fully():
    found = find_period([row((20, "From: 01-Jan-2024"), (220, "To: 30-Jun-2024"))], fallback_layout(), base=0.99)
    assert found is not None and (found.start, found.end) == ("2024-01-01", "2024-06-30")
    assert found.confidence < 0.95


def test_a_header_the_ocr_read_in_traditional_characters_is_still_the_header():
    """PP-OCR reads some simplified print as traditional (交易金額, 賬戶餘額): the table was "layout unknown"."""
    header = row((10, "交易日期"), (90, "借貸標誌"), (170, "交易金額"), (270, "賬戶餘額"), (370, "對方戶名"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None
    assert {"date", "amount", "balance", "counterparty_name"} <= set(found.labels)


def test_in_a_header_a_cell_one_character_off_a_missing_column_name_is_that_column():
    """A scanned page's header read 支出 as 变出 and 摘要 as 集要: its debit rows were lost."""
    header = row((10, "记账日"), (90, "收入"), (170, "变出"), (250, "账户余额"), (350, "集要"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None
    assert set(found.labels) == {"date", "credit", "debit", "balance", "description"}


def test_two_cells_each_one_off_both_debit_and_credit_are_the_two_in_double_entry_order():
    """A bold header scanned: 借方发生额 read 僧方发生额 and 贷方发生额 read 货方发生额, each one off both names."""
    header = row((10, "交易日期"), (90, "僧方发生额"), (200, "货方发生额"), (310, "余额"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None
    assert found.labels["debit"][0] < found.labels["credit"][0]


def test_a_misread_cell_is_the_one_name_the_row_lacks_and_a_data_row_has_no_labels():
    header = row((10, "交易日期"), (90, "僧方发生额"), (200, "贷方发生额"), (310, "余额"))
    found = find_header([header], fallback_layout().columns, required=REQUIRED)
    assert found is not None and found.labels["debit"][0] < found.labels["credit"][0]  # 贷方 is printed
    data = row((10, "2024-01-05"), (90, "变出"), (170, "1,200.00"), (250, "35,000.00"))
    assert find_header([data], fallback_layout().columns, required=REQUIRED) is None
