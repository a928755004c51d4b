"""Printed values against the invoice's second sources: the QR code and the data an OFD file embeds.

The extractor keeps those as ``qr.<name>`` / ``embedded.<name>`` fields; any disagreement is an error, since
one of the two readings (or the document itself) is wrong. On 税控 invoices the QR amount is 合计金额
(excluding tax); on 数电票 it is reportedly 价税合计 (domain.md §1.7), so it must equal one of the two.
"""

from __future__ import annotations

from idp.models import ExtractedDocument, Finding, Severity
from idp.models.schema import field_label
from validators.rules._common import finding, to_decimal, value
from validators.rules.context import RuleContext

RULE_IDS = ("invoice.qr_mismatch", "invoice.embedded_mismatch")

#: Fields a second source (QR code, embedded data) repeats and that are compared one to one.
_COMPARED = (
    "invoice_code", "invoice_number", "issue_date", "check_code", "machine_no", "buyer_name", "buyer_tax_id",
    "seller_name", "seller_tax_id", "amount_without_tax", "tax_amount", "total_with_tax", "invoice_kind",
)
_AMOUNTS = frozenset({"amount_without_tax", "tax_amount", "total_with_tax"})
#: QR kind codes and the printed kinds they stand for: a 通行费 e-invoice (14) carries 10 in its QR.
_KIND_ALIASES = {"10": {"10", "14"}, "31": {"31"}, "32": {"32"}}


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    """Every second-source value that disagrees with the printed one (or with every printed candidate)."""
    out: list[Finding] = []
    for prefix, rule, source in (
        ("qr", "invoice.qr_mismatch", "二维码"),
        ("embedded", "invoice.embedded_mismatch", "文件内嵌数据"),
    ):
        for name in _COMPARED:
            label = field_label(name, "vat_invoice")
            other = value(doc, f"{prefix}.{name}") if name != "invoice_kind" else value(doc, f"{prefix}.kind")
            printed = value(doc, name)
            if other is None or printed is None or _agree(name, printed, other):
                continue
            out.append(
                finding(
                    rule,
                    Severity.ERROR,
                    f"{source}中的{label}「{other}」与票面「{printed}」不一致 "
                    f"({prefix} value differs from the printed one)",
                    {name: printed, f"{prefix}.{name}": other},
                    [name],
                )
            )
    out += _qr_amount(doc)
    return out


def kinds_agree(printed: str, other: str) -> bool:
    """The printed kind code and the one a second source gives stand for the same kind."""
    return printed == other or printed in _KIND_ALIASES.get(other, set())


def _agree(name: str, printed: str, other: str) -> bool:
    if name in _AMOUNTS:
        return to_decimal(printed) == to_decimal(other)
    if name == "invoice_kind":
        return kinds_agree(printed, other)
    return "".join(printed.split()).upper() == "".join(other.split()).upper()


def _qr_amount(doc: ExtractedDocument) -> list[Finding]:
    amount = to_decimal(value(doc, "qr.amount"))
    if amount is None:
        return []
    printed = {n: to_decimal(value(doc, n)) for n in ("amount_without_tax", "total_with_tax")}
    known = {n: v for n, v in printed.items() if v is not None}
    if not known or amount in known.values():
        return []
    return [
        finding(
            "invoice.qr_mismatch",
            Severity.ERROR,
            f"二维码金额 {amount} 与票面合计金额/价税合计 "
            f"{' / '.join(str(v) for v in known.values())} 均不一致 (QR amount matches no printed total)",
            {"qr.amount": amount, **known},
            list(known),
        )
    ]
