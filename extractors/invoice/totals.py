"""The totals of a VAT invoice (合计金额, 合计税额, 价税合计 小写 and 大写), chosen by the schema's constraints.

Candidates come from the labels (schema synonyms: 合计, (小写), 价税合计, (大写)) and the amounts printed on their
row (half a line off it allowed); when a label is lost, any amount on the page that the constraints tie to the
others is a candidate too. The choice is the reading that satisfies most of 金额 + 税额 = 价税合计,
大写 = 小写 and Σ 明细 = 合计, each satisfied constraint recorded in the field's ``evidence``; a value no
constraint backs keeps a confidence under the straight-through thresholds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.invoice.fields import SURE, band_chars, labelled, make_field
from extractors.text.layout import Layout, Span
from extractors.text.patterns import amount_words
from idp.models import ExtractedField
from idp.models.schema import schema_for
from idp.models.schema.values import find_money, format_money, parse_money
from idp.models.schema.words import parse_words

_SCHEMA = schema_for("vat_invoice")
#: 合计 (OCR may read 合 as 台 on a poor photo), not 价税合计 nor the 大写 line.
#: (a speck read as i or a mark: 合 i计, 合☑计)
_SUBTOTAL = re.compile(r"(?<!税)[合台]\s*[^\u4e00-\u9fff\d\s]?\s*计(?!\s*[(（]?大写)")
_WORDS_LABEL = re.compile(r"价税合计[(（]?大写[)）]?|[(（]大写[)）]")
_FIGURES_LABEL = re.compile(r"[(（]小写[)）]")
_TOTAL_LABEL = re.compile(r"价税合计")
#: A tax printed as *** (免税, 不征税; OCR may read two or four): the tax is nought.
_STARS = re.compile(r"[*＊]{2,4}")
#: Confidence of a total read beside its label that no constraint backs (the checks will say why).
UNCONFIRMED = 0.9
#: Confidence of a total no label names, found only because the constraints tie it to the others.
BY_CONSTRAINT = 0.9
_CENT = Decimal("0.01")


@dataclass
class _Candidate:
    value: Decimal
    span: Span | None
    confidence: float
    how: str  #: Chinese: where it was read (the first evidence line)
    evidence: list[str] = field(default_factory=list)


def read_totals(layout: Layout, item_amounts: list[Decimal], item_taxes: list[Decimal]) -> dict[str, ExtractedField]:
    """``amount_without_tax``, ``tax_amount``, ``total_with_tax``, ``total_in_words`` with their evidence."""
    out: dict[str, ExtractedField] = {}
    words = labelled(layout, _WORDS_LABEL, amount_words, first_gap=15.0, next_gap=3.0, stop=_FIGURES_LABEL)
    words_value = _words_value(words[0]) if words else None
    subtotals = _subtotal_candidates(layout)
    grand = _grand_candidates(layout)
    amount, tax = subtotals if subtotals else (None, None)
    total = grand[0] if grand else None
    if total is None or (words_value is not None and total.value != words_value):
        tied = _tied_total(layout, words_value, amount, tax)
        if tied is not None and (total is None or _confirmations(tied.value, words_value, amount, tax) > 0):
            total = tied
    sums = (sum(item_amounts, Decimal(0)), sum(item_taxes, Decimal(0))) if item_amounts else None
    if total is not None:
        _confirm_total(total, words_value, amount, tax)
    if amount is not None:
        _confirm_part(amount, "金额", tax, total, sums[0] if sums else None)
    if tax is not None:
        _confirm_part(tax, "税额", amount, total, sums[1] if sums and item_taxes else None)
    for name, cand in (("amount_without_tax", amount), ("tax_amount", tax), ("total_with_tax", total)):
        if cand is not None:
            out[name] = _field(layout, name, cand)
    if words is not None:
        evidence = [f"右邻标签「{_SCHEMA_LABEL('total_in_words')}」"]
        confidence = SURE
        if words_value is not None and total is not None and words_value == total.value:
            evidence.append(f"= 小写 {format_money(total.value)}")
        elif words_value is None:
            confidence = UNCONFIRMED
        out["total_in_words"] = make_field(layout, "total_in_words", words[0], words[1], confidence).model_copy(
            update={"evidence": evidence}
        )
    return out


def _SCHEMA_LABEL(name: str) -> str:  # noqa: N802 - reads like a constant lookup
    spec = _SCHEMA.field(name) if _SCHEMA else None
    return spec.label if spec else name


def _words_value(text: str) -> Decimal | None:
    try:
        return parse_words(text)
    except ValueError:
        return None


#: A ¥ amount whose decimal point OCR read as a space (``¥184 65``): the point, in its place (same length).
_POINT_AS_SPACE = re.compile(r"([¥￥]\s?\d+) (\d{2})(?![\d.,])")


#: A ¥ amount with a digit OCR read as a letter (¥O.43): the digits, in place (same length).
_YUAN_TOKEN = re.compile(r"[¥￥]\s?[0-9OoIl][0-9OoIl.,]*")
_LETTER_DIGITS = str.maketrans("OoIl", "0011")


def _money_in(layout: Layout, chars: list) -> list[tuple[Decimal, Span]]:
    row = layout.span(chars)
    text = _YUAN_TOKEN.sub(lambda m: m.group(0).translate(_LETTER_DIGITS), row.text)
    text = _POINT_AS_SPACE.sub(r"\1.\2", text)
    return [(value, row.part(start, end)) for value, start, end in find_money(text)]


def _subtotal_candidates(layout: Layout) -> tuple[_Candidate, _Candidate | None] | None:
    """金额 and 税额 on the 合计 row (the first amount and the last; *** for a tax-free invoice's tax)."""
    for label in layout.find(_SUBTOTAL):
        chars = band_chars(layout, label.box, x_min=label.box.x1)
        amounts = _money_in(layout, chars)
        if not amounts:
            continue
        amount = _Candidate(amounts[0][0], amounts[0][1], SURE, "合计行第一个金额")
        tax = None
        if len(amounts) > 1:
            tax = _Candidate(amounts[-1][0], amounts[-1][1], SURE, "合计行最后一个金额")
        else:
            row = layout.span(chars)
            stars = _STARS.search(row.text.replace(" ", ""))
            if stars:
                tax = _Candidate(Decimal("0.00"), None, SURE, "合计行税额印作 ***（免税）")
        return amount, tax
    return None


def _grand_candidates(layout: Layout) -> list[_Candidate]:
    """价税合计 (小写): right of (小写), else the last amount on the 价税合计 row."""
    out = []
    for label in layout.find(_FIGURES_LABEL):
        amounts = _money_in(layout, band_chars(layout, label.box, x_min=label.box.x1))
        if amounts:
            out.append(_Candidate(amounts[0][0], amounts[0][1], SURE, "右邻标签「(小写)」"))
    if not out:
        for label in layout.find(_TOTAL_LABEL):
            amounts = _money_in(layout, band_chars(layout, label.box, x_min=label.box.x1))
            if amounts:
                out.append(_Candidate(amounts[-1][0], amounts[-1][1], 0.8, "价税合计行最后一个金额"))
    return out


def _tied_total(
    layout: Layout, words: Decimal | None, amount: _Candidate | None, tax: _Candidate | None
) -> _Candidate | None:
    """An amount anywhere on the page that equals the 大写 amount or 金额 + 税额 (its label was lost)."""
    wanted = {words} if words is not None else set()
    if amount is not None and tax is not None:
        wanted.add(amount.value + tax.value)
    if not wanted:
        return None
    for row in range(len(layout.lines) - 1, -1, -1):  # the totals sit low on the page
        span = layout.line_span(row)
        for value, start, end in find_money(span.text):
            if value in wanted and value != 0:
                return _Candidate(value, span.part(start, end), BY_CONSTRAINT, "与其他合计相符的金额（标签未读到）")
    return None


def _confirmations(total: Decimal, words: Decimal | None, amount: _Candidate | None, tax: _Candidate | None) -> int:
    count = int(words is not None and words == total)
    if amount is not None and tax is not None and amount.value + tax.value == total:
        count += 1
    return count


def _confirm_total(total: _Candidate, words: Decimal | None, amount: _Candidate | None, tax: _Candidate | None) -> None:
    if words is not None and words == total.value:
        total.evidence.append(f"= 大写 {format_money(words)}")
    if amount is not None and tax is not None and amount.value + tax.value == total.value:
        total.evidence.append(f"= 合计金额 {format_money(amount.value)} + 合计税额 {format_money(tax.value)}")
    if not total.evidence:
        total.confidence = min(total.confidence, UNCONFIRMED)


def _confirm_part(
    part: _Candidate, name: str, other: _Candidate | None, total: _Candidate | None, items_sum: Decimal | None
) -> None:
    if items_sum is not None and items_sum.quantize(_CENT) == part.value:
        part.evidence.append(f"= Σ 明细{name} {format_money(items_sum)}")
    if other is not None and total is not None and part.value + other.value == total.value:
        part.evidence.append(f"+ {'税额' if name == '金额' else '金额'} = 价税合计 {format_money(total.value)}")
    if not part.evidence:
        part.confidence = min(part.confidence, UNCONFIRMED)


def _field(layout: Layout, name: str, cand: _Candidate) -> ExtractedField:
    made = make_field(layout, name, format_money(cand.value), cand.span, cand.confidence)
    return made.model_copy(update={"evidence": [cand.how, *cand.evidence]})


def item_sums(items: list[dict[str, ExtractedField]]) -> tuple[list[Decimal], list[Decimal]]:
    """The items' amounts and taxes that parse (a tax-free line's *** counts as nought); empty lists when any
    amount is missing, so a partial table never confirms a total."""
    amounts, taxes = [], []
    for item in items:
        amount = parse_money(item["amount"].value) if "amount" in item else None
        if amount is None:
            return [], []
        amounts.append(amount)
        tax = parse_money(item["tax"].value) if "tax" in item else None
        taxes.append(tax if tax is not None else Decimal(0))
    return amounts, taxes
