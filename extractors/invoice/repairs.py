"""Repairs of line items read by OCR, each accepted only when the line's own arithmetic confirms it (§2.1):
quantity and price read as one number, a lost decimal point, a lost quantity or tax rate.

A repair that more than one reading would satisfy is not made: the row stays as read and the checks flag it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from idp.models import ExtractedField, FieldSource

Item = dict[str, ExtractedField]
#: Confidence of a value worked out from the others (not printed where expected, or not read).
_DERIVED_CONFIDENCE = 0.8
_CENT = Decimal("0.01")


def repair(item: Item) -> None:
    """Apply every repair the row needs, in order (a split quantity may then confirm a lost point)."""
    _split_merged(item)
    _derive_quantity(item)
    _restore_points(item)
    _derive_rate(item)


def _split_merged(item: Item) -> None:
    """Quantity and unit price read as one number ("33" + "674.4854369" → "33674.4854369"): the one split
    whose product is the line amount (§2.1 tolerance) recovers both; none or several leave the row as read."""
    present = [k for k in ("quantity", "price") if k in item and (item[k].raw or "").strip()]
    amount = _to_decimal(item["amount"].value) if "amount" in item else None
    if len(present) != 1 or amount is None or amount == 0:
        return
    merged = item[present[0]]
    if present == ["price"] and _whole_quantity(_to_decimal(merged.value), amount) is not None:
        return  # a complete price whose quantity was lost ("3790.044248", 8 lost): never cut the price
    raw = re.sub(r"[\s¥￥]", "", merged.raw or "")
    fits = {fit for text in {raw.replace(",", ""), raw.replace(",", ".")} for fit in _splits(text, amount)}
    if len(fits) != 1:
        return
    for key, value in zip(("quantity", "price"), fits.pop(), strict=True):
        item[key] = merged.model_copy(update={"name": key, "value": value})


def _splits(raw: str, amount: Decimal) -> list[tuple[str, str]]:
    """Every way to cut ``raw`` into a quantity and a unit price whose product is ``amount``."""
    if not re.fullmatch(r"-?[\d.]+", raw):
        return []
    text, sign = raw.lstrip("-"), "-" if raw.startswith("-") else ""
    fits = []
    for i in range(1, len(text)):
        head, tail = text[:i], text[i:]
        if head.endswith(".") or tail.startswith(".") or (tail[0] == "0" and tail[1:2] != "."):
            continue
        qty, price = _to_decimal(sign + head), _to_decimal(tail)
        if qty is None or price is None:
            continue
        if _fits(qty * price, amount):
            fits.append((sign + head, tail))
    return fits


def _derive_quantity(item: Item) -> None:
    """A whole quantity the reader missed (a lone "1" is easily lost), from amount / unit price."""
    if "quantity" in item or "price" not in item or "amount" not in item:
        return
    quantity = _whole_quantity(_to_decimal(item["price"].value), _to_decimal(item["amount"].value))
    if quantity is not None:
        item["quantity"] = ExtractedField(
            name="quantity",
            value=str(quantity),
            confidence=min(_DERIVED_CONFIDENCE, item["price"].confidence),
            page=item["price"].page,
            source=FieldSource.DERIVED,
            raw=None,
        )


def _fits(product: Decimal, amount: Decimal) -> bool:
    """quantity × price = amount within the rounding of a printed unit price (§2.1)."""
    return abs(product - amount) <= max(Decimal("0.01"), abs(amount) * Decimal("1e-6"))


def _whole_quantity(price: Decimal | None, amount: Decimal | None) -> int | None:
    """The whole quantity that, times ``price``, makes ``amount`` (prices are printed rounded), or None."""
    if not price or amount is None:
        return None
    quantity = int((amount / price).to_integral_value())
    return quantity if quantity != 0 and _fits(quantity * price, amount) else None


def _to_decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


#: Rates a lost rate may be worked out as (tax / amount), current and historical (domain.md §2.5).
_RATES = ("13", "9", "6", "5", "3", "1", "17", "16", "11", "10", "1.5", "0.5")


def _derive_rate(item: Item) -> None:
    """A rate the reader lost, from tax / amount when exactly one legal rate gives the printed tax."""
    amount = _to_decimal(item["amount"].value) if "amount" in item else None
    tax = _to_decimal(item["tax"].value) if "tax" in item else None
    if "tax_rate" in item or not amount or tax is None:
        return
    fits = [
        r
        for r in _RATES
        if abs((amount * Decimal(r) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) - tax) <= Decimal("0.01")
    ]
    if len(fits) == 1:
        item["tax_rate"] = ExtractedField(
            name="tax_rate",
            value=f"{fits[0]}%",
            page=item["tax"].page,
            confidence=min(_DERIVED_CONFIDENCE, item["tax"].confidence),
            source=FieldSource.DERIVED,
        )


def _restore_points(item: Item) -> None:
    """An amount or tax whose decimal point was lost ("2230619" for 22306.19): put back when the digits are
    exactly those of quantity × price (or amount × rate); any other misread is left for the checks."""
    qty, price = (_to_decimal(item[k].value) if k in item else None for k in ("quantity", "price"))
    amount = _to_decimal(item["amount"].value) if "amount" in item else None
    if qty and price is not None and amount is not None and "price" in item:
        _restore_price(item, qty, amount)
        price = _to_decimal(item["price"].value)
    if qty is not None and price is not None:
        _restore(item, "amount", qty * price)
    amount, rate = _to_decimal(item["amount"].value) if "amount" in item else None, _rate(item)
    if amount is not None and rate is not None:
        _restore(item, "tax", amount * rate)


def _rate(item: Item) -> Decimal | None:
    text = (item["tax_rate"].value or "") if "tax_rate" in item else ""
    number = _to_decimal(text.rstrip("%")) if text.endswith("%") else None
    return number / 100 if number is not None else None


def _restore_price(item: Item, qty: Decimal, amount: Decimal) -> None:
    """A unit price printed with up to 8 decimals whose point was lost: the one place that fits the amount."""
    field = item["price"]
    raw = (field.raw or "").strip()
    if not raw.isdigit() or abs(qty * Decimal(raw) - amount) <= Decimal("0.01"):
        return
    fits = [
        f"{raw[:i]}.{raw[i:]}"
        for i in range(1, len(raw))
        if abs(qty * Decimal(f"{raw[:i]}.{raw[i:]}") - amount)
        <= max(Decimal("0.01"), abs(amount) * Decimal("1e-6"))
    ]
    if len(fits) == 1:
        item["price"] = field.model_copy(update={"value": fits[0]})


def _restore(item: Item, key: str, product: Decimal) -> None:
    field = item.get(key)
    raw = re.sub(r"[\s¥￥,]", "", field.raw or "") if field is not None else ""
    if field is None or not raw.lstrip("-").isdigit():
        return
    expected = product.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if str(expected).replace(".", "") == raw and str(expected) != field.value:
        item[key] = field.model_copy(update={"value": str(expected)})
