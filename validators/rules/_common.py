"""Small helpers shared by the rule families: reading field values as Decimals and building findings."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from idp.models import ExtractedDocument, ExtractedField, Finding, Severity

_MONEY_NOISE = re.compile(r"[¥￥,，\s]")


def to_decimal(value: str | None) -> Decimal | None:
    """Parse an amount (``"734.59"``, ``"-2.92"``, ``"¥1,000.00"``); None if absent or not a number."""
    if value is None:
        return None
    text = _MONEY_NOISE.sub("", value).replace("−", "-").replace("－", "-")
    try:
        result = Decimal(text)
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def field_decimal(fields: dict[str, ExtractedField], name: str) -> Decimal | None:
    """The Decimal value of ``fields[name]``, or None."""
    field = fields.get(name)
    return to_decimal(field.value) if field else None


def value(doc: ExtractedDocument, name: str) -> str | None:
    """The normalised value of a header field, stripped; None when absent or blank."""
    raw = doc.value(name)
    return raw.strip() or None if raw is not None else None


def finding(
    rule_id: str,
    severity: Severity,
    message: str,
    values: dict[str, object | None],
    fields: list[str] | None = None,
) -> Finding:
    """Build a Finding whose ``values`` are rendered as strings (Decimals keep their places)."""
    return Finding(
        rule_id=rule_id,
        severity=severity,
        message=message,
        fields=list(fields if fields is not None else values),
        values={k: None if v is None else str(v) for k, v in values.items()},
    )
