"""Per-document checks that need the application itself (e.g. the statement period the lender asked for)."""

from __future__ import annotations

from idp.models import Application, Document, DocumentKind
from validators.rules import statement_period


def add_findings(app: Application, docs: list[Document]) -> None:
    """Append, in place, the findings that compare a document with what the application claims."""
    if app.statement_period is None:
        return
    for doc in docs:
        if doc.kind == DocumentKind.BANK_STATEMENT and doc.extraction is not None:
            for finding in statement_period.check_period(doc.extraction, app.statement_period):
                finding.document_id = doc.id
                doc.findings.append(finding)
