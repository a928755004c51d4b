"""Field confidence that means something: the reader's confidence, combined with agreement between sources
(printed text, QR code, the data an OFD embeds) and with the outcome of the checks.

Each independent confirmation divides the chance that the value is wrong (``1 - confidence``) by a factor; a
disagreement or an error finding naming the field caps it. Calibrated on the evaluation sets (``idp eval``):
the decision policy's thresholds are set where no wrong value passes.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from idp.errors import FieldInvalid
from idp.models import ExtractedDocument, ExtractedField, FieldSource, Finding, Severity
from validators import amount_words, invoice_code, invoice_number, taxpayer_id
from validators.rules._common import field_decimal, to_decimal, value
from validators.rules.invoice_arithmetic import rate_of
from validators.rules.invoice_sources import kinds_agree

#: What is left of the error chance after an independent source (QR, embedded data) agrees.
SOURCE_AGREES = 0.1
#: ... after an arithmetic or checksum identity that involves the value holds.
CHECK_HOLDS = 0.2
#: ... after a structural check holds (a code's kind and year, a 数电 number's year).
STRUCTURE_HOLDS = 0.5
#: Ceiling of a value a second source contradicts.
DISAGREES_CAP = 0.5
#: Ceiling of a value an error finding names.
ERROR_CAP = 0.3
#: Ceiling of a value a suspicion finding names (checksum, rounding, region).
SUSPECT_CAP = 0.6
#: Warnings that cast doubt on the values they name (others, e.g. red_letter, are about the document).
_SUSPECT_WARNINGS = frozenset(
    {
        "taxpayer_id.checksum",
        "invoice.line_tax",
        "invoice.line_amount",
        "invoice.kind_mismatch",
        "invoice.region_mismatch",
        "invoice.machine_no_format",
        "invoice.check_code_unexpected",
    }
)
_COMPARED = (
    "invoice_code",
    "invoice_number",
    "issue_date",
    "check_code",
    "machine_no",
    "buyer_name",
    "buyer_tax_id",
    "seller_name",
    "seller_tax_id",
    "amount_without_tax",
    "tax_amount",
    "total_with_tax",
)
_CENT = Decimal("0.01")


def _boost(field: ExtractedField | None, factor: float) -> None:
    """Divide the error chance; a value worked out from others (DERIVED) gains nothing from the same identity."""
    if field is not None and field.value and field.source != FieldSource.DERIVED:
        field.confidence = round(1 - (1 - field.confidence) * factor, 6)


def _cap(field: ExtractedField | None, ceiling: float) -> None:
    if field is not None:
        field.confidence = min(field.confidence, ceiling)


def calibrate(doc: ExtractedDocument, findings: Iterable[Finding]) -> ExtractedDocument:
    """A copy of ``doc`` whose field confidences include source agreement and the checks' outcomes."""
    out = doc.model_copy(deep=True)
    _sources(out)
    _identities(out)
    for item in out.items:
        _line(item)
    _items_sum(out)
    for f in findings:
        if f.severity == Severity.ERROR:
            ceiling = ERROR_CAP
        elif f.rule_id in _SUSPECT_WARNINGS:
            ceiling = SUSPECT_CAP
        else:
            continue
        for name in f.fields:
            _cap(_named(out, name), ceiling)
    return out


def _named(doc: ExtractedDocument, name: str) -> ExtractedField | None:
    """A header field, or an item field written ``items[3].amount``."""
    if name.startswith("items[") and "]." in name:
        index, key = name[6:].split("].", 1)
        if index.isdigit() and int(index) < len(doc.items):
            return doc.items[int(index)].get(key)
        return None
    return doc.fields.get(name)


def _same(a: str | None, b: str | None, *, amount: bool) -> bool:
    if a is None or b is None:
        return False
    if amount:
        return to_decimal(a) == to_decimal(b)
    return "".join(a.split()).upper() == "".join(b.split()).upper()


def _copied_from(own: ExtractedField, other: ExtractedField) -> bool:
    """The page lacked the value and the extractor filled it from the second source (a copy of it)."""
    return own.source == other.source and own.raw == other.raw and own.bbox == other.bbox


def _sources(doc: ExtractedDocument) -> None:
    for prefix in ("qr", "embedded"):
        for name in _COMPARED:
            other, own = doc.fields.get(f"{prefix}.{name}"), doc.fields.get(name)
            if other is None or own is None or _copied_from(own, other):
                continue  # nothing to compare, or the value was taken from that source: no second opinion
            if _same(
                own.value, other.value, amount=name in ("amount_without_tax", "tax_amount", "total_with_tax")
            ):
                _boost(own, SOURCE_AGREES)
            else:
                _cap(own, DISAGREES_CAP)
    kind, qr_kind = doc.fields.get("invoice_kind"), value(doc, "qr.kind")
    if kind is not None and kind.value and qr_kind is not None:
        if kinds_agree(kind.value, qr_kind):
            _boost(kind, SOURCE_AGREES)
        else:
            _cap(kind, DISAGREES_CAP)
    qr_amount = to_decimal(value(doc, "qr.amount"))
    if qr_amount is not None:
        for name in ("amount_without_tax", "total_with_tax"):
            if field_decimal(doc.fields, name) == qr_amount:
                _boost(doc.fields.get(name), SOURCE_AGREES)
                break


def _identities(doc: ExtractedDocument) -> None:
    f = doc.fields
    amount, tax, total = (field_decimal(f, n) for n in ("amount_without_tax", "tax_amount", "total_with_tax"))
    if amount is not None and tax is not None and total is not None and amount + tax == total:
        for name in ("amount_without_tax", "tax_amount", "total_with_tax"):
            _boost(f.get(name), CHECK_HOLDS)
    words = value(doc, "total_in_words")
    if words is not None and total is not None:
        try:
            if amount_words.parse(words) == total:
                _boost(f.get("total_in_words"), CHECK_HOLDS)
                _boost(f.get("total_with_tax"), CHECK_HOLDS)
        except FieldInvalid:
            pass
    for name in ("buyer_tax_id", "seller_tax_id"):
        number = value(doc, name)
        if number is not None and len(number) == 18 and taxpayer_id.is_valid(number):
            _boost(f.get(name), CHECK_HOLDS)  # a misread breaks the check character 30 times in 31
    _structure(doc)


def _structure(doc: ExtractedDocument) -> None:
    f = doc.fields
    code, number, kind, issued = (
        value(doc, n) for n in ("invoice_code", "invoice_number", "invoice_kind", "issue_date")
    )
    year = int(issued[:4]) if issued and issued[:4].isdigit() else None
    if code is not None and invoice_code.is_valid(code) and year is not None:
        if invoice_code.get_kind(code) == kind and invoice_code.get_year(code) <= year:
            _boost(f.get("invoice_code"), STRUCTURE_HOLDS)
    if (
        number is not None
        and invoice_number.is_fully_digital(number)
        and invoice_number.get_year(number) == year
    ):
        _boost(f.get("invoice_number"), STRUCTURE_HOLDS)
        _boost(f.get("issue_date"), STRUCTURE_HOLDS)


def _line(item: dict[str, ExtractedField]) -> None:
    amount, tax = (to_decimal(item[k].value) if k in item else None for k in ("amount", "tax"))
    qty, price = (to_decimal(item[k].value) if k in item else None for k in ("quantity", "price"))
    if amount is not None and qty is not None and price is not None:
        if abs(qty * price - amount) <= max(_CENT, abs(amount) * Decimal("1e-6")):
            for key in ("quantity", "price", "amount"):
                _boost(item.get(key), CHECK_HOLDS)
    rate = rate_of(item["tax_rate"].value) if "tax_rate" in item and item["tax_rate"].value else None
    if rate is not None and amount is not None and tax is not None:
        if (amount * rate).quantize(_CENT, rounding=ROUND_HALF_UP) == tax and (tax != 0 or rate == 0):
            _boost(item.get("tax"), CHECK_HOLDS)
            _boost(item.get("tax_rate"), CHECK_HOLDS)


def _items_sum(doc: ExtractedDocument) -> None:
    if not doc.items:
        return
    for key, total_name in (("amount", "amount_without_tax"), ("tax", "tax_amount")):
        parts = [to_decimal(i[key].value) if key in i else None for i in doc.items]
        total = field_decimal(doc.fields, total_name)
        if total is None or any(p is None for p in parts):
            continue
        if sum((p for p in parts if p is not None), Decimal("0.00")) == total:
            _boost(doc.fields.get(total_name), CHECK_HOLDS)
            for item in doc.items:
                _boost(item.get(key), CHECK_HOLDS)
