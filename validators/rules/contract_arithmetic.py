"""Money on a purchase-sale contract: goods lines add up to the total, 数量 × 单价 = 金额, and 大写 = 小写.

Totals are sums of printed values, so they must agree exactly (0.00); a line's 数量 × 单价 may differ from its
金额 by rounding (≤ 0.01, or 1e-6 relative on large amounts). The 大写 is parsed, never compared as a string.
"""

from __future__ import annotations

from decimal import Decimal

from idp.errors import InvalidFormat
from idp.models import ExtractedDocument, Finding, Severity
from validators import amount_words
from validators.rules._common import field_decimal, finding, to_decimal, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "contract.total_missing",
    "contract.items_total",
    "contract.item_arithmetic",
    "contract.amount_words",
    "contract.amount_words_format",
)
_LINE_TOLERANCE = Decimal("0.01")


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    total = field_decimal(doc.fields, "total_amount")
    if total is None:
        findings.append(
            finding(
                "contract.total_missing",
                Severity.WARNING,
                "未能读取合同总金额（小写），需人工核对",
                {"total_amount": value(doc, "total_amount")},
            )
        )
    findings += _items(doc, total)
    words = value(doc, "total_in_words")
    if words is not None:
        findings += _words(words, total)
    return findings


def _items(doc: ExtractedDocument, total: Decimal | None) -> list[Finding]:
    out: list[Finding] = []
    amounts: list[Decimal] = []
    for n, row in enumerate(doc.items, start=1):
        amount = to_decimal(row["amount"].value) if "amount" in row else None
        qty = to_decimal(row["quantity"].value) if "quantity" in row else None
        price = to_decimal(row["price"].value) if "price" in row else None
        name = row["name"].value if "name" in row else None
        if amount is None:
            return out  # a line without an amount: the sum cannot be checked
        amounts.append(amount)
        if qty is not None and price is not None:
            expected = qty * price
            if abs(expected - amount) > max(_LINE_TOLERANCE, abs(amount) * Decimal("1e-6")):
                out.append(
                    finding(
                        "contract.item_arithmetic",
                        Severity.WARNING,
                        f"第{n}行「{name}」数量{qty}×单价{price}={expected.quantize(Decimal('0.01'))}，与金额{amount}不符",
                        {"row": n, "quantity": qty, "price": price, "amount": amount},
                        [f"items[{n - 1}].amount"],
                    )
                )
    if amounts and total is not None:
        lines = sum(amounts, Decimal("0.00"))
        if lines != total:
            out.append(
                finding(
                    "contract.items_total",
                    Severity.ERROR,
                    f"货物明细金额合计{lines}与合同总金额{total}不符（差额{total - lines}）",
                    {"items_sum": lines, "total_amount": total, "difference": total - lines},
                    ["total_amount", "items"],
                )
            )
    return out


def _words(words: str, total: Decimal | None) -> list[Finding]:
    try:
        parsed = amount_words.parse(words)
    except InvalidFormat as exc:
        return [
            finding(
                "contract.amount_words_format",
                Severity.ERROR,
                f"大写金额「{words}」格式错误：{exc.message}",
                {"total_in_words": words},
            )
        ]
    if total is not None and parsed != total:
        return [
            finding(
                "contract.amount_words",
                Severity.ERROR,
                f"大写金额「{words}」({parsed})与小写金额{total}不一致",
                {"total_in_words": words, "parsed": parsed, "total_amount": total},
                ["total_in_words", "total_amount"],
            )
        ]
    return []
