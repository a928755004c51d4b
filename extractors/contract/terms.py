"""Contract terms read by label (the schema's synonyms), wherever the value is printed after it — the same run,
the next run of the row (a label cell and its value cell), or the running text (本合同于…在…签订):
签订日期/地点, 税率 and 含税, the delivery clause, payment terms and validity. Each reader returns
(value, segment it came from) or None.
"""

from __future__ import annotations

import re

from extractors.contract.found import AMBIGUOUS, SURE, Found
from extractors.contract.text import ContractText, Segment, clause_about
from idp.models.schema import schema_for
from idp.models.schema.values import normalise_name, parse_date

_SPEC = schema_for("purchase_contract")
assert _SPEC is not None


def _labels(name: str) -> str:
    spec = _SPEC.field(name)  # type: ignore[union-attr]
    assert spec is not None
    return "|".join(sorted((re.escape(s) for s in spec.synonyms), key=len, reverse=True))


#: What may stand between a label and its value: a colon, 为/是, spaces and the cell gap (tab).
_SEP = r"[\t ]*(?:[:：]|为|是)?[\t ]*"
_DATE_LABEL = re.compile(rf"(?:{_labels('sign_date')}){_SEP}")
_PLACE_LABEL = re.compile(
    rf"(?:合同)?(?:{_labels('sign_place')})[\t ]*(?:[:：]|为|是|\t)[\t ]*([\u4e00-\u9fffA-Za-z0-9（）()]{{2,30}})"
)
#: 本合同于2024年3月5日在上海市浦东新区签订 / 双方在…签订本合同.
_SIGNED_AT = re.compile(r"(?:于(?P<date>[^\n]{6,20}?))?在(?P<place>[\u4e00-\u9fff]{2,20}?)(?:签订|签署|订立)"
                        r"|(?:签订|签署)于(?P<place2>[\u4e00-\u9fff]{2,20}?)(?=[。，,；;\n\t(（]|$)")
_PLACE_SPACED = re.compile(rf"^(?:合同)?(?:{_labels('sign_place')})\s+([\u4e00-\u9fff]{{2,20}})(?:\s|$)")
#: 本合同于2024年3月5日签订 (a date right before the signing verb, with no place between).
_DATE_THEN_SIGNED = re.compile(r"(?:本合同|双方)于((?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
                               r"|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2})(?:正式)?(?:签订|签署|订立)")
_PLACE_END = re.compile(r"签订|签署|日期|合同|甲方|乙方|\t")
_TAX_RATE = re.compile(r"(?:税率|含|增值税率)[为:：]?\s*(\d{1,2}(?:\.\d)?)\s*[%％](?:的)?(?:增值税|税率)?")
_TAX_INCLUDED = re.compile(r"含税|含\d{1,2}(?:\.\d)?[%％]?(?:的)?增值税|含增值税|价税合计")
_TAX_EXCLUDED = re.compile(r"不含税|未含税|不含增值税")
_DELIVERY = re.compile(r"交货|交付|送货|供货时间|到货|送至")
_PAYMENT = re.compile(r"付款|结算|支付方式")
_VALIDITY = re.compile(r"生效|有效期|合同期限")
_DATE_ANY = re.compile(r"(?:19|20)\d{2}\s*[年\-./]\s*\d{1,2}\s*[月\-./]\s*\d{1,2}"
                       r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]")
#: A date whose 月 OCR read as 日 or 目 (2025年4日27日).
_OCR_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*[日目曰]\s*(\d{1,2})\s*[日曰目号]")
_UNTIL = re.compile(r"(?:有效期至|有效期限至|有效期为?至|至)")


def sign_date(text: ContractText) -> Found | None:
    """签订日期 by label; else 于<date>…签订 in the text; else the date in the signing blocks (日期：…). Another
    signing date printed elsewhere, or a date read only by repairing OCR (2025年4日27日), is left for review."""
    found = _sign_dates(text)
    if not found:
        return None
    (day, seg, how, repaired), rest = found[0], found[1:]
    evidence = [how]
    confidence = SURE
    if repaired:
        confidence = AMBIGUOUS
        evidence.append("OCR 日期字形修正（年4日27日 → 年4月27日）")
    rivals = sorted({d for d, _, _, _ in rest if d != day})
    if rivals:
        confidence = AMBIGUOUS
        evidence.append("另有签订日期: " + "、".join(rivals[:3]))
    return Found(day, seg, confidence, tuple(evidence))


def reprinted(text: ContractText, found: Found | None) -> Found | None:
    """The signing date printed a second time on the page (the signing blocks' 日期, a validity clause from the
    same day, a contract number that carries the day: HT-20240514-001), in another run than the one it was read
    from: a second, separate reading of the same value, which the confirmation step compares with it. None when
    the date is printed once."""
    if found is None or found.seg is None:
        return None
    stream = text.stream
    prints = [stream.segment_at(m.start()) for m in _DATE_ANY.finditer(stream.text)
              if (day := parse_date(m.group(0))) is not None and day.isoformat() == found.value]
    for seg in prints if len(prints) >= 2 else ():  # one print is the one it was read from, wherever its run starts
        if _apart(seg, found.seg):
            return Found(found.value, seg, seg.conf, ("文中另一处印有同一日期",))
    compact = found.value.replace("-", "")
    for m in _COMPACT_DATE.finditer(stream.text):  # a contract number carrying the day (HT-20240514-001)
        seg = stream.segment_at(m.start())
        if m.group(0) == compact and _apart(seg, found.seg):
            return Found(found.value, seg, seg.conf, ("合同编号中含同一日期",))
    return None


#: Eight digits standing alone, as a day numbered into a code (HT20240514001 has more digits: not a day).
_COMPACT_DATE = re.compile(r"(?<!\d)(?:19|20)\d{6}(?!\d)")


def _apart(a: Segment, b: Segment) -> bool:
    """Two prints, not one (a text layer may draw a run twice over itself for bold): no overlap on the page."""
    return a.page != b.page or a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


def _sign_dates(text: ContractText) -> list[tuple[str, Segment, str, bool]]:
    """(date, segment, how found, repaired from OCR) of every signing date, best first."""
    stream = text.stream
    out: list[tuple[str, Segment, str, bool]] = []
    for m in _DATE_LABEL.finditer(stream.text):
        found, repaired = _date_at(stream.text, m.end())
        if found:
            out.append((found, stream.segment_at(m.end()), "签订日期标签", repaired))
    for m in _SIGNED_AT.finditer(stream.text):
        day = parse_date(m.group("date")) if m.group("date") else None
        if day:
            out.append((day.isoformat(), stream.segment_at(m.start()), "于…签订", False))
    for m in _DATE_THEN_SIGNED.finditer(stream.text):
        day = parse_date(m.group(1))
        if day:
            out.append((day.isoformat(), stream.segment_at(m.start(1)), "于…签订", False))
    for seg in reversed(text.segments):
        if re.match(r"^(?:签署|签字|盖章)?日期[:：]?", seg.compact):
            day = parse_date(seg.compact)
            if day:
                out.append((day.isoformat(), seg, "签署栏日期", False))
    return out


def _date_at(text: str, start: int) -> tuple[str | None, bool]:
    """(the date printed at ``start``, whether OCR's 日/目 for 月 had to be read as 月)."""
    m = _DATE_ANY.match(text, start)
    day = parse_date(m.group(0)) if m else None
    if day is not None:
        return day.isoformat(), False
    m = _OCR_DATE.match(text, start)
    if m is None:
        return None, False
    day = parse_date(f"{m.group(1)}年{m.group(2)}月{m.group(3)}日")
    return (day.isoformat(), True) if day else (None, False)


def sign_place(text: ContractText) -> tuple[str, Segment] | None:
    """签订地点 (or a synonym) followed by the place; else 在<place>签订 in the text."""
    stream = text.stream
    for m in _PLACE_LABEL.finditer(stream.text):
        place = _PLACE_END.split(m.group(1))[0]
        if len(place) >= 2:
            return normalise_name(place) or place, stream.segment_at(m.start(1))
    for seg in text.segments:  # 签订地点 苏州市 read as one run: the space is the cell gap
        spaced = _PLACE_SPACED.match(seg.text.strip())
        if spaced:
            return normalise_name(spaced.group(1)) or spaced.group(1), seg
    for m in _SIGNED_AT.finditer(stream.text):
        key = "place" if m.group("place") else "place2"
        place = m.group(key)
        if not re.search(r"本合同|双方|协商", place):
            return place, stream.segment_at(m.start(key))
    return None


def tax(text: ContractText) -> tuple[str | None, str | None, Segment | None]:
    """(tax rate like ``13%``, ``"true"``/``"false"`` for 含税, the segment) where the contract states them."""
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


def delivery(text: ContractText) -> str | None:
    """The delivery clause (交货时间、地点及方式 …) as text; its date is :mod:`extractors.contract.delivery`'s."""
    return clause_about(text.full_text(), _DELIVERY)


def payment_terms(text: ContractText) -> str | None:
    return clause_about(text.full_text(), _PAYMENT)


def validity(text: ContractText) -> tuple[str | None, str | None]:
    """(valid-until date where printed, the validity clause)."""
    full = text.full_text()
    clause = clause_about(full, _VALIDITY)
    source = (clause or full).replace("\n", "")
    for m in _UNTIL.finditer(source):
        d = _DATE_ANY.match(source, m.end())
        day = parse_date(d.group(0)) if d else None
        if day:
            return day.isoformat(), clause
    return None, clause
