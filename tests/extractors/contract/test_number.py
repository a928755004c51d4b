"""The contract number among other codes: label tiers, 项目编号 never read as 编号, values under their label,
bracketed numbers kept whole, and a lower-tier choice beside other codes left for review."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractors.contract.extractor import PurchaseContractExtractor
from idp.models import ExtractedField, TextSource
from tests.extractors.contract.pages import page

_PARTIES = [[("甲方（需方）：上海甲贸易有限公司", 56)], [("乙方（供方）：杭州乙科技有限公司", 56)],
            [("第一条 标的", 56)]]


def _number(*rows: list[tuple[str, float]], source: TextSource = TextSource.TEXT_LAYER) -> ExtractedField | None:
    doc = PurchaseContractExtractor().extract([page([[("购销合同", 250)], *rows, *_PARTIES], source=source)])
    return doc.fields.get("contract_number")


def test_project_and_tender_codes_are_not_the_contract_number():
    found = _number([("项目编号：XM-2024-0001", 56)], [("招标编号：ZB-2024-0002", 56)],
                    [("合同编号：HT-2024-0815", 56)])
    assert found is not None and found.value == "HT-2024-0815" and found.confidence >= 0.95


def test_a_bare_number_label_beside_a_project_code_is_left_for_review():
    found = _number([("项目编号：XM-2024-0001", 56), ("编号：GX-2024-0815", 300)])
    assert found is not None and found.value == "GX-2024-0815"
    assert found.confidence < 0.95 and any("项目编号" in e for e in found.evidence)


def test_a_bare_number_label_alone_is_taken():
    found = _number([("编号：GX-2024-0815", 400)])
    assert found is not None and found.value == "GX-2024-0815" and found.confidence >= 0.95


def test_a_bracketed_number_with_its_closing_part_is_kept_whole():
    found = _number([("合同编号：MM〔2023〕第854号", 56)])
    assert found is not None and found.value == "MM〔2023〕第854号"


def test_a_number_that_starts_with_its_issuers_chinese_abbreviation_is_kept_whole():
    found = _number([("合同编号 广PO-2312-553", 56)])
    assert found is not None and found.value == "广PO-2312-553"
    found = _number([("合同号：南XS-2401-382  日期：2024-01-05", 56)])
    assert found is not None and found.value == "南XS-2401-382"


def test_brackets_read_by_ocr_are_doubted():
    found = _number([("合同编号：MM〔2023〕第854号", 56)], source=TextSource.OCR)
    assert found is not None and found.confidence < 0.95


def test_a_number_printed_under_its_label_is_read():
    found = _number([("合同编号", 56), ("签订日期", 300)], [("HT-2024-0815", 56), ("2024年3月1日", 300)])
    assert found is not None and found.value == "HT-2024-0815"


def test_two_different_contract_numbers_are_left_for_review():
    found = _number([("合同编号：HT-2024-0815", 56)], [("合同编号：HT-2024-0816", 56)])
    assert found is not None and found.confidence < 0.95


@given(st.from_regex(r"[A-Z]{2,4}-20[0-9]{2}-[0-9]{3,5}", fullmatch=True),
       st.sampled_from(["项目编号", "招标编号", "采购项目编号"]), st.sampled_from(["：", ":", " "]))
def test_any_number_beside_another_code_is_read_from_its_own_label(number, other, colon):
    found = _number([(f"{other}{colon}ZB-1999-0001", 56)], [(f"合同编号{colon}{number}", 56)])
    assert found is not None and found.value == number
