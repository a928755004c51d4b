"""What a PDF file's structure says about its history (metadata, incremental saves, fonts of the amounts).

Filled by ``extractors.readers.pdf_forensics`` from the file itself (a ``PageText`` cannot tell), turned into
findings by ``validators.rules.pdf_forensics``: signs of editing are for a person to judge, not a verdict.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class OddRun(BaseModel):
    """An amount printed in a font the other amounts do not use."""

    page: int
    text: str
    font: str


class PdfForensics(BaseModel):
    producer: str | None = None
    creator: str | None = None
    creation_date: str | None = Field(default=None, description="ISO 8601 when parseable, else as stored")
    mod_date: str | None = None
    pages: int = 0
    eof_markers: int = Field(default=0, description="number of %%EOF markers (1 for a file saved once)")
    xref_sections: int = Field(default=0, description="startxref entries (a linearized file has 2)")
    linearized: bool = False
    incremental_updates: int = Field(default=0, description="saves appended after the first")
    amount_fonts: dict[str, int] = Field(default_factory=dict, description="font → amounts printed in it")
    odd_amounts: list[OddRun] = Field(default_factory=list)
    signed: bool = Field(default=False, description="the file carries a digital signature (/ByteRange)")
