"""Line-item recovery from OCR slips: quantity and price read as one number, units read down a column."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.invoice.repairs import _split_merged
from extractors.text.layout import Layout
from extractors.text.patterns import amount_words, money
from idp.models import BBox, ExtractedField, PageText, TextLine, TextSource, Word


def _item(**values: str) -> dict[str, ExtractedField]:
    return {k: ExtractedField(name=k, value=v, confidence=0.9, raw=v) for k, v in values.items()}


def test_merged_quantity_and_price_are_split_by_the_line_amount():
    item = _item(price="33674.4854369", amount="22258.02")
    _split_merged(item)
    assert (item["quantity"].value, item["price"].value) == ("33", "674.4854369")
    comma = _item(price="3,6993746.327434", amount="13857.67")  # the decimal point read as a comma
    comma["price"].value = None
    _split_merged(comma)
    assert (comma["quantity"].value, comma["price"].value) == ("3.699", "3746.327434")


def test_a_row_that_already_fits_or_has_no_split_is_left_alone():
    item = _item(quantity="1", price="734.59", amount="734.59")
    _split_merged(item)
    assert item["quantity"].value == "1"
    alone = _item(price="734.59", amount="1000.00")
    _split_merged(alone)
    assert "quantity" not in alone and alone["price"].value == "734.59"


@settings(max_examples=200, deadline=None)
@given(
    qty=st.one_of(
        st.integers(1, 500).map(Decimal), st.integers(1001, 99999).map(lambda n: Decimal(n) / 1000)
    ),
    price=st.integers(100, 10**9).map(lambda n: (Decimal(n) / 10**6).normalize()),
)
def test_a_split_is_either_the_printed_pair_or_none(qty: Decimal, price: Decimal):
    amount = (qty * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    printed_qty, printed_price = format(qty.normalize(), "f"), format(price, "f")
    if amount == 0 or printed_price.startswith("0"):
        return
    item = _item(price=printed_qty + printed_price, amount=str(amount))
    _split_merged(item)
    if "quantity" in item:
        assert (item["quantity"].value, item["price"].value) == (printed_qty, printed_price)


@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2))
def test_money_reads_its_own_printed_forms(value: Decimal):
    plain = format(value, "f")
    grouped = f"{value:,.2f}"
    assert money(f"¥{plain}") == money(f"￥ {grouped}") == str(value)


def test_ocr_junk_before_the_amount_in_words_is_dropped():
    assert amount_words("8 伍仟零叁拾壹元捌角壹分") == "伍仟零叁拾壹元捌角壹分"
    assert amount_words("8壹万叁仟叁佰肆拾陆圆肆角") == "壹万叁仟叁佰肆拾陆圆肆角"
    assert amount_words("8 订单号") is None


def test_characters_read_down_a_column_get_a_row_each():
    tall = BBox(x0=0.5, y0=0.2, x1=0.52, y1=0.3)
    rows = [BBox(x0=0.1, y0=0.2, x1=0.3, y1=0.25), BBox(x0=0.1, y0=0.25, x1=0.3, y1=0.3)]
    lines = [TextLine(text="吨袋", bbox=tall, words=[Word(text="吨袋", bbox=tall)])]
    lines += [
        TextLine(text=t, bbox=b, words=[Word(text=t, bbox=b)])
        for t, b in zip(("钢材", "大米"), rows, strict=True)
    ]
    layout = Layout(PageText(page_no=1, width=1000, height=1000, source=TextSource.OCR, lines=lines))
    assert [[layout.words[w][0] for w in row] for row in layout.lines] == [["钢材", "吨"], ["大米", "袋"]]


def test_a_lost_decimal_point_is_restored_only_when_the_digits_match():
    item = _item(quantity="7", price="3186.598571", amount="2230619.00", tax_rate="13%", tax="289980")
    item["amount"].raw, item["tax"].raw = "2230619", "289980"
    from extractors.invoice.repairs import _restore_points

    _restore_points(item)
    assert (item["amount"].value, item["tax"].value) == ("22306.19", "2899.80")
    other = _item(quantity="7", price="3186.598571", amount="2230618.00")
    other["amount"].raw = "2230618"
    _restore_points(other)
    assert other["amount"].value == "2230618.00"  # not the same digits: left for the line check


def test_a_unit_price_that_lost_its_point_is_placed_by_the_amount():
    from extractors.invoice.repairs import _restore_points

    item = _item(quantity="11", price="5979805825", amount="6577.79")
    _restore_points(item)
    assert item["price"].value == "597.9805825"


def test_a_complete_price_whose_quantity_was_lost_is_not_cut_and_the_quantity_is_worked_out():
    """The photo that read "3790.044248" but lost the quantity 8: cutting it as 3790.04424 × 8 also fits the
    amount, and would pass a swapped quantity and price as confirmed by the product."""
    from extractors.invoice.repairs import repair

    item = _item(price="3790.044248", amount="30320.35")
    repair(item)
    assert item["price"].value == "3790.044248"
    assert item["quantity"].value == "8" and item["quantity"].confidence <= 0.8  # derived: a person looks


@settings(max_examples=200, deadline=None)
@given(
    qty=st.integers(1, 500).map(Decimal),
    price=st.integers(10**6, 10**12).map(lambda n: (Decimal(n) / 10**6).normalize()),
)
def test_a_lost_whole_quantity_comes_back_and_the_printed_price_stays(qty: Decimal, price: Decimal):
    from extractors.invoice.repairs import repair

    amount = (qty * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    item = _item(price=format(price, "f"), amount=str(amount))
    repair(item)
    assert item["price"].value == format(price, "f")
    assert item["quantity"].value == str(qty)
