"""One document's confidences, calibrated: the second sources inside the file, the arithmetic of its schema's
constraints, then a cap on every value a finding casts doubt on."""

from __future__ import annotations

from collections.abc import Iterable

from idp.models import Confirmation, ExtractedDocument, Finding, Severity
from idp.models.schema.invoice_kinds import printed_twice
from validators import invoice_code, invoice_number
from validators.confirmation.arithmetic import confirm_arithmetic
from validators.confirmation.core import ERROR_CAP, SOURCE_AGREES, STRUCTURE_HOLDS, SUSPECT_CAP, boost, cap, confirm
from validators.confirmation.sources import confirm_sources

#: Warnings that cast doubt on the values they name (others, e.g. red_letter, are about the document).
_SUSPECT_WARNINGS = frozenset(
    {
        "taxpayer_id.checksum",
        "invoice.line_tax",
        "invoice.line_amount",
        "invoice.kind_mismatch",
        "invoice.region_mismatch",
        "invoice.machine_no_format",
        "invoice.check_code_unexpected",
    }
)


def calibrate(doc: ExtractedDocument, findings: Iterable[Finding]) -> ExtractedDocument:
    """A copy of ``doc`` whose field confidences include source agreement and the checks' outcomes."""
    out = doc.model_copy(deep=True)
    confirm_sources(out)
    confirm_arithmetic(out)
    _structure(out)
    for f in findings:
        if f.severity == Severity.ERROR:
            ceiling = ERROR_CAP
        elif f.rule_id in _SUSPECT_WARNINGS:
            ceiling = SUSPECT_CAP
        else:
            continue
        for name in f.fields:
            cap(out.field(name), ceiling)
    return out


def _structure(doc: ExtractedDocument) -> None:
    """An invoice code whose kind and year fit the invoice, a 数电 number whose year is the issue year: weaker
    than a confirmation (a structure can fit by chance), so a boost without a ``confirmed_by`` entry."""
    f = doc.fields
    code, number, kind, issued = (
        doc.value(n) for n in ("invoice_code", "invoice_number", "invoice_kind", "issue_date")
    )
    year = int(issued[:4]) if issued and issued[:4].isdigit() else None
    if code is not None and invoice_code.is_valid(code) and year is not None:
        if invoice_code.get_kind(code) == kind and invoice_code.get_year(code) <= year:
            boost(f.get("invoice_code"), STRUCTURE_HOLDS)
    if number is not None and invoice_number.is_fully_digital(number) and invoice_number.get_year(number) == year:
        boost(f.get("invoice_number"), STRUCTURE_HOLDS)
        boost(f.get("issue_date"), STRUCTURE_HOLDS)
    if kind is not None and printed_twice(doc.value("invoice_title"), code) == kind:
        confirm(f.get("invoice_kind"), Confirmation.REPRINTED, f"发票名称与发票代码 {code} 所示种类一致",
                SOURCE_AGREES)
