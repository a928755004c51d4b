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


class PageText(BaseModel):
    """One page's text, in reading order, with normalised boxes."""

    page_no: int = Field(ge=1)
    width: float = Field(gt=0, description="page width in the reader's units (points or pixels)")
    height: float = Field(gt=0)
    source: TextSource
    lines: list[TextLine] = Field(default_factory=list)
    rotation_applied: int = 0
    preprocessing: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
