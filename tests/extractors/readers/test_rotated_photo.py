"""A low-resolution phone photo of curled continuous-feed paper, turned a quarter, reads its header and parties
(the failure class: date, tax, 大写 and buyer tax id missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.readers.dispatch import read_document
from idp.synth.invoice_families import FAMILIES, family_invoice, family_truth
from idp.synth.invoice_set import write_invoice


@pytest.mark.parametrize(("kind", "seed"), [("01", 11000), ("04", 11001)])
def test_a_rotated_low_resolution_photo_reads_its_header_and_parties(tmp_path: Path, kind: str, seed: int):
    invoice = family_invoice(FAMILIES["paper"], kind, seed)
    path = write_invoice(tmp_path, "photo", invoice, "photo_rotated")
    truth = family_truth(invoice, path.name)
    (page,) = read_document(path)
    assert "rotate_90" in page.preprocessing and page.rotation_applied in (90, 270)
    doc = VatInvoiceExtractor().extract([page])
    for key in ("invoice_number", "issue_date", "total_with_tax"):
        assert doc.value(key) == truth[key], key
    assert doc.value("invoice_kind") == kind
    for role in ("buyer", "seller"):
        assert doc.value(f"{role}_tax_id") == truth[role]["tax_id"], role  # type: ignore[index]
