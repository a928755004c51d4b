"""Letter-spaced text layers (every glyph its own run, as PDFs converted from OFD print them) read as words."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.readers import pdfium_text
from extractors.readers.dispatch import read_document
from extractors.readers.spacing import merge_letter_spaced, merge_runs
from idp.models import BBox, PageText, TextLine, TextSource, Word
from idp.synth.invoice_families import FAMILIES, family_invoice, family_truth

#: A page 600 × 400 pt; glyphs 10 pt high.
_W, _H, _SIZE = 600.0, 400.0, 10.0


def _glyphs(text: str, x0: float, *, advance: float, gap: float, top: float = 50.0) -> list[Word]:
    """One word per character, each ``advance`` wide and ``gap`` apart (points)."""
    out, x = [], x0
    for ch in text:
        box = BBox.from_points(x, top, x + advance, top + _SIZE, _W, _H)
        out.append(Word(text=ch, bbox=box))
        x += advance + gap
    return out


def _page(words: list[Word]) -> PageText:
    box = BBox(x0=min(w.bbox.x0 for w in words), y0=min(w.bbox.y0 for w in words),
               x1=max(w.bbox.x1 for w in words), y1=max(w.bbox.y1 for w in words))
    line = TextLine(text=" ".join(w.text for w in words), bbox=box, words=words)
    return PageText(page_no=1, width=_W, height=_H, source=TextSource.TEXT_LAYER, lines=[line])


def test_an_evenly_spaced_run_of_glyphs_becomes_one_word():
    page = merge_letter_spaced(_page(_glyphs("2024年03月25日", 100, advance=6, gap=5)))
    assert [w.text for w in page.lines[0].words] == ["2024年03月25日"]
    assert page.lines[0].text == "2024年03月25日"


def test_form_columns_and_two_glyph_labels_stay_apart():
    label = _glyphs("名称", 20, advance=10, gap=8)  # 名 称: a spaced two-character label
    columns = _glyphs("1", 200, advance=6, gap=0) + _glyphs("5", 260, advance=6, gap=0)  # cells far apart
    words = merge_runs(label + columns, _W / _H)
    assert [w.text for w in words] == ["名", "称", "1", "5"]


def test_a_spaced_rate_is_one_word():
    assert [w.text for w in merge_runs(_glyphs("9%", 300, advance=6, gap=4), _W / _H)] == ["9%"]


@given(
    text=st.text(alphabet="0123456789年月日¥.ABCXYZ发票号码", min_size=3, max_size=24),
    gap=st.floats(min_value=0.5, max_value=9.0),
)
def test_any_letter_spaced_text_reads_back_whole(text: str, gap: float):
    words = merge_runs(_glyphs(text, 30, advance=6, gap=gap), _W / _H)
    assert [w.text for w in words] == [text]


@pytest.fixture(scope="module")
def ofd_converted_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    from idp.synth._invoice_pdf import render

    invoice = family_invoice(FAMILIES["shudian_ofd"], "31", 4242)
    path = tmp_path_factory.mktemp("ofd") / "shudian_ofd.pdf"
    render(invoice, path)
    return path, family_truth(invoice, path.name)


def test_the_ofd_converted_pdf_is_letter_spaced_before_merging(ofd_converted_pdf):
    """The fixture reproduces the failure: read raw, the date and the totals do not parse."""
    path, truth = ofd_converted_pdf
    raw = pdfium_text.read_pdf(path, normalise=True)
    doc = VatInvoiceExtractor().extract(raw)
    assert doc.value("issue_date") != truth["issue_date"] or doc.value("total_with_tax") != truth["total_with_tax"]


def test_a_pdf_converted_from_ofd_reads_its_dates_totals_and_tax_ids(ofd_converted_pdf):
    path, truth = ofd_converted_pdf
    doc = VatInvoiceExtractor().extract(read_document(path))
    assert doc.value("invoice_number") == truth["invoice_number"]
    assert doc.value("issue_date") == truth["issue_date"]
    assert doc.value("invoice_kind") == "31"
    for key in ("amount_without_tax", "tax_amount", "total_with_tax"):
        assert doc.value(key) == truth[key], key
    assert doc.value("buyer_tax_id") == truth["buyer"]["tax_id"]  # type: ignore[index]
    assert doc.value("seller_tax_id") == truth["seller"]["tax_id"]  # type: ignore[index]
    assert [i["amount"].value for i in doc.items] == [i["amount"] for i in truth["line_items"]]  # type: ignore[union-attr]
