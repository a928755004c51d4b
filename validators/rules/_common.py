"""Small helpers shared by the rule families: reading field values as Decimals and building findings."""

from __future__ import annotations

import re
from decimal import Decimal

from idp.models import ExtractedDocument, ExtractedField, Finding, Severity
from idp.models.schema.values import parse_decimal

_CURRENCY = re.compile(r"[¥￥]")


def to_decimal(value: str | None) -> Decimal | None:
    """An amount or quantity as printed, at its own precision (``"734.59"``, ``"-2.92"``, ``"¥1,000.00"``,
    ``"52.708738"``); the schema's parsers read it, so rules and extractors agree on every value."""
    if value is None:
        return None
    return parse_decimal(_CURRENCY.sub("", value))


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
