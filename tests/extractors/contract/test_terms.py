"""Signing date and place by label: a date OCR garbled (年4日27日) is repaired for review, two different signing
dates are left for review, a label and its value read as one run with a space are split at the space."""

from __future__ import annotations

from extractors.contract.extractor import PurchaseContractExtractor
from idp.models import ExtractedDocument, TextSource
from tests.extractors.contract.pages import page

_PARTIES = [[("甲方（需方）：上海甲贸易有限公司", 56)], [("乙方（供方）：杭州乙科技有限公司", 56)],
            [("第一条 标的", 56)]]


def _doc(*rows: list[tuple[str, float]]) -> ExtractedDocument:
    return PurchaseContractExtractor().extract([page([[("购销合同", 250)], *_PARTIES, *rows],
                                                     source=TextSource.OCR)])


def test_a_signing_date_labelled_once_is_sure():
    doc = _doc([("签订日期：2024年3月5日", 56)])
    assert doc.fields["sign_date"].value == "2024-03-05" and doc.fields["sign_date"].confidence >= 0.95


def test_a_month_read_as_day_is_repaired_and_left_for_review():
    field = _doc([("签订日期:2025年4日27日", 56)]).fields["sign_date"]
    assert field.value == "2025-04-27" and field.confidence < 0.95


def test_two_different_signing_dates_are_left_for_review():
    field = _doc([("签订日期：2024年3月5日", 56)], [("日期：2024年3月8日", 56)]).fields["sign_date"]
    assert field.value == "2024-03-05" and field.confidence < 0.95
    assert any("另有签订日期" in e for e in field.evidence)


def test_a_signing_date_printed_again_in_the_signing_block_is_kept_as_its_second_reading():
    doc = _doc([("签订日期：2024年3月5日", 56)], [("甲方（盖章）", 56), ("乙方（盖章）", 300)],
               [("日期：2024年3月5日", 56), ("日期：2024年3月5日", 300)])
    second = doc.fields["reprint.sign_date"]
    assert second.value == doc.value("sign_date") == "2024-03-05"
    assert second.bbox != doc.fields["sign_date"].bbox  # another print, read separately


def test_a_contract_number_carrying_the_signing_day_is_its_second_reading():
    doc = _doc([("合同编号：HT-20240305-017", 56)], [("签订日期：2024年3月5日", 56)])
    second = doc.fields["reprint.sign_date"]
    assert second.value == "2024-03-05" and "合同编号中含同一日期" in second.evidence
    other_day = _doc([("合同编号：HT-20240301-017", 56)], [("签订日期：2024年3月5日", 56)])
    assert "reprint.sign_date" not in other_day.fields
    longer = _doc([("合同编号：HT2024030517", 56)], [("签订日期：2024年3月5日", 56)])  # digits run on: no day
    assert "reprint.sign_date" not in longer.fields


def test_a_signing_date_printed_once_has_no_second_reading():
    doc = _doc([("签订日期：2024年3月5日", 56)], [("交货日期：2024年4月1日", 56)])
    assert "reprint.sign_date" not in doc.fields
    bold = _doc([("签订日期：2024年3月5日", 56), ("2024年3月5日", 106)])  # the date drawn again over itself
    assert bold.value("sign_date") == "2024-03-05" and "reprint.sign_date" not in bold.fields


def test_the_signing_date_of_the_running_text_is_read():
    field = _doc([("本合同于2024年3月5日签订后，乙方应于2024年4月1日前交货。", 56)]).fields["sign_date"]
    assert field.value == "2024-03-05"


def test_a_place_read_in_one_run_with_its_label_is_split_at_the_space():
    doc = _doc([("签订地点 苏州市吴中区", 56)])
    assert doc.fields["sign_place"].value == "苏州市吴中区"
