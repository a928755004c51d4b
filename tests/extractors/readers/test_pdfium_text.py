"""The pdfium text-layer reader gives the words pdfplumber gives (so long files can be read through it), and
the dispatcher uses it for files longer than a few pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.readers import dispatch, pdf_text, pdfium_text
from extractors.readers.normalize import normalize_page
from idp.synth.statement import write_sample

REPO = Path(__file__).resolve().parents[3]
FILES = sorted((REPO / "samples" / "vat_invoice").glob("*.pdf"))[:4] + [
    REPO / "samples" / "bank_statement" / "icbc_01.pdf",
    REPO / "samples" / "purchase_contract" / "caigou_01.pdf",
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_same_text_and_same_extraction_as_pdfplumber(path: Path):
    """Line spacing may differ by a space (pdfium's boxes are font-height); the characters, their order and
    every extracted value must not."""
    from extractors import pick

    plumber = [normalize_page(p) for p in pdf_text.read_pdf(path)]
    fast = pdfium_text.read_pdf(path, normalise=True)
    assert ["".join(p.text.split()) for p in fast] == ["".join(p.text.split()) for p in plumber]
    extractor = pick(plumber)
    assert extractor is not None and pick(fast) is extractor
    a, b = extractor.extract(plumber), extractor.extract(fast)
    assert {k: f.value for k, f in b.fields.items()} == {k: f.value for k, f in a.fields.items()}
    assert [{k: f.value for k, f in r.items()} for r in b.items] == [
        {k: f.value for k, f in r.items()} for r in a.items
    ]


def test_long_files_are_read_through_pdfium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_sample(tmp_path, "long", "ccb", 4, months=3, per_month=60)
    assert pdf_text.page_count(path) > dispatch._FAST_TEXT_PAGES

    def refuse(_path: Path) -> list:
        raise AssertionError("pdfplumber used for a long file")

    monkeypatch.setattr(pdf_text, "read_pdf", refuse)
    pages = dispatch.read_document(path)
    assert len(pages) == pdf_text.page_count(path) and all(p.lines for p in pages)
