"""The delivery date among the other dates of a contract: tied to the nearest action word of its sentence,
read after its label, from a 交货期 column or computed from a relative term; ambiguity lowers the confidence."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from extractors.contract.extractor import PurchaseContractExtractor
from idp.models import ExtractedDocument
from tests.extractors.contract.pages import page

_TOP = [[("购销合同", 250)], [("合同编号：HT-2024-0815", 56)], [("签订日期：2024年3月1日", 56)],
        [("甲方（需方）：上海甲贸易有限公司", 56)], [("乙方（供方）：杭州乙科技有限公司", 56)]]


def _doc(*lines: str) -> ExtractedDocument:
    return PurchaseContractExtractor().extract([page([*_TOP, *[[(line, 56)] for line in lines]])])


def test_the_date_beside_the_delivery_verb_wins_over_the_signing_and_payment_dates_of_its_sentence():
    doc = _doc("第三条 交货", "本合同于2024年3月1日签订后，乙方应于2024年3月15日前交货，甲方于2024年3月25日前付款。")
    field = doc.fields["delivery_date"]
    assert field.value == "2024-03-15"
    assert field.confidence < 0.95
    assert any("同句另有日期" in e for e in field.evidence)


def test_a_lone_date_before_the_delivery_verb_is_sure():
    doc = _doc("第三条 交货", "乙方应于2024年3月15日前将货物送至甲方仓库。")
    assert doc.fields["delivery_date"].value == "2024-03-15"
    assert doc.fields["delivery_date"].confidence >= 0.95


def test_a_payment_label_after_the_delivery_date_does_not_take_it():
    doc = _doc("交货日期：2024年4月2日 付款日期：2024年4月20日")
    assert doc.fields["delivery_date"].value == "2024-04-02"
    assert doc.fields["delivery_date"].confidence >= 0.95


def test_a_relative_term_gives_the_signing_date_plus_its_days_for_review():
    doc = _doc("第三条 交货", "乙方应在合同签订后30日内将货物送至甲方仓库。")
    field = doc.fields["delivery_date"]
    assert field.value == "2024-03-31"
    assert field.confidence < 0.95
    assert any("相对期限" in e for e in field.evidence)


def test_a_relative_term_that_agrees_with_the_printed_date_confirms_it():
    doc = _doc("第三条 交货", "乙方应在合同签订后14日内（即2024年3月15日前）交货。")
    field = doc.fields["delivery_date"]
    assert field.value == "2024-03-15" and field.confidence >= 0.95
    assert "与相对期限一致" in field.evidence


def test_a_relative_term_from_another_event_gives_no_date():
    doc = _doc("第三条 交货", "乙方应在收到甲方预付款后10日内交货。")
    assert "delivery_date" not in doc.fields


def test_two_delivery_dates_are_left_for_review():
    doc = _doc("第三条 交货", "乙方应于2024年3月15日前交付第一批货物。", "乙方应于2024年4月15日前交付第二批货物。")
    field = doc.fields["delivery_date"]
    assert field.confidence < 0.95 and any("另有交货日期候选" in e for e in field.evidence)


def test_a_delivery_date_before_signing_is_doubted():
    doc = _doc("第三条 交货", "乙方应于2024年2月15日前交货。")
    assert doc.fields["delivery_date"].confidence < 0.95


@given(st.integers(min_value=0, max_value=600), st.integers(min_value=1, max_value=90),
       st.integers(min_value=1, max_value=30), st.sampled_from(["于{d}前交货", "在{d}之前交付", "{d}前送货到甲方"]))
def test_any_delivery_date_is_told_from_the_signing_and_payment_dates(offset, later, paid, phrase):
    signed = date(2024, 1, 1) + timedelta(days=offset)
    deliver, pay = signed + timedelta(days=later), signed + timedelta(days=later + paid)
    cn = "{0.year}年{0.month}月{0.day}日".format
    sentence = f"本合同于{cn(signed)}签订，乙方应" + phrase.format(d=cn(deliver)) + f"，甲方于{cn(pay)}前付款。"
    top = [[("购销合同", 250)], [("甲方（需方）：上海甲贸易有限公司", 56)], [("乙方（供方）：杭州乙科技有限公司", 56)]]
    doc = PurchaseContractExtractor().extract([page([*top, [("第三条 交货", 56)], [(sentence, 56)]])])
    assert doc.fields["delivery_date"].value == deliver.isoformat()
    assert doc.fields["sign_date"].value == signed.isoformat()
    assert doc.fields["delivery_date"].confidence < 0.95


def _table(*dates: str) -> ExtractedDocument:
    header = [("序号", 56), ("货物名称", 100), ("数量", 250), ("单价", 320), ("金额", 400), ("交货期", 480)]
    rows = [[(str(n), 58), ("螺纹钢", 100), ("10", 255), ("100.00", 315), ("1,000.00", 395), (d, 480)]
            for n, d in enumerate(dates, start=1)]
    return PurchaseContractExtractor().extract([page([*_TOP, [("第一条 标的", 56)], header, *rows,
                                                      [("第二条 交货：按上表所列交货期交货。", 56)]])])


def test_a_delivery_column_that_agrees_on_every_line_gives_the_date():
    field = _table("2024-04-01", "2024-04-01").fields["delivery_date"]
    assert field.value == "2024-04-01" and field.confidence >= 0.95


def test_a_delivery_column_with_different_dates_gives_the_last_for_review():
    field = _table("2024-04-01", "2024-04-20").fields["delivery_date"]
    assert field.value == "2024-04-20" and field.confidence < 0.95


@given(st.integers(min_value=0, max_value=700), st.integers(min_value=1, max_value=120),
       st.sampled_from(["日", "天", "个工作日"]))
def test_a_relative_term_counts_from_the_signing_date(offset, days, unit):
    signed = date(2024, 1, 1) + timedelta(days=offset)
    cn = "{0.year}年{0.month}月{0.day}日".format
    top = [[("购销合同", 250)], [(f"签订日期：{cn(signed)}", 56)], [("甲方（需方）：上海甲贸易有限公司", 56)],
           [("乙方（供方）：杭州乙科技有限公司", 56)]]
    line = f"乙方应在合同签订后{days}{unit}内将货物送至甲方仓库。"
    doc = PurchaseContractExtractor().extract([page([*top, [("第三条 交货", 56)], [(line, 56)]])])
    field = doc.fields["delivery_date"]
    got = date.fromisoformat(field.value)
    if unit == "个工作日":
        assert got.weekday() < 5 and days <= (got - signed).days <= days * 7 // 5 + 3
    else:
        assert got == signed + timedelta(days=days)
    assert field.confidence < 0.95
