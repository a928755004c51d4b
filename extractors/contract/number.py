"""The contract number (合同编号) among the other codes a contract prints near it (项目编号, 招标编号, 订单号).

Labels come in tiers from the schema: the contract's own (合同编号), an order's (订单编号), a bare 编号/No. — a
bare one only where no other word stands before it, so 项目编号 is never read as 编号. The value is printed after
its label (the same run or the next cell) or under it (a label row over a value row). A number chosen from a
lower tier while other codes are printed, or among two different values, is marked ambiguous.
"""

from __future__ import annotations

import re

from extractors.contract.found import AMBIGUOUS, SURE, Found
from extractors.contract.text import ContractText, Segment
from idp.models.schema.purchase_contract import NUMBER_LABEL_TIERS

#: What may stand between a label and its value: a colon, 为/是, spaces and the cell gap (tab).
_SEP = r"[\t ]*(?:[:：]|为|是)?[\t ]*"
#: A contract number: letters, digits and the usual joiners, brackets (〔2024〕), an issuer prefix before a
#: bracket (沪采〔2024〕) or a code (广PO-2312-553), and a closing 第…号.
_CODE = (r"(?:[\u4e00-\u9fff]{1,5}(?=[〔【\[(（])|[\u4e00-\u9fff]{1,2}(?=[A-Za-z0-9]))?"
         r"[A-Za-z0-9〔【\[(（][A-Za-z0-9\-_/.()（）〔〕【】\[\]]{2,40}"
         r"(?:第[0-9A-Za-z\-]{1,12}号|号)?")
#: Confidence of a number under a lower-tier label with no competitor.
_LOWER_TIER = 0.97
#: Bracket glyphs OCR confuses with each other (〔 ( （ 【 [).
_BRACKETS = re.compile(r"[〔〕()（）【】\[\]]")
#: Labels of other codes (项目编号, 招标编号 …), for the evidence of an ambiguous choice; party ids are not codes.
_OTHER = re.compile(rf"([\u4e00-\u9fff]{{2,4}}(?:编号|编码|单号)){_SEP}({_CODE})")
_NOT_CODES = ("账号", "税号", "识别号", "身份证", "电话", "手机", "传真", "信用代码")


def _pattern(labels: tuple[str, ...], bare: bool) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(s) for s in labels), key=len, reverse=True))
    guard = r"(?<![\u4e00-\u9fffA-Za-z])" if bare else ""
    return re.compile(rf"{guard}(?:{alternatives}){_SEP}(?:({_CODE})|(?=[\t\n]|$))")


_ALL_LABELS = frozenset(label for tier in NUMBER_LABEL_TIERS for label in tier)
_TIERS = tuple(_pattern(labels, bare=n == len(NUMBER_LABEL_TIERS) - 1) for n, labels in enumerate(NUMBER_LABEL_TIERS))


def contract_number(text: ContractText, *, ocr: bool = False) -> Found | None:
    """The contract number by label tier, with the reason for its confidence."""
    stream = text.stream
    candidates: list[tuple[int, str, Segment]] = []
    for tier, pattern in enumerate(_TIERS):
        for m in pattern.finditer(stream.text):
            if m.group(1):
                value, seg = _clean(m.group(1)), stream.segment_at(m.start(1))
            else:
                label_seg = stream.segment_at(m.start())
                below = value_below(text, label_seg) if label_seg.compact.rstrip(":：") in _ALL_LABELS else None
                if below is None:
                    continue
                code = re.match(_CODE, below.compact)
                if code is None:
                    continue
                value, seg = _clean(code.group(0)), below
            if any(ch.isdigit() for ch in value):
                candidates.append((tier, value, seg))
    if not candidates:
        return None
    best_tier = min(t for t, _, _ in candidates)
    tier, value, seg = next(c for c in candidates if c[0] == best_tier)
    label = NUMBER_LABEL_TIERS[tier][0]
    evidence = [f"标签「{label}」类"]
    rivals = sorted({v for t, v, _ in candidates if t == tier and v != value})
    others = sorted({f"{m.group(1)} {m.group(2)}" for m in _OTHER.finditer(stream.text)
                     if not _is_number_label(m.group(1)) and not any(w in m.group(1) for w in _NOT_CODES)})
    if rivals:
        confidence = AMBIGUOUS
        evidence.append("同级标签另有编号: " + "、".join(rivals[:3]))
    elif tier == 0:
        confidence = SURE
    elif others or any(v != value for _, v, _ in candidates):
        confidence = AMBIGUOUS
        evidence.append("非「合同编号」标签，旁有其他编号: " + "、".join(others[:3] or
                                                       sorted({v for _, v, _ in candidates if v != value})[:3]))
    else:
        confidence = _LOWER_TIER
    if ocr and _BRACKETS.search(value):
        confidence = min(confidence, AMBIGUOUS)
        evidence.append("OCR: 括号字形易混（〔 ( （ 【）")
    return Found(value, seg, confidence, tuple(evidence))


def _clean(value: str) -> str:
    return value.rstrip(".-/")


def _is_number_label(label: str) -> bool:
    """合同编号 / 采购订单号 name the number; 项目编号 only ends like the bare 编号."""
    return label in _ALL_LABELS or any(label.endswith(s) for tier in NUMBER_LABEL_TIERS[:-1] for s in tier)


def value_below(text: ContractText, label: Segment) -> Segment | None:
    """The segment printed under ``label`` in the next row of its page (a row of labels over a row of values),
    overlapping it horizontally; None when there is none."""
    under = [s for s in text.segments if s.page == label.page and s.row == label.row + 1
             and min(s.x1, label.x1) - max(s.x0, label.x0) > 0]
    if not under or under[0].y0 - label.y1 > 2.5 * max(label.h, 1e-6):
        return None
    return min(under, key=lambda s: abs(s.x0 - label.x0))
