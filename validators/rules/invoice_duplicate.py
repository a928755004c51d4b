"""The identity of an invoice across applications: the same invoice submitted twice (by any client) is a
finding, since one sale would then back two loans.

This module is pure: :func:`invoice_key` names an invoice, :func:`duplicate_finding` words the finding;
looking keys up in earlier applications needs the database and is done by the queues layer.

>>> from idp.models import DocumentKind, ExtractedDocument, ExtractedField
>>> doc = ExtractedDocument(kind=DocumentKind.VAT_INVOICE, extractor="x", fields={
...     "invoice_code": ExtractedField(name="invoice_code", value="0120 0180 0211", confidence=1),
...     "invoice_number": ExtractedField(name="invoice_number", value="23326471", confidence=1)})
>>> invoice_key(doc)
'012001800211-23326471'
"""

from __future__ import annotations

from idp.models import ExtractedDocument, Finding, Severity
from validators import invoice_code, invoice_number
from validators.rules._common import finding, value

RULE_IDS = ("invoice.duplicate",)


def invoice_key(doc: ExtractedDocument) -> str | None:
    """``"<code>-<number>"`` (税控 invoices) or the 20-digit number (数电票); None if ids are unreadable.

    Only well-formed ids make a key: a misread id must not match another invoice by accident.
    """
    number = value(doc, "invoice_number")
    if number is None or not invoice_number.is_valid(number):
        return None
    number = invoice_number.compact(number)
    if invoice_number.is_fully_digital(number):
        return number
    code = value(doc, "invoice_code")
    if code is None or not invoice_code.is_valid(code):
        return None
    return f"{invoice_code.compact(code)}-{number}"


def duplicate_finding(
    key: str,
    *,
    other_application_id: str,
    other_document_id: str | None = None,
    other_client: str | None = None,
    link: str | None = None,
) -> Finding:
    """The ``invoice.duplicate`` error naming (and linking) the application that holds this invoice."""
    where = f"申请 {other_application_id}" + (f"（客户 {other_client}）" if other_client else "")
    return finding(
        "invoice.duplicate",
        Severity.ERROR,
        f"该发票（{_label(key)}）已在{where}中提交过，同一笔交易不能支持两笔贷款"
        + (f"，详见 {link}" if link else "")
        + " (invoice already submitted in another application)",
        {
            "invoice_key": key,
            "other_application_id": other_application_id,
            "other_document_id": other_document_id,
            "link": link,
        },
        ["invoice_number"] + (["invoice_code"] if "-" in key else []),
    )


def _label(key: str) -> str:
    if "-" in key:
        code, number = key.split("-", 1)
        return f"发票代码 {code}，发票号码 {number}"
    return f"发票号码 {key}"
