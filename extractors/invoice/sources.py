"""Second sources of invoice values: the QR code (domain.md §1.7) and the data an OFD file embeds
(invoice XML, CustomTags, CustomData).

Their values are kept as their own fields (``qr.<name>``, ``embedded.<name>``) so the validators can compare
them with what is printed; a value the page does not show is taken from them (source QR_CODE / OFD).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from extractors.text.patterns import iso_date, money
from idp.models import ExtractedField, FieldSource, PageText

#: Confidence of a decoded QR value (error-corrected, so exact when it decodes at all).
QR_CONFIDENCE = 0.99
#: Confidence of a value the file carries as data (the issuer's own record).
EMBEDDED_CONFIDENCE = 0.99
_QR = re.compile(
    r"^\s*0\d,(\d{2}),(\d{10}|\d{12})?,(\d{8}|\d{20}),(-?\d+(?:\.\d+)?),(\d{8}),(\d{20})?(?:,|$)"
)
#: ofdkit's flattened keys (and CustomData names) → our field names.
_EMBEDDED_KEYS = {
    "invoice_number": ("invoice_number", "custom.发票号码"),
    "invoice_code": ("invoice_code", "custom.发票代码"),
    "issue_date": ("issue_date", "custom.开票日期"),
    "check_code": ("check_code", "custom.校验码"),
    "machine_no": ("machine_number", "custom.机器编号"),
    "buyer_name": ("buyer.name", "custom.购买方名称"),
    "buyer_tax_id": ("buyer.tax_id", "custom.购买方纳税人识别号"),
    "buyer_address_phone": ("buyer.address_phone",),
    "buyer_bank_account": ("buyer.bank_account",),
    "seller_name": ("seller.name", "custom.销售方名称"),
    "seller_tax_id": ("seller.tax_id", "custom.销售方纳税人识别号"),
    "seller_address_phone": ("seller.address_phone",),
    "seller_bank_account": ("seller.bank_account",),
    "amount_without_tax": ("amount_without_tax", "custom.合计金额"),
    "tax_amount": ("tax_amount", "custom.合计税额"),
    "total_with_tax": ("total_amount", "custom.价税合计"),
    "drawer": ("issuer",),
    "payee": ("payee",),
    "reviewer": ("reviewer",),
    "remarks": ("note", "remark", "remarks"),
}
_AMOUNTS = frozenset({"amount_without_tax", "tax_amount", "total_with_tax"})
_ITEM_KEYS = {
    "name": "name",
    "specification": "spec",
    "spec": "spec",
    "unit": "unit",
    "quantity": "quantity",
    "unit_price": "price",
    "price": "price",
    "amount": "amount",
    "tax_rate": "tax_rate",
    "tax_amount": "tax",
    "tax": "tax",
}
_ITEM = re.compile(r"^items\.(\d+)\.(\w+)$")


def qr_fields(pages: list[PageText]) -> dict[str, ExtractedField]:
    """``qr.kind``, ``qr.invoice_code``, ``qr.invoice_number``, ``qr.amount``, ``qr.issue_date``,
    ``qr.check_code`` from the first invoice QR payload on the pages (empty without one)."""
    for page in pages:
        for code in page.codes:
            m = _QR.match(code.text)
            if not m:
                continue
            kind, inv_code, number, amount, day, check = m.groups()
            values = {
                "qr.kind": kind,
                "qr.invoice_code": inv_code,
                "qr.invoice_number": number,
                "qr.amount": amount,
                "qr.issue_date": iso_date(f"{day[:4]}-{day[4:6]}-{day[6:]}"),
                "qr.check_code": check,
            }
            return {
                name: ExtractedField(
                    name=name,
                    value=value,
                    confidence=QR_CONFIDENCE,
                    page=page.page_no,
                    bbox=code.bbox,
                    source=FieldSource.QR_CODE,
                    raw=code.text,
                )
                for name, value in values.items()
                if value
            }
    return {}


def embedded_fields(
    pages: list[PageText],
) -> tuple[dict[str, ExtractedField], list[dict[str, ExtractedField]]]:
    """Header fields (as ``embedded.<name>``) and line items the file carries as data."""
    data: dict[str, str] = {}
    page_no = None
    for page in pages:
        if page.embedded_fields:
            data, page_no = page.embedded_fields, page.page_no
            break
    if not data:
        return {}, []
    fields: dict[str, ExtractedField] = {}
    for name, keys in _EMBEDDED_KEYS.items():
        raw = next((data[k] for k in keys if data.get(k)), None)
        value = _normal(name, raw)
        if value:
            fields[f"embedded.{name}"] = ExtractedField(
                name=f"embedded.{name}",
                value=value,
                confidence=EMBEDDED_CONFIDENCE,
                page=page_no,
                source=FieldSource.OFD,
                raw=raw,
            )
    items: dict[int, dict[str, ExtractedField]] = {}
    for key, raw in data.items():
        m = _ITEM.match(key)
        if not m or m.group(2) not in _ITEM_KEYS:
            continue
        name = _ITEM_KEYS[m.group(2)]
        value = money(raw) if name in ("amount", "tax") else raw.strip()
        items.setdefault(int(m.group(1)), {})[name] = ExtractedField(
            name=name,
            value=value,
            confidence=EMBEDDED_CONFIDENCE,
            page=page_no,
            source=FieldSource.OFD,
            raw=raw,
        )
    return fields, [items[i] for i in sorted(items)]


def _normal(name: str, raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    if name in _AMOUNTS:
        return money(raw)
    if name == "issue_date":
        return iso_date(raw)
    if name in ("invoice_number", "invoice_code", "check_code", "machine_no") or name.endswith("tax_id"):
        return "".join(raw.split()).upper()
    return " ".join(raw.split())


def merge(fields: dict[str, ExtractedField], second: dict[str, ExtractedField]) -> None:
    """Add the second-source fields, and fill each field the page lacks from its second source."""
    fields.update(second)
    for name, field in second.items():
        own = name.split(".", 1)[1]
        if own in ("kind", "amount"):
            continue  # the QR kind/amount have no single printed twin
        if own not in fields or not fields[own].value:
            fields[own] = field.model_copy(update={"name": own})


def merge_items(
    printed: list[dict[str, ExtractedField]], embedded: list[dict[str, ExtractedField]]
) -> list[dict[str, ExtractedField]]:
    """The printed items, corroborated by the embedded ones; embedded ones when the page's are incomplete."""
    if not embedded:
        return printed
    if len(printed) != len(embedded):
        return embedded
    out = []
    for own, data in zip(printed, embedded, strict=True):
        item = dict(own)
        for key, field in data.items():
            mine = item.get(key)
            if mine is None or not mine.value:
                item[key] = field
            elif _same(key, mine.value, field.value):
                item[key] = mine.model_copy(update={"confidence": max(mine.confidence, 0.995)})
            else:
                item[key] = mine.model_copy(update={"confidence": min(mine.confidence, 0.5)})
        out.append(item)
    return out


def _same(key: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    if key in ("quantity", "price", "amount", "tax"):
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return "".join(a.split()).replace("（", "(").replace("）", ")") == "".join(b.split()).replace(
        "（", "("
    ).replace("）", ")")
