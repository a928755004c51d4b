"""A statement's producer: an office suite or PDF editor is a sign of editing; the libraries banks' own systems
export with are not (a statement exported with iText was held as edited)."""

from __future__ import annotations

import pytest

from idp.models import PdfForensics
from validators.rules import pdf_forensics


@pytest.mark.parametrize("creator", ["iText 2.1.7", "iText® 5.5.13 ©2000-2020 iText Group NV", "JasperReports",
                                     "PDFsharp 1.50", "ReportLab PDF Library", "BOCOM-EBANK"])
def test_a_bank_systems_export_library_is_no_sign_of_editing(creator: str):
    assert pdf_forensics.check(PdfForensics(producer=creator, creator=creator)) == []


@pytest.mark.parametrize("creator", ["Microsoft® Word 2016", "WPS 文字", "Foxit PhantomPDF", "Adobe Acrobat Pro DC",
                                     "福昕高级PDF编辑器"])
def test_an_office_suite_or_pdf_editor_is_a_sign(creator: str):
    assert [f.rule_id for f in pdf_forensics.check(PdfForensics(creator=creator))] == ["pdf.producer_not_bank"]
