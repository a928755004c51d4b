"""A case file: everything cross-validation looks at for one application, in one immutable value."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from idp.models.application import Borrower, Period
from idp.models.authority import CompanyRecord, VerificationOutcome
from idp.models.fields import DocumentKind, ExtractedDocument


class CaseDocument(BaseModel):
    id: str
    filename: str
    extraction: ExtractedDocument

    @property
    def kind(self) -> DocumentKind:
        return self.extraction.kind


class CaseFile(BaseModel):
    """The application, its read documents, and what the authorities answered about them."""

    borrower: Borrower
    product: str = ""
    requested_amount: Decimal | None = None
    statement_period: Period | None = None
    documents: list[CaseDocument] = Field(default_factory=list)
    #: 发票查验 answers by document id (absent: not checked)
    verifications: dict[str, VerificationOutcome] = Field(default_factory=dict)
    #: 工商 records by USCC; None means the registry has no such company (absent: not looked up)
    companies: dict[str, CompanyRecord | None] = Field(default_factory=dict)
    #: other applications holding the same invoice, by document id
    duplicates: dict[str, list[str]] = Field(default_factory=dict)

    def of_kind(self, kind: DocumentKind) -> list[CaseDocument]:
        return [d for d in self.documents if d.kind == kind]
