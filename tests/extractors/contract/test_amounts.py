"""The contract total chosen by constraints, never the nearest or the first amount (issue 14: totals taken from
a small amount elsewhere on the page, 大写 phrased 合计人民币（大写）… never found)."""

from __future__ import annotations

from decimal import Decimal

from extractors.contract.extractor import PurchaseContractExtractor
from tests.extractors.contract.pages import page

_HEAD = [
    [("购销合同", 250)],
    [("甲方（需方）：", 56), ("上海甲贸易有限公司", 126)],
    [("乙方（供方）：", 56), ("杭州乙科技有限公司", 126)],
    [("第一条 标的", 56)],
    [("序号", 60), ("产品名称", 100), ("数量", 300), ("单价", 380), ("金额", 470)],
    [("1", 62), ("交流接触器", 100), ("100", 300), ("45.00", 380), ("4,500.00", 470)],
    [("2", 62), ("小型断路器", 100), ("20", 300), ("30.50", 380), ("610.00", 470)],
]


def _extract(*rows: list[tuple[str, float]]):
    return PurchaseContractExtractor().extract([page([*_HEAD, *rows])])


def test_distracting_amounts_are_not_the_total():
    doc = _extract(
        [("合计人民币（大写）：伍仟壹佰壹拾元整（¥5,110.00）", 56)],
        [("第二条 付款：合同签订后3日内支付定金人民币20,000.00元（大写：贰万元整）。", 56)],
        [("违约金人民币50,000.00元；运费人民币800.00元由甲方承担。", 56)],
        [("质保金为合同总价的5%，即¥255.50。履约保证金¥300,000.00。", 56)],
    )
    total = doc.fields["total_amount"]
    assert total.value == "5110.00" and total.confidence >= 0.99
    assert any("Σ" in e for e in total.evidence) and any("大写" in e for e in total.evidence)
    assert any("定金" in e or "违约金" in e for e in total.evidence)  # what was ruled out is said
    assert doc.value("total_in_words") == "伍仟壹佰壹拾元整"


def test_words_found_in_any_phrasing():
    for sentence in (
        "合计人民币（大写）：伍仟壹佰壹拾元整（¥5,110.00）",
        "合同总金额为人民币5,110.00元（大写：伍仟壹佰壹拾元整）。",
        "本合同总价为伍仟壹佰壹拾元整（小写：¥5110.00），含13%增值税。",
        "总价款：¥5,110.00，大写：人民币伍仟壹佰壹拾元整。",
    ):
        doc = _extract([(sentence, 56)])
        assert doc.value("total_in_words") == "伍仟壹佰壹拾元整", sentence
        assert doc.value("total_amount") == "5110.00", sentence


def test_words_wrapped_over_two_lines():
    doc = _extract([("合同总金额：人民币5,110.00元（大写：伍仟壹佰", 56)], [("壹拾元整）。", 56)])
    assert doc.value("total_in_words") == "伍仟壹佰壹拾元整"


def test_a_total_no_constraint_confirms_is_not_sure():
    """Lines that do not add up and no 大写: the labelled figure is read but sent to review."""
    doc = _extract([("合同总金额：¥9,999.00", 56)])
    total = doc.fields["total_amount"]
    assert total.value == "9999.00" and total.confidence < 0.95


def test_printed_total_wins_over_the_lines_when_the_words_agree_with_it():
    """A planted mismatch (total ≠ Σ lines) keeps the printed total so the validator can report it."""
    doc = _extract([("合计人民币（大写）：伍仟贰佰壹拾元整（¥5,210.00）", 56)])
    assert doc.value("total_amount") == "5210.00"
    assert sum(Decimal(i["amount"].value) for i in doc.items) == Decimal("5110.00")


def test_a_total_that_includes_freight_is_still_the_total():
    doc = _extract([("合同总金额（含运费）：¥5,110.00（大写：伍仟壹佰壹拾元整）", 56)],
                   [("运费人民币300.00元已包含在内。", 56)])
    assert doc.value("total_amount") == "5110.00" and doc.fields["total_amount"].confidence >= 0.99
