"""Identifiers on a VAT invoice: taxpayer ids, invoice code and number, check code, and the kind they imply.

A USCC checksum failure is only a warning ("需工商核验"): the value may be misread or mistyped, and the
registry is the authority. A wrong length or charset is an error.
"""

from __future__ import annotations

from idp.errors import InvalidChecksum, InvalidFormat, InvalidLength
from idp.models import ExtractedDocument, Finding, Severity
from validators import invoice_code, invoice_number, taxpayer_id
from validators.rules._common import finding, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "taxpayer_id.format",
    "taxpayer_id.checksum",
    "invoice.code_format",
    "invoice.number_format",
    "invoice.check_code_format",
    "invoice.kind_mismatch",
)

#: Kinds issued without an invoice code (数电票).
_NO_CODE_KINDS = frozenset({"31", "32"})
_PARTIES = (("buyer_tax_id", "购买方"), ("seller_tax_id", "销售方"))


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    """Run every identity rule whose field is present."""
    findings: list[Finding] = []
    for name, party in _PARTIES:
        findings += _check_taxpayer_id(doc, name, party)
    findings += _check_code_and_number(doc)
    check_code = value(doc, "check_code")
    if check_code is not None:
        compact = "".join(check_code.split())
        if not (compact.isdigit() and len(compact) == 20):
            findings.append(
                finding(
                    "invoice.check_code_format",
                    Severity.ERROR,
                    f"校验码「{check_code}」应为20位数字 (check code must be 20 digits)",
                    {"check_code": check_code},
                )
            )
    return findings


def _check_taxpayer_id(doc: ExtractedDocument, name: str, party: str) -> list[Finding]:
    number = value(doc, name)
    if number is None:
        return []
    try:
        taxpayer_id.validate(number)
    except InvalidChecksum as exc:
        return [
            finding(
                "taxpayer_id.checksum",
                Severity.WARNING,
                f"{party}纳税人识别号「{number}」校验位不符，需工商核验 ({exc.message})",
                {name: number},
            )
        ]
    except InvalidFormat as exc:  # includes InvalidLength
        return [
            finding(
                "taxpayer_id.format",
                Severity.ERROR,
                f"{party}纳税人识别号「{number}」格式错误：{exc.message}",
                {name: number},
            )
        ]
    except ValueError as exc:  # InvalidComponent and other FieldInvalid
        return [
            finding(
                "taxpayer_id.format",
                Severity.ERROR,
                f"{party}纳税人识别号「{number}」无效：{exc}",
                {name: number},
            )
        ]
    return []


def _check_code_and_number(doc: ExtractedDocument) -> list[Finding]:
    out: list[Finding] = []
    code, number, kind = value(doc, "invoice_code"), value(doc, "invoice_number"), value(doc, "invoice_kind")
    digital = kind in _NO_CODE_KINDS or (number is not None and invoice_number.is_fully_digital(number))
    if number is not None:
        try:
            invoice_number.validate(number)
        except (InvalidFormat, InvalidLength) as exc:
            out.append(
                finding(
                    "invoice.number_format",
                    Severity.ERROR,
                    f"发票号码「{number}」格式错误：{exc.message}",
                    {"invoice_number": number},
                )
            )
        else:
            if kind in _NO_CODE_KINDS and not invoice_number.is_fully_digital(number):
                out.append(
                    finding(
                        "invoice.number_format",
                        Severity.ERROR,
                        f"数电票发票号码「{number}」应为20位 (a fully digital invoice has a 20-digit number)",
                        {"invoice_number": number, "invoice_kind": kind},
                    )
                )
    if code is None:
        if number is not None and not digital:
            out.append(
                finding(
                    "invoice.code_format",
                    Severity.ERROR,
                    f"发票号码「{number}」为8位，但缺少发票代码 (an 8-digit number needs an invoice code)",
                    {"invoice_code": None, "invoice_number": number},
                )
            )
        return out
    try:
        invoice_code.validate(code)
    except (InvalidFormat, InvalidLength) as exc:
        out.append(
            finding(
                "invoice.code_format",
                Severity.ERROR,
                f"发票代码「{code}」格式错误：{exc.message}",
                {"invoice_code": code},
            )
        )
        return out
    if digital:
        out.append(
            finding(
                "invoice.code_format",
                Severity.ERROR,
                f"数电票不应有发票代码，却印有「{code}」 (a fully digital invoice has no code)",
                {"invoice_code": code, "invoice_number": number},
            )
        )
        return out
    implied = invoice_code.get_kind(code)
    if kind is not None and implied is not None and implied != kind:
        out.append(
            finding(
                "invoice.kind_mismatch",
                Severity.WARNING,
                f"发票代码「{code}」对应种类 {implied}，与票面种类 {kind} 不符 (code implies another kind)",
                {"invoice_code": code, "invoice_kind": kind, "implied_kind": implied},
            )
        )
    return out
