"""Shared helpers of the cross-document rule families: reading typed values out of extractions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from idp.models import ExtractedDocument, Finding, Severity
from idp.models.case import CaseDocument
from idp.models.schema.values import parse_date, parse_money


def text(doc: ExtractedDocument, name: str) -> str | None:
    value = doc.value(name)
    return value.strip() if value and value.strip() else None


def money(value: str | None) -> Decimal | None:
    """An amount as the schema reads money."""
    return parse_money(value)


def day(value: str | None) -> date | None:
    """A date as the schema reads dates."""
    return parse_date(value)


def tax_id(doc: ExtractedDocument, name: str) -> str | None:
    value = text(doc, name)
    return value.upper().replace(" ", "") if value else None


def finding(rule_id: str, severity: Severity, message: str, docs: list[CaseDocument], *,
            fields: list[str] | None = None, values: dict[str, str | None] | None = None) -> Finding:
    """A cross-document finding naming every document involved (the first one owns it)."""
    return Finding(rule_id=rule_id, severity=severity, message=message, fields=fields or [],
                   values=values or {}, document_id=docs[0].id if docs else None, documents=[d.id for d in docs])


def invoice_total(doc: ExtractedDocument) -> Decimal | None:
    return money(text(doc, "total_with_tax"))
