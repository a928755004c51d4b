"""What the kind of an invoice implies about its other fields (domain.md §1.2-§1.6): a check code where the
kind prints one, a 12-digit machine number on 税控 invoices, and the same province in the invoice code (or
the 数电 number) as in the seller's registration.
"""

from __future__ import annotations

from idp.models import ExtractedDocument, Finding, Severity
from validators import invoice_code, invoice_number, taxpayer_id
from validators.rules._common import finding, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "invoice.check_code_unexpected",
    "invoice.check_code_missing",
    "invoice.machine_no_format",
    "invoice.region_mismatch",
)

#: Kinds that print a 校验码 (普票 family), and kinds that never do (数电, paper 专票).
_CHECK_CODE_KINDS = frozenset({"04", "10", "11", "14"})
_NO_CHECK_CODE_KINDS = frozenset({"01", "31", "32"})
_FULLY_DIGITAL = frozenset({"31", "32"})


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    kind = value(doc, "invoice_kind")
    out: list[Finding] = []
    check_code = value(doc, "check_code")
    if check_code is not None and kind in _NO_CHECK_CODE_KINDS:
        out.append(
            finding(
                "invoice.check_code_unexpected",
                Severity.WARNING,
                f"发票种类 {kind} 不应印有校验码，却读到「{check_code}」 (this kind prints no check code)",
                {"check_code": check_code, "invoice_kind": kind},
                ["check_code", "invoice_kind"],
            )
        )
    if check_code is None and kind in _CHECK_CODE_KINDS:
        out.append(
            finding(
                "invoice.check_code_missing",
                Severity.WARNING,
                f"发票种类 {kind} 应印有校验码（查验需要后6位），但未读到 (check code missing)",
                {"check_code": None, "invoice_kind": kind},
                ["check_code"],
            )
        )
    machine = value(doc, "machine_no")
    if machine is not None and (kind in _FULLY_DIGITAL or not (machine.isdigit() and len(machine) == 12)):
        out.append(
            finding(
                "invoice.machine_no_format",
                Severity.WARNING,
                f"机器编号「{machine}」应为12位数字，且数电票没有机器编号 (machine number must be 12 digits)",
                {"machine_no": machine, "invoice_kind": kind},
                ["machine_no"],
            )
        )
    out += _region(doc)
    return out


def _seller_province(doc: ExtractedDocument) -> str | None:
    number = value(doc, "seller_tax_id")
    if number is None or not taxpayer_id.is_valid(number):
        return None
    number = taxpayer_id.compact(number)
    kind = taxpayer_id.get_kind(number)
    if kind == "uscc" and number[2:8].isdigit():
        return number[2:4]
    if kind == "legacy":
        return number[0:2]
    return None


def _region(doc: ExtractedDocument) -> list[Finding]:
    seller = _seller_province(doc)
    if seller is None:
        return []
    code, number = value(doc, "invoice_code"), value(doc, "invoice_number")
    if number is not None and invoice_number.is_fully_digital(number):
        province, name, label = invoice_number.get_province(number), "invoice_number", "发票号码"
    elif code is not None and invoice_code.is_valid(code):
        province, name, label = invoice_code.get_province(code), "invoice_code", "发票代码"
    else:
        return []
    if province is None or province == seller or province == "00":
        return []
    return [
        finding(
            "invoice.region_mismatch",
            Severity.WARNING,
            f"{label}所属地区 {province} 与销售方纳税人识别号的登记地区 {seller} 不一致 "
            "(region differs from the seller's)",
            {
                name: value(doc, name),
                "seller_tax_id": value(doc, "seller_tax_id"),
                "region": province,
                "seller_region": seller,
            },
            [name, "seller_tax_id"],
        )
    ]
