"""Processing one file without any store: read → split into documents → extract → validate.

The pipeline (with the database and the queue around it) and the evaluation harness both call this, so what
is measured is exactly what runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from idp.models import DocumentKind, ExtractedDocument, Finding, PageText

logger = logging.getLogger(__name__)


@dataclass
class ProcessedDocument:
    """One document found in a file: its pages, class, fields and findings."""

    pages: list[PageText]
    kind: DocumentKind
    subtype: str | None
    class_confidence: float
    extraction: ExtractedDocument
    findings: list[Finding] = field(default_factory=list)

    @property
    def page_numbers(self) -> list[int]:
        return [p.page_no for p in self.pages]

    @property
    def page_span(self) -> tuple[int, int]:
        """First and last page of the document in its file (1-based, inclusive; spans are contiguous)."""
        return self.pages[0].page_no, self.pages[-1].page_no


def read_file(path: Path, content_type: str | None = None) -> list[PageText]:
    """Every page of a PDF, OFD or image file (raises InputRejected for what cannot be read)."""
    from extractors.readers.dispatch import read_document

    return read_document(path, content_type=content_type)


def extract_span(pages: list[PageText], kind: DocumentKind) -> ExtractedDocument:
    """The extractor registered for this kind, else the best scorer; UNKNOWN when every extractor declines."""
    from extractors import EXTRACTORS, pick

    by_kind = [e for e in EXTRACTORS.values() if getattr(e, "kind", None) == kind and e.score(pages) is not None]
    extractor = by_kind[0] if by_kind else pick(pages)
    if extractor is None:
        return ExtractedDocument(kind=DocumentKind.UNKNOWN, extractor="none")
    return extractor.extract(pages)


def process_pages(pages: list[PageText], *, now: datetime, max_age_days: int = 5 * 365) -> list[ProcessedDocument]:
    """Split the pages into documents and extract and check each one."""
    from extractors.classify import split_documents
    from validators import validate_document

    by_no = {p.page_no: p for p in pages}
    out: list[ProcessedDocument] = []
    for span in split_documents(pages):
        span_pages = [by_no[n] for n in span.pages]
        if span.kind in (DocumentKind.UNKNOWN, DocumentKind.OTHER):
            extraction = ExtractedDocument(kind=span.kind, extractor="none")
            findings: list[Finding] = []
        else:
            extraction, findings = validate_document(
                extract_span(span_pages, span.kind), now=now, max_age_days=max_age_days
            )
        out.append(ProcessedDocument(pages=span_pages, kind=extraction.kind, subtype=extraction.subtype or span.subtype,
                                     class_confidence=span.confidence, extraction=extraction, findings=findings))
    return out


def process_file(path: Path, *, now: datetime, content_type: str | None = None, max_age_days: int = 5 * 365,
                 pages: list[PageText] | None = None) -> list[ProcessedDocument]:
    """Every document in the file at ``path``, with the file's own forensics added.

    Args:
        path: the stored file (read unless ``pages`` is given; always opened for the forensics step).
        now: the clock for date checks (invoice age, contract expiry).
        content_type: the type the uploader claimed, a hint for the reader.
        max_age_days: oldest invoice accepted without a finding.
        pages: the file's pages when the caller has read them already (the pipeline checks them first).
    """
    if pages is None:
        pages = read_file(path, content_type)
    docs = process_pages(pages, now=now, max_age_days=max_age_days)
    _add_file_forensics(path, docs)
    return docs


def _add_file_forensics(path: Path, docs: list[ProcessedDocument]) -> None:
    """Signs of editing in the file itself (PDF metadata, incremental saves, mixed amount fonts): read once per
    PDF holding a bank statement, reported on each statement found in it."""
    statements = [d for d in docs if d.kind == DocumentKind.BANK_STATEMENT]
    if not statements:
        return
    with Path(path).open("rb") as fh:
        if b"%PDF-" not in fh.read(1024):
            return
    from extractors.readers.pdf_forensics import inspect_pdf
    from validators.rules import pdf_forensics

    findings = pdf_forensics.check(inspect_pdf(path))
    for doc in statements:
        doc.findings.extend(findings)
