"""The running text of a synthetic contract: preamble, numbered clauses, the total sentence and the small
amounts (运费, 违约金, 定金, 质保金) that stand beside the total without being it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from idp.synth.contract_layout import formats
from idp.synth.contract_layout.flow import LEFT, Flow
from idp.synth.contract_layout.goods import goods_table
from validators.amount_words import to_words

if TYPE_CHECKING:
    from idp.synth.contract import SyntheticContract


def preamble(flow: Flow, c: SyntheticContract, buyer: str, seller: str) -> None:
    f = c.family
    where = ""
    if f.date_where == "preamble" or f.place == "preamble":
        when = f"于{formats.day(c.sign_date, f.date_format)}" if f.date_where == "preamble" else ""
        at = f"在{c.sign_place}" if f.place == "preamble" else ""
        where = f"经友好协商，{when}{at}签订本合同。"
    if f.preamble or where:
        flow.para(
            f"根据《中华人民共和国民法典》及有关法律法规的规定，{buyer}与{seller}本着平等互利的原则，"
            f"就{seller}向{buyer}供应下列产品事宜，" + (where or "经友好协商，签订本合同，以资共同遵守。")
        )
        flow.gap(4)


def total_sentence(c: SyntheticContract) -> str:
    f = c.family
    if not f.total_phrase:
        return ""
    return f.total_phrase.format(
        figures=formats.bare_money(c.printed_total, f.money),
        yen=formats.money(c.printed_total, "yen" if f.money in ("comma", "yen", "comma_yuan") else "yen_plain"),
        words=c.words,
        tax=c.tax_rate,
    )


def delivery_sentences(c: SyntheticContract, seller: str, buyer: str) -> list[str]:
    """The delivery clause in the family's phrasing: a date, a relative term, several dates in one sentence
    (signing, delivery, payment), a relative term with its date, a labelled date, or the goods table's column."""
    f = c.family
    day = lambda d: formats.day(d, f.date_format)  # noqa: E731
    to = f"将货物送至{buyer}指定地点（{c.delivery_place}）。"
    n = (c.delivery_date - c.sign_date).days
    paid = c.delivery_date + timedelta(days=10)
    return {
        "date": [f"{seller}应于{day(c.delivery_date)}前{to}"],
        "days": [f"{seller}应在合同签订后15日内{to}"],
        "clause_dates": [f"本合同于{day(c.sign_date)}签订后，{seller}应于{day(c.delivery_date)}前{to[:-1]}，"
                         f"{buyer}于{day(paid)}前付清全部货款。"],
        "date_and_days": [f"{seller}应在合同签订后{n}日内（即{day(c.delivery_date)}前）{to}"],
        "label": [f"交货日期：{day(c.delivery_date)}。", f"付款日期：{day(paid)}。", f"交货地点：{c.delivery_place}。"],
        "column": [f"{seller}按货物清单所列交货期{to}"],
    }[f.delivery]


def clauses(flow: Flow, c: SyntheticContract, buyer: str, seller: str) -> None:
    """Every clause, numbered in the family's style; the goods table sits under the first."""
    f = c.family
    x = c.extras
    money = formats.bare_money
    delivery = delivery_sentences(c, seller, buyer)
    penalty = [f"{seller}逾期交货的，每逾期一日按逾期交货部分货款的0.5‰支付违约金；"
               f"{buyer}逾期付款的，每逾期一日按逾期付款金额的0.5‰支付违约金。"]
    if "penalty_amount" in f.distractors:
        penalty.append(f"任何一方无故解除合同的，应向对方支付违约金人民币{money(x['penalty'], f.money)}元。")
    payment = [c.payment.format(buyer=buyer, seller=seller)]
    if "deposit_percent" in f.distractors:
        payment.append(f"合同签订后5日内，{buyer}支付合同总价款的{x['deposit_rate']}%作为定金。")
    if "deposit_amount" in f.distractors:
        payment.append(f"{buyer}应于合同签订后3日内支付定金人民币{money(x['deposit'], f.money)}元"
                       f"（大写：{to_words(x['deposit'], yuan='元')}），定金在最后一期货款中抵扣。")
    if "prepay_amount" in f.distractors:
        payment.append(f"预付款：¥{money(x['deposit'], f.money)}（合同总价的{x['deposit_rate']}%）。")
    if "warranty" in f.distractors:
        payment.append(f"质保金为合同总价的5%，即¥{money(x['warranty'], f.money)}，质保期满后无息退还。")
    if "freight" in f.distractors:
        delivery.append(f"运费人民币{money(x['freight'], f.money)}元由{buyer}另行承担，不含在合同总价内。")
    else:
        delivery.append(f"运费及运输途中风险由{seller}承担。")
    validity = "本合同自双方签字盖章之日起生效"
    validity += (f"，有效期至{formats.day(c.valid_until, f.date_format)}。" if f.validity else "。")
    body = [
        ("产品名称、规格型号、数量及价款", None),
        ("质量标准", f"产品质量按国家标准及生产厂家企业标准执行，{seller}对所供产品质量负责。"),
        ("交货时间、地点及方式", "".join(delivery)),
        ("付款方式", "".join(payment)),
        ("验收", f"{buyer}应在收货后5个工作日内验收，逾期未提出书面异议的视为验收合格。"),
        ("违约责任", "".join(penalty)),
        ("争议解决", "因本合同引起的争议，双方应协商解决；协商不成的，任何一方均可向合同签订地人民法院提起诉讼。"),
        ("合同生效及有效期", validity),
        ("其他", "本合同一式肆份，双方各执贰份，具有同等法律效力。本合同未尽事宜，双方可另行签订补充协议。"),
    ]
    if f.place == "clause":
        body.insert(-1, ("签订地点", f"本合同{f.place_label}为{c.sign_place}。"))
    sentence = total_sentence(c)
    for n, (heading, text) in enumerate(body, start=1):
        flow.text(LEFT, formats.clause_number(n, f.numbering) + heading, bold=f.bold_title)
        if text is None:
            goods_table(flow, c)
            if sentence:
                flow.para(sentence)
            if "{tax}" not in f.total_phrase:
                flow.para("以上价格为含税价格。")
        else:
            flow.para(text)
