"""Contract terms read by label: 合同编号, 签订日期/地点, total in 小写 and 大写 (含税, 税率), delivery
date and terms, payment terms and validity. Each reader returns (value, segment it came from) or None.
"""

from __future__ import annotations

import re

from extractors.contract.text import ContractText, Segment, clause_about
from extractors.statement.values import parse_money
from extractors.text.patterns import amount_words, cjk_text, iso_date

_NUMBER_LABEL = re.compile(
    r"(?:合同编号|合同号码|合同号|编号|合同编码)[:：]?([A-Za-z0-9][A-Za-z0-9\-_/.]{2,40})"
)
_DATE_LABEL = re.compile(r"(?:签订日期|签约日期|签订时间|签署日期|签约时间)[:：]?")
_PLACE_LABEL = re.compile(
    r"(?:(?:签订地点|签约地点|签署地点)[:：]?|签订地[:：])([\u4e00-\u9fffA-Za-z0-9（）()]{2,30})"
)
_TOTAL_LABEL = re.compile(
    r"(?:合同总金额|合同总价款|合同总价|合同总额|合同金额|总金额|总价款|价款总计|合计金额)"
    r"[^\d¥￥大]{0,12}"
)
_WORDS = re.compile(r"大写[)）]?[:：]?\s*[(（]?([⊗ⓧ]?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]{2,})")
_TAX_RATE = re.compile(r"(?:税率|含|增值税率)[为:：]?\s*(\d{1,2}(?:\.\d)?)\s*[%％](?:的)?(?:增值税|税率)?")
_TAX_INCLUDED = re.compile(r"含税|含\d{1,2}(?:\.\d)?[%％]?(?:的)?增值税|含增值税|价税合计")
_TAX_EXCLUDED = re.compile(r"不含税|未含税|不含增值税")
_DELIVERY = re.compile(r"交货|交付|送货|供货时间|到货")
_PAYMENT = re.compile(r"付款|结算|支付方式")
_VALIDITY = re.compile(r"生效|有效期|合同期限")
_DATE_ANY = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})")
_UNTIL = re.compile(r"(?:有效期至|有效期限至|有效期为?至|至)(\d{4}年\d{1,2}月\d{1,2}日)")


def contract_number(text: ContractText) -> tuple[str, Segment] | None:
    for seg in text.segments:
        m = _NUMBER_LABEL.search(seg.compact)
        if m:
            return m.group(1).rstrip(".-/"), seg
    return None


def sign_date(text: ContractText) -> tuple[str, Segment] | None:
    """签订日期 by label; else the date printed in the signing blocks (日期：…)."""
    for seg in text.segments:
        m = _DATE_LABEL.search(seg.compact)
        if m:
            value = iso_date(seg.compact[m.end() :])
            if value:
                return value, seg
    for seg in reversed(text.segments):
        if re.match(r"^(?:签署|签字|盖章)?日期[:：]?", seg.compact):
            value = iso_date(seg.compact)
            if value:
                return value, seg
    return None


def sign_place(text: ContractText) -> tuple[str, Segment] | None:
    for seg in text.segments:
        m = _PLACE_LABEL.search(seg.compact)
        if m:
            place = re.split(r"签订|日期|合同", m.group(1))[0]
            return cjk_text(place), seg
    return None


def total_amount(text: ContractText, table_total: Segment | None) -> tuple[str, Segment] | None:
    """合同总金额 (or a like label) followed by an amount; else the amount on the goods table's 合计 row."""
    for seg in text.segments:
        m = _TOTAL_LABEL.search(seg.compact)
        if m:
            amount = parse_money(seg.compact[m.end() : m.end() + 30])
            if amount is not None and amount > 0:
                return str(amount), seg
    if table_total is not None:
        m = re.search(r"[¥￥]\s*([\d,]+\.\d{2})|([\d,]+\.\d{2})\s*元?$", table_total.compact)
        if m:
            amount = parse_money(m.group(1) or m.group(2))
            if amount is not None:
                return str(amount), table_total
    return None


def total_in_words(text: ContractText) -> tuple[str, Segment] | None:
    for seg in text.segments:
        m = _WORDS.search(seg.compact)
        if m:
            value = amount_words(m.group(1))
            if value:
                return value, seg
    return None


def tax(text: ContractText) -> tuple[str | None, str | None, Segment | None]:
    """(tax rate like ``13%``, ``"true"``/``"false"`` for 含税, the segment) where the contract
    states them."""
    rate, included, where = None, None, None
    segs = text.segments
    for i, seg in enumerate(segs):
        nxt = segs[i + 1].compact if i + 1 < len(segs) else ""
        compact = seg.compact + nxt[:8]  # a clause may wrap in the middle of "13%增值税"
        if rate is None:
            m = _TAX_RATE.search(compact)
            if m and ("税" in compact[m.start() : m.end() + 4]):
                rate, where = f"{m.group(1)}%", seg
        if included is None:
            if _TAX_EXCLUDED.search(compact):
                included, where = "false", where or seg
            elif _TAX_INCLUDED.search(compact):
                included, where = "true", where or seg
    return rate, included, where


def delivery(text: ContractText) -> tuple[str | None, str | None]:
    """(delivery date, delivery clause text): the first date after a 交货/交付 word, and its clause."""
    full = text.full_text()
    clause = clause_about(full, _DELIVERY)
    date = None
    for source in ([clause] if clause else []) + [full]:
        for m in _DELIVERY.finditer(source):
            window = source[m.start() : m.start() + 80]
            d = _DATE_ANY.search(window)
            if d:
                date = iso_date(d.group(0))
                break
        if date:
            break
    return date, clause


def payment_terms(text: ContractText) -> str | None:
    return clause_about(text.full_text(), _PAYMENT)


def validity(text: ContractText) -> tuple[str | None, str | None]:
    """(valid-until date where printed, the validity clause)."""
    full = text.full_text()
    clause = clause_about(full, _VALIDITY)
    source = clause or full
    m = _UNTIL.search(source)
    return (iso_date(m.group(1)) if m else None), clause
