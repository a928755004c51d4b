"""PDF forensics: a statement as the bank system wrote it shows nothing; the same file edited with an
incremental update (new metadata appended) or with one amount retyped in another font does."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.readers.pdf_forensics import inspect_pdf
from idp.synth.statement import write_sample
from queues.docproc import process_file
from validators.rules import pdf_forensics


def incremental_update(data: bytes, producer: str) -> bytes:
    """Append a new Info dictionary the way an editor saves incrementally: object, xref section, trailer
    pointing back to the previous xref with /Prev, a second %%EOF."""
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root = re.search(rb"/Root (\d+ \d+ R)", data)
    assert root is not None
    body = (
        f"{size} 0 obj\n<< /Producer ({producer}) /CreationDate (D:20240301100000) "
        f"/ModDate (D:20240415093000) >>\nendobj\n"
    ).encode()
    out = data + b"\n"
    offset = len(out)
    out += body
    xref = len(out)
    out += (
        f"xref\n{size} 1\n{offset:010d} 00000 n \ntrailer\n"
        f"<< /Size {size + 1} /Root {root.group(1).decode()} "
        f"/Info {size} 0 R /Prev {previous} >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample(tmp_path_factory.mktemp("stmt"), "clean", "icbc", 3)


def test_bank_export_shows_no_sign(clean: Path):
    report = inspect_pdf(clean)
    assert report.incremental_updates == 0 and report.eof_markers == 1
    assert len(report.amount_fonts) == 1 and not report.odd_amounts
    assert "电子对账系统" in (report.producer or "")
    assert pdf_forensics.check(report) == []


def test_incremental_update_is_reported(clean: Path, tmp_path: Path):
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(incremental_update(clean.read_bytes(), "Microsoft Word 2016"))
    report = inspect_pdf(edited)
    assert report.incremental_updates == 1 and report.eof_markers == 2
    assert report.producer == "Microsoft Word 2016"
    assert report.creation_date == "2024-03-01T10:00:00" and report.mod_date == "2024-04-15T09:30:00"
    rules = sorted(f.rule_id for f in pdf_forensics.check(report))
    assert rules == ["pdf.incremental_update", "pdf.modified_after_creation", "pdf.producer_not_bank"]


def test_retyped_amount_in_another_font(tmp_path: Path):
    path = write_sample(tmp_path, "mixed", "icbc", 3, planted=("mixed_fonts",))
    report = inspect_pdf(path)
    assert [r.font for r in report.odd_amounts] == ["Helvetica"]
    assert [f.rule_id for f in pdf_forensics.check(report)] == ["pdf.mixed_fonts"]


def test_pipeline_reports_forensics_on_statements(clean: Path, tmp_path: Path):
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(incremental_update(clean.read_bytes(), "WPS Office"))
    docs = process_file(edited, now=datetime(2024, 6, 1, tzinfo=UTC))
    assert "pdf.incremental_update" in {f.rule_id for d in docs for f in d.findings}
    assert not {
        f.rule_id
        for d in process_file(clean, now=datetime(2024, 6, 1, tzinfo=UTC))
        for f in d.findings
        if f.rule_id.startswith("pdf.")
    }


def _column_pdf(tmp_path: Path, retyped: int | None) -> Path:
    """A column of amounts set right-aligned in Helvetica, a header amount in Courier elsewhere on the page,
    and (``retyped``) one amount of the column set in Times, as an edited amount would be."""
    from reportlab.pdfgen import canvas

    path = tmp_path / f"column_{retyped}.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Courier", 10)
    c.drawString(60, 780, "Opening 1,000.00")
    for i in range(8):
        c.setFont("Times-Roman" if i == retyped else "Helvetica", 10)
        c.drawRightString(500, 700 - 20 * i, f"{1000 + 37 * i:,}.{i:02d}")
    c.save()
    return path


def test_a_differently_set_header_amount_is_layout_but_a_retyped_amount_in_its_column_is_a_sign(tmp_path):
    assert inspect_pdf(_column_pdf(tmp_path, None)).odd_amounts == []
    odd = inspect_pdf(_column_pdf(tmp_path, 3)).odd_amounts
    assert [(r.text, r.font) for r in odd] == [("1,111.03", "Times-Roman")]
