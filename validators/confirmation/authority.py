"""The tax authority's record of an invoice as a second source for the values read from it.

发票查验 answers with the invoice as the tax system holds it. A value read from a scan or a photo that the
record repeats exactly is as sure as one a QR code repeats, so its error chance is divided the same way
(:data:`validators.confirmation.core.SOURCE_AGREES`). Without this, every OCR'd invoice would wait for a person even
when the authority has confirmed every figure on it. Only exact agreement counts (names compared without
spaces and bracket width, amounts as Decimal, dates as dates): a near match confirms nothing, and a
difference is the business of ``authority.invoice_authority_mismatch``, never of this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from idp.models import Confirmation, ExtractedDocument, ExtractedField, Finding, Severity
from idp.models.authority import TaxInvoiceRecord
from validators import amount_words
from validators.confirmation.core import SOURCE_AGREES, SUSPECT_CAP
from validators.confirmation.core import confirm as confirm_once
from validators.rules._common import to_decimal
from validators.rules.invoice_sources import kinds_agree

#: The name this source goes by in ``ExtractedField.confirmed_by``.
TAX_AUTHORITY = str(Confirmation.TAX_AUTHORITY)
_BRACKETS = str.maketrans({"（": "(", "）": ")"})


def _text(value: object) -> str:
    return re.sub(r"\s+", "", str(value)).translate(_BRACKETS).upper()


def _same_text(read: str, recorded: object) -> bool:
    return _text(read) == _text(recorded)


def _same_money(read: str, recorded: object) -> bool:
    amount = to_decimal(read)
    return amount is not None and amount == Decimal(str(recorded))


def _same_day(read: str, recorded: object) -> bool:
    return isinstance(recorded, date) and read.strip()[:10] == recorded.isoformat()


def _same_rate(read: str, recorded: object) -> bool:
    def norm(v: object) -> str:
        s = _text(v).rstrip("%")
        number = to_decimal(s)
        return s if number is None else str(number.normalize())

    return norm(read) == norm(recorded)


#: (field read from the invoice, attribute of the record, comparison)
_HEADER: tuple[tuple[str, str, Callable[[str, object], bool]], ...] = (
    ("invoice_code", "code", _same_text),
    ("invoice_number", "number", _same_text),
    ("issue_date", "issue_date", _same_day),
    ("check_code", "check_code", _same_text),
    ("machine_no", "machine_no", _same_text),
    ("buyer_name", "buyer_name", _same_text),
    ("buyer_tax_id", "buyer_tax_id", _same_text),
    ("seller_name", "seller_name", _same_text),
    ("seller_tax_id", "seller_tax_id", _same_text),
    ("amount_without_tax", "amount_without_tax", _same_money),
    ("tax_amount", "tax_amount", _same_money),
    ("total_with_tax", "total_with_tax", _same_money),
    ("remarks", "remark", _same_text),
)
#: (line-item key read, attribute of the record's item, comparison)
_ITEM: tuple[tuple[str, str, Callable[[str, object], bool]], ...] = (
    ("name", "name", _same_text),
    ("spec", "spec", _same_text),
    ("unit", "unit", _same_text),
    ("quantity", "quantity", _same_money),
    ("price", "unit_price", _same_money),
    ("amount", "amount", _same_money),
    ("tax_rate", "tax_rate", _same_rate),
    ("tax", "tax_amount", _same_money),
)


def confirm_by_record(
    doc: ExtractedDocument, record: TaxInvoiceRecord
) -> tuple[ExtractedDocument, list[str]]:
    """A copy of ``doc`` whose values the record repeats are boosted, and the names of those values
    (``items[i].key`` for line items). Line items are compared only when both sides list as many."""
    out = doc.model_copy(deep=True)
    confirmed: list[str] = []

    def confirm(
        name: str, field: ExtractedField | None, recorded: object, same: Callable[[str, object], bool]
    ) -> None:
        if field is None or not field.value or recorded in (None, "") or not same(field.value, recorded):
            return
        # confirmed once, however often the case is decided
        confirm_once(field, Confirmation.TAX_AUTHORITY, f"税务机关查验记录载明 {recorded}", SOURCE_AGREES)
        confirmed.append(name)

    for name, attr, same in _HEADER:
        confirm(name, out.fields.get(name), getattr(record, attr), same)
    words = out.fields.get("total_in_words")
    if (
        "total_with_tax" in confirmed
        and words is not None
        and words.value
        and record.total_with_tax is not None
    ):
        if amount_words.is_valid(words.value):
            confirm("total_in_words", words, record.total_with_tax, lambda w, t: amount_words.parse(w) == t)
    _confirm_kind(out, record, confirmed)
    if record.items and len(record.items) == len(out.items):
        for index, (item, recorded_item) in enumerate(zip(out.items, record.items, strict=True)):
            for key, attr, same in _ITEM:
                confirm(f"items[{index}].{key}", item.get(key), getattr(recorded_item, attr), same)
    return out, confirmed


def _confirm_kind(doc: ExtractedDocument, record: TaxInvoiceRecord, confirmed: list[str]) -> None:
    """The kind, when the record states it; when it does not, a 数电 kind (31/32) once the record has confirmed
    the invoice's 20-digit number, date and seller: the authority holds a 数电票 under that number, and which
    of the two (专用/普通) is the title's word, the one thing the record leaves to the face."""
    field = doc.fields.get("invoice_kind")
    if field is None or not field.value:
        return
    if record.kind:
        if kinds_agree(field.value, record.kind):
            confirm_once(field, Confirmation.TAX_AUTHORITY, f"税务机关查验记录载明种类 {record.kind}", SOURCE_AGREES)
            confirmed.append("invoice_kind")
        return
    number = doc.value("invoice_number") or ""
    if field.value in ("31", "32") and len(number) == 20 and not doc.value("invoice_code") \
            and _IDENTITY <= set(confirmed):
        confirm_once(field, Confirmation.TAX_AUTHORITY,
                     f"税务机关查到号码 {number} 的数电发票(专用/普通以票面名称为准)", SOURCE_AGREES)
        confirmed.append("invoice_kind")


#: Rules that doubt an invoice's make-up (its code's region or year, its number's year, its machine number's form,
#: a check code where none belongs): the tax authority's record of that very invoice settles them.
STRUCTURAL_SUSPICIONS = frozenset({
    "invoice.region_mismatch", "invoice.code_year", "invoice.number_year", "invoice.machine_no_format",
    "invoice.check_code_unexpected",
})
#: What the record must have confirmed before it settles anything: the invoice's identity and its seller.
_IDENTITY = frozenset({"invoice_number", "issue_date", "seller_tax_id"})


def settle_suspicions(findings: list[Finding], confirmed: list[str], doc: ExtractedDocument | None = None) -> int:
    """Downgrade, in place, the structural suspicions about an invoice the authority's record confirmed (number,
    date and seller) to information, saying why; returns how many. The finding stays visible. The values such a
    finding capped and the record repeats keep only a suspicion's cap (the doubt was about the invoice's make-up,
    which the record settles, not about the reading), then the record's confirmation on top."""
    if not _IDENTITY <= set(confirmed):
        return 0
    settled = 0
    for f in findings:
        if f.rule_id in STRUCTURAL_SUSPICIONS and f.severity != Severity.INFO:
            f.severity = Severity.INFO
            f.message += "(税务机关查验记录已确认该发票的号码、日期与销售方,此疑点不再阻止直通)"
            settled += 1
            for name in f.fields if doc is not None else ():
                field = doc.fields.get(name)
                if name in confirmed and field is not None:
                    field.confidence = max(field.confidence, _SETTLED)
    return settled


#: A value a settled suspicion had capped, which the record repeats: a suspect value the authority confirmed.
_SETTLED = round(1 - (1 - SUSPECT_CAP) * SOURCE_AGREES, 6)
