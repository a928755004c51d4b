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


class Confirmation(StrEnum):
    """An independent source that repeats or proves a value (``ExtractedField.confirmed_by``).

    A value read once (a text layer, OCR) is only as good as its reader; each confirmation is a second,
    independent reason to believe it. An OCR value with none may not pass straight through.
    """

    QR_CODE = "qr_code"  #: the invoice's QR code carries the same value
    EMBEDDED = "embedded"  #: the e-invoice file's embedded data (OFD XML) carries it
    ARITHMETIC = "arithmetic"  #: an identity holds (Σ lines = total, 大写 = 小写, running balance, check digit)
    OTHER_DOCUMENT = "other_document"  #: another document of the application states the same value
    TAX_AUTHORITY = "tax_authority"  #: the tax authority's record of the invoice repeats it
    REGISTRY = "registry"  #: the business registry holds it for that company
    APPLICATION = "application"  #: the lending system's application states it
    REPRINTED = "reprinted"  #: the document prints it a second time, elsewhere, and that print reads the same
    HUMAN = "human"  #: a person checked it


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
        default_factory=list,
        description="independent sources that repeat or prove this value (Confirmation values, e.g. tax_authority)",
    )
    evidence: list[str] = Field(
        default_factory=list,
        description="why this value was chosen among the candidates (label, relation, constraints it satisfies)",
    )

    def confirm(self, source: Confirmation | str, why: str | None = None) -> None:
        """Record an independent confirmation (once), and why, in the field's evidence."""
        if str(source) not in self.confirmed_by:
            self.confirmed_by.append(str(source))
        if why and why not in self.evidence:
            self.evidence.append(why)

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_by)


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

    def field(self, name: str) -> ExtractedField | None:
        """A header field, or a line-item field named ``items[3].amount``."""
        if name.startswith("items[") and "]." in name:
            index, key = name[6:].split("].", 1)
            if index.isdigit() and int(index) < len(self.items):
                return self.items[int(index)].get(key)
            return None
        return self.fields.get(name)
