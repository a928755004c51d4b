"""Extracted values: each field carries its confidence and where on which page it was found."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from idp.models.geometry import BBox


class FieldSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OFD = "ofd"
    OCR = "ocr"
    QR_CODE = "qr_code"
    DERIVED = "derived"
    HUMAN = "human"


class DocumentKind(StrEnum):
    VAT_INVOICE = "vat_invoice"
    PURCHASE_CONTRACT = "purchase_contract"
    BANK_STATEMENT = "bank_statement"
    OTHER = "other"
    UNKNOWN = "unknown"


class ExtractedField(BaseModel):
    """One value read from a document. ``value`` is the normalised text form (amounts as plain decimals)."""

    name: str
    value: str | None
    confidence: float = Field(ge=0, le=1)
    page: int | None = None
    bbox: BBox | None = None
    source: FieldSource = FieldSource.TEXT_LAYER
    raw: str | None = Field(default=None, description="the text as printed, before normalisation")
    confirmed_by: list[str] = Field(
        default_factory=list, description="independent sources that repeat this value, e.g. tax_authority"
    )
    evidence: list[str] = Field(
        default_factory=list,
        description="why this value was chosen among the candidates (label, relation, constraints it satisfies)",
    )


class ExtractedDocument(BaseModel):
    """What an extractor returns: header fields by name and line items as rows of fields."""

    kind: DocumentKind
    subtype: str | None = None
    extractor: str
    fields: dict[str, ExtractedField] = Field(default_factory=dict)
    items: list[dict[str, ExtractedField]] = Field(default_factory=list)

    def value(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.value if f else None
