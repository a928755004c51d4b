"""``PageText``: the only thing extractors see of a page (text with boxes), never where it came from."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from idp.models.geometry import BBox


class TextSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OFD = "ofd"
    OCR = "ocr"


class Word(BaseModel):
    text: str
    bbox: BBox
    confidence: float = Field(default=1.0, ge=0, le=1)


class TextLine(BaseModel):
    text: str
    bbox: BBox
    confidence: float = Field(default=1.0, ge=0, le=1)
    words: list[Word] = Field(default_factory=list)


class Barcode(BaseModel):
    """A QR or other code decoded from the page image: an independent second source of key fields."""

    format: str = Field(description="e.g. QRCode, PDF417")
    text: str
    bbox: BBox | None = None


class MarkKind(StrEnum):
    SEAL = "seal"  #: a red stamp (公章, 合同专用章, 发票专用章)
    SIGNATURE = "signature"  #: handwriting or a signature block
    RULE = "rule"  #: a ruling line drawn on the page (a table border); its box is the thin line's


class Mark(BaseModel):
    """A non-text mark found on the page image (presence only: authenticity is a person's call)."""

    kind: MarkKind
    bbox: BBox
    confidence: float = Field(ge=0, le=1)
    text: str | None = Field(default=None, description="text read inside the mark, e.g. a seal's company name")


class PageText(BaseModel):
    """One page's text, in reading order, with normalised boxes."""

    page_no: int = Field(ge=1)
    width: float = Field(gt=0, description="page width in the reader's units (points or pixels)")
    height: float = Field(gt=0)
    source: TextSource
    lines: list[TextLine] = Field(default_factory=list)
    rotation_applied: int = 0
    preprocessing: list[str] = Field(default_factory=list)
    codes: list[Barcode] = Field(default_factory=list)
    marks: list[Mark] = Field(default_factory=list)
    #: Fields the file carries in machine-readable form (OFD invoice XML, CustomTags/CustomData), by their own key.
    embedded_fields: dict[str, str] = Field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
