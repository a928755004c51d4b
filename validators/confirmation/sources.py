"""Second sources inside the file: the invoice's QR code, the data an e-invoice file embeds (OFD XML), and a
value the page prints twice (a contract's signing date in its header and its signing blocks).

Each value the source repeats is confirmed by it; a value it contradicts is capped (the rules report the
disagreement). A value the extractor copied from the source (the page lacked it) is not a second opinion.
"""

from __future__ import annotations

from idp.models import Confirmation, ExtractedDocument, ExtractedField
from idp.models.schema import SECOND_SOURCES, field_spec
from idp.models.schema.values import parse_money
from validators.confirmation.core import CHECK_HOLDS, DISAGREES_CAP, SOURCE_AGREES, cap, confirm
from validators.rules.invoice_sources import kinds_agree

#: Prefix of the second source's fields → the confirmation it gives.
SOURCES = {"qr": Confirmation.QR_CODE, "embedded": Confirmation.EMBEDDED, "reprint": Confirmation.REPRINTED}
#: A second print read by the same reader is not an outside source: two misreads must agree for it to fail,
#: which an identity's factor prices, not a source's.
_FACTORS = {"reprint": CHECK_HOLDS}


def _copied_from(own: ExtractedField, other: ExtractedField) -> bool:
    return own.source == other.source and own.raw == other.raw and own.bbox == other.bbox


def confirm_sources(doc: ExtractedDocument) -> None:
    """Compare every field a second source carries with the printed one, in place."""
    kind = doc.kind.value
    for prefix, source in SOURCES.items():
        for key, other in list(doc.fields.items()):
            if not key.startswith(prefix + ".") or other.value in (None, ""):
                continue
            name = key.split(".", 1)[1]
            name = "invoice_kind" if name == "kind" else name
            own = doc.fields.get(name)
            spec = field_spec(name, kind)
            if own is None or not own.value or spec is None or _copied_from(own, other):
                continue
            agrees = kinds_agree(own.value, other.value) if name == "invoice_kind" else spec.same(own.value,
                                                                                                   other.value)
            if agrees:
                confirm(own, source, f"{SECOND_SOURCES[prefix]}载明相同的值 {other.value}",
                        _FACTORS.get(prefix, SOURCE_AGREES))
            else:
                cap(own, DISAGREES_CAP)
    qr_amount = parse_money(doc.value("qr.amount"))
    if qr_amount is not None:  # the QR amount is the net amount on 税控 invoices, the total on 数电票
        for name in ("amount_without_tax", "total_with_tax"):
            if parse_money(doc.value(name)) == qr_amount:
                confirm(doc.fields.get(name), Confirmation.QR_CODE, f"二维码金额 {qr_amount}", SOURCE_AGREES)
                break
