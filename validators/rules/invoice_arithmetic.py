"""Arithmetic on the face of a VAT invoice (domain.md §2): totals, 大写 = 小写, line items and tax rates.

All money is Decimal; sums of printed values must match exactly, per-line rounding gets the tolerances of §2.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from idp.errors import InvalidFormat
from idp.models import ExtractedDocument, ExtractedField, Finding, Severity
from validators import amount_words
from validators.rules._common import field_decimal, finding, to_decimal, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "invoice.total_sum",
    "invoice.amount_words",
    "invoice.items_sum",
    "invoice.tax_rate",
    "invoice.line_amount",
    "invoice.line_tax",
)

#: Rates valid today (§2.5), as fractions.
_CURRENT_RATES = frozenset(
    Decimal(r) for r in ("0.13", "0.09", "0.06", "0.05", "0.03", "0.01", "0.015", "0.005", "0")
)
#: Rates abolished since: rate → (first day, first day no longer valid).
_HISTORICAL_RATES = {
    Decimal("0.17"): (date(1994, 1, 1), date(2018, 5, 1)),
    Decimal("0.11"): (date(2017, 7, 1), date(2018, 5, 1)),
    Decimal("0.16"): (date(2018, 5, 1), date(2019, 4, 1)),
    Decimal("0.10"): (date(2018, 5, 1), date(2019, 4, 1)),
}
#: Rate texts that mean "no tax charged".
_NO_TAX_TEXTS = ("免税", "不征税", "***")
#: Largest per-line tax difference the 金税 system is said to allow (§2.2): above it an error.
_LINE_TAX_HARD = Decimal("0.06")
_CENT = Decimal("0.01")
_SPECIAL_KINDS = frozenset({"01", "08", "31"})


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    """Run every arithmetic rule that has the values it needs."""
    findings = _check_totals(doc)
    issue_date = _issue_date(doc)
    for index, item in enumerate(doc.items, start=1):
        findings += _check_line(item, index, issue_date, value(doc, "invoice_kind"))
    findings += _check_items_sum(doc)
    return findings


def _check_totals(doc: ExtractedDocument) -> list[Finding]:
    out: list[Finding] = []
    amount = field_decimal(doc.fields, "amount_without_tax")
    tax = field_decimal(doc.fields, "tax_amount")
    total = field_decimal(doc.fields, "total_with_tax")
    if amount is not None and tax is not None and total is not None and amount + tax != total:
        out.append(
            finding(
                "invoice.total_sum",
                Severity.ERROR,
                f"价税合计与金额、税额之和不符：{amount} + {tax} = {amount + tax}，票面价税合计 {total} "
                "(total with tax != amount + tax)",
                {"amount_without_tax": amount, "tax_amount": tax, "total_with_tax": total},
            )
        )
    words = value(doc, "total_in_words")
    if words is not None and total is not None:
        try:
            parsed = amount_words.parse(words)
        except InvalidFormat:
            parsed = None
        if parsed != total:
            reason = f"读作 {parsed}" if parsed is not None else "无法解析"
            out.append(
                finding(
                    "invoice.amount_words",
                    Severity.ERROR,
                    f"价税合计大写「{words}」({reason}) 与小写 {total} 不一致 (amount in words != figures)",
                    {"total_in_words": words, "total_in_words_parsed": parsed, "total_with_tax": total},
                    ["total_in_words", "total_with_tax"],
                )
            )
    return out


def _check_items_sum(doc: ExtractedDocument) -> list[Finding]:
    if not doc.items:
        return []
    out: list[Finding] = []
    for item_key, total_key, label in (
        ("amount", "amount_without_tax", "金额"),
        ("tax", "tax_amount", "税额"),
    ):
        total = field_decimal(doc.fields, total_key)
        parts = [_line_decimal(item, item_key) for item in doc.items]
        if total is None or any(p is None for p in parts):
            continue
        summed = sum((p for p in parts if p is not None), Decimal("0.00"))
        if summed != total:
            out.append(
                finding(
                    "invoice.items_sum",
                    Severity.ERROR,
                    f"明细{label}合计 {summed} 与票面合计{label} {total} 不符 (line items != total)",
                    {f"items_{item_key}_sum": summed, total_key: total},
                    [total_key],
                )
            )
    return out


def _check_line(
    item: dict[str, ExtractedField], index: int, issued: date | None, kind: str | None
) -> list[Finding]:
    out: list[Finding] = []
    amount, tax = _line_decimal(item, "amount"), _line_decimal(item, "tax")
    qty, price = _line_decimal(item, "quantity"), _line_decimal(item, "price")
    rate_text = item["tax_rate"].value if "tax_rate" in item and item["tax_rate"].value else None
    where = f"第{index}行"
    if amount is not None and qty is not None and price is not None:
        diff = abs(qty * price - amount)
        if diff > max(_CENT, abs(amount) * Decimal("1e-6")):
            out.append(
                finding(
                    "invoice.line_amount",
                    Severity.WARNING,
                    f"{where}数量×单价 {qty}×{price} 与金额 {amount} 相差 {diff.quantize(_CENT)} "
                    "(quantity × price != amount)",
                    {"line": index, "quantity": qty, "price": price, "amount": amount},
                    [f"items[{index - 1}].amount"],
                )
            )
    if rate_text is None:
        return out
    rate = rate_of(rate_text)
    problem = _rate_problem(rate_text, rate, issued, kind)
    if problem:
        out.append(
            finding(
                "invoice.tax_rate",
                problem[0],
                f"{where}税率「{rate_text}」{problem[1]}",
                {"line": index, "tax_rate": rate_text, "issue_date": issued},
                [f"items[{index - 1}].tax_rate"],
            )
        )
    if rate is not None and amount is not None and tax is not None:
        expected = (amount * rate).quantize(_CENT, rounding=ROUND_HALF_UP)
        diff = abs(expected - tax)
        if diff > _CENT:
            out.append(
                finding(
                    "invoice.line_tax",
                    Severity.ERROR if diff > _LINE_TAX_HARD else Severity.WARNING,
                    f"{where}税额 {tax} 与金额×税率 {amount}×{rate_text}={expected} 相差 {diff} "
                    "(line tax != amount × rate)",
                    {
                        "line": index,
                        "amount": amount,
                        "tax_rate": rate_text,
                        "tax": tax,
                        "expected_tax": expected,
                    },
                    [f"items[{index - 1}].tax"],
                )
            )
    return out


def rate_of(text: str) -> Decimal | None:
    """``"13%"`` → 0.13; 免税/不征税 → 0; None if unreadable."""
    text = text.strip()
    if any(t in text for t in _NO_TAX_TEXTS):
        return Decimal("0")
    number = to_decimal(text.rstrip("%％"))
    if number is None:
        return None
    return number / 100 if text.endswith(("%", "％")) or number >= 1 else number


def _rate_problem(
    text: str, rate: Decimal | None, issued: date | None, kind: str | None
) -> tuple[Severity, str] | None:
    if rate is None:
        return Severity.ERROR, "无法识别 (unreadable tax rate)"
    if "免税" in text and kind in _SPECIAL_KINDS:
        return Severity.WARNING, "出现在专用发票上，免税销售不得开具专票 (exempt sale on a special invoice)"
    if rate in _CURRENT_RATES:
        return None
    period = _HISTORICAL_RATES.get(rate)
    if period is None:
        return Severity.ERROR, "不在法定税率/征收率范围内 (not a legal VAT rate)"
    if issued is None:
        return Severity.WARNING, "为已调整的历史税率，开票日期未知 (historical rate, issue date unknown)"
    if not period[0] <= issued < period[1]:
        return Severity.ERROR, f"在开票日期 {issued} 已不适用 (rate not valid on the issue date)"
    return None


def _line_decimal(item: dict[str, ExtractedField], key: str) -> Decimal | None:
    field = item.get(key)
    return to_decimal(field.value) if field else None


def _issue_date(doc: ExtractedDocument) -> date | None:
    text = value(doc, "issue_date")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
