"""Red-letter (红字/负数) invoices reverse a blue invoice, so a lender must see them (domain.md §1.2, §2.7).

Detected from negative totals, the (负数) mark in the 大写 amount, or the remarks naming the blue invoice. A
red invoice whose amounts are not all negative is an error in its own right.
"""

from __future__ import annotations

import re
from decimal import Decimal

from idp.models import ExtractedDocument, Finding, Severity
from validators.rules._common import field_decimal, finding, value
from validators.rules.context import RuleContext

RULE_IDS = ("invoice.red_letter", "invoice.red_letter_sign")

_NEGATIVE_WORDS = re.compile(r"^[(（]?负数?")
#: Remarks of a red invoice name the blue one: "对应正数发票代码:… 号码:…" or "被红冲蓝字发票号码：…".
_BLUE_REFERENCE = re.compile(r"(?:对应正数发票|被红冲蓝字|蓝字发票|红字发票信息表)\D{0,12}?(\d{8,20})")
_TOTALS = ("amount_without_tax", "tax_amount", "total_with_tax")


def is_red_letter(doc: ExtractedDocument) -> bool:
    """True when the totals are negative or the amount in words says 负数."""
    total = field_decimal(doc.fields, "total_with_tax")
    words = value(doc, "total_in_words") or ""
    return (total is not None and total < 0) or bool(_NEGATIVE_WORDS.match(words))


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    """A warning for every red invoice (with the blue invoice it names), an error if its signs disagree."""
    if not is_red_letter(doc):
        return []
    remarks = value(doc, "remarks") or ""
    blue = _BLUE_REFERENCE.search(remarks)
    total = field_decimal(doc.fields, "total_with_tax")
    out = [
        finding(
            "invoice.red_letter",
            Severity.WARNING,
            f"红字(负数)发票，价税合计 {total}"
            + (f"，冲销蓝字发票 {blue.group(1)}" if blue else "，备注未写明对应蓝字发票")
            + "；需人工确认并与蓝字发票抵销 (red-letter invoice)",
            {"total_with_tax": total, "blue_invoice": blue.group(1) if blue else None},
            [],
        )
    ]
    positive = [n for n in _TOTALS if (field_decimal(doc.fields, n) or Decimal(0)) > 0]
    positive += [
        f"items[{i}].amount"
        for i, item in enumerate(doc.items)
        if "amount" in item and (field_decimal(item, "amount") or Decimal(0)) > 0
    ]
    if positive:
        out.append(
            finding(
                "invoice.red_letter_sign",
                Severity.ERROR,
                f"红字发票中以下金额为正数：{'、'.join(positive)} (positive amounts on a red invoice)",
                dict.fromkeys(positive),
                positive,
            )
        )
    return out
