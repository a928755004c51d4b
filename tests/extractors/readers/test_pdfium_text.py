"""The pdfium text-layer reader gives the words pdfplumber gives, at a tenth of the time; the dispatcher reads
text layers through it and lets pdfplumber re-read the pages where pdfium dropped glyphs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractors.readers import dispatch, pdf_text, pdfium_text
from extractors.readers.normalize import normalize_page
from idp.models import BBox, PageText, TextLine, TextSource, Word
from idp.settings import reset_settings
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


def test_long_files_are_read_through_pdfium_even_when_pdfplumber_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = write_sample(tmp_path, "long", "ccb", 4, months=3, per_month=60)
    assert pdf_text.page_count(path) > dispatch._FAST_TEXT_PAGES
    monkeypatch.setenv("IDP_PDF_TEXT_READER", "pdfplumber")
    reset_settings()

    def refuse(_path: Path, **_kw: object) -> list:
        raise AssertionError("pdfplumber used for a long file")

    monkeypatch.setattr(pdf_text, "read_pdf", refuse)
    try:
        pages = dispatch.read_document(path)
    finally:
        monkeypatch.delenv("IDP_PDF_TEXT_READER")
        reset_settings()
    assert len(pages) == pdf_text.page_count(path) and all(p.lines for p in pages)


def test_every_real_text_pdf_reads_the_same_characters_as_pdfplumber(real_invoices: Path):
    """The default reader must lose nothing pdfplumber sees, on every real file (two of them make pdfium
    drop their KaiTi labels: those pages are re-read by pdfplumber)."""
    files = sorted(real_invoices.parent.rglob("*.pdf"))
    assert len(files) >= 10
    for path in files:
        plumber = [normalize_page(p) for p in pdf_text.read_pdf(path)]
        ours = dispatch._read_text_layer(path)
        assert [Counter("".join(p.text.split())) for p in ours] == [
            Counter("".join(p.text.split())) for p in plumber
        ], path.name


def test_pages_where_pdfium_drops_glyphs_are_read_by_pdfplumber(real_invoices: Path):
    path = real_invoices / "i2e_012001900111_51142414.pdf"
    fast, lost = pdfium_text.read_pdf_reporting_losses(path, normalise=True)
    assert lost == {1}  # without the CJK fallback font (rendering only) pdfium misses the KaiTi labels
    (page,) = dispatch._read_text_layer(path)
    assert "2019年07月20日" in page.text.replace(" ", "") and "购" in page.text and "密" in page.text
    clean = real_invoices / "i2e_didi.pdf"
    assert pdfium_text.read_pdf_reporting_losses(clean)[1] == set()


def test_the_reading_with_more_mapped_characters_wins():
    def page(text: str) -> PageText:
        words = [
            Word(text=t, bbox=BBox(x0=0.1 * i, y0=0.1, x1=0.1 * i + 0.05, y1=0.12))
            for i, t in enumerate(text.split())
        ]
        line = TextLine(text=" ".join(w.text for w in words), bbox=words[0].bbox, words=words)
        return PageText(page_no=1, width=600, height=400, source=TextSource.TEXT_LAYER, lines=[line])

    junk, mapped, shorter = page("(cid:12)(cid:13) 金额"), page("发票 金额"), page("金额")
    assert dispatch.richer_text_layer(junk, mapped) is mapped
    assert dispatch.richer_text_layer(mapped, shorter) is mapped
    assert dispatch.richer_text_layer(mapped, page("发票 金额")) is mapped  # a tie keeps pdfium's
