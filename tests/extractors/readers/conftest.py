"""Rendered specimen pages with their exact text, shared by the reader tests (rendered once per session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from extractors.readers import pdf_text
from extractors.readers.normalize import normalize_page
from idp.models.page import PageText
from idp.synth.degrade import render_pdf
from idp.synth.evaluate import page_text
from idp.synth.specimen import contract_specimen, invoice_specimen, specimen_pdf, statement_specimen

REAL_INVOICES = Path(__file__).resolve().parents[3].parent / "shared" / "real" / "invoices"


@dataclass(frozen=True)
class Rendered:
    """One specimen: its text PDF, its 200-dpi render, and the text layer as truth."""

    pdf: bytes
    image: np.ndarray
    page: PageText

    @property
    def truth(self) -> str:
        return page_text(self.page)


def _rendered(pdf: bytes, tmp: Path) -> Rendered:
    path = tmp / "specimen.pdf"
    path.write_bytes(pdf)
    page = normalize_page(pdf_text.read_pdf(path)[0])
    return Rendered(pdf=pdf, image=render_pdf(pdf)[0], page=page)


@pytest.fixture(scope="session")
def invoice_page(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _rendered(specimen_pdf(invoice_specimen()), tmp_path_factory.mktemp("inv"))


@pytest.fixture(scope="session")
def contract_page(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _rendered(specimen_pdf(contract_specimen()), tmp_path_factory.mktemp("con"))


@pytest.fixture(scope="session")
def statement_page(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _rendered(specimen_pdf(statement_specimen()), tmp_path_factory.mktemp("stm"))


@pytest.fixture(scope="session")
def invoice_strip(invoice_page: Rendered) -> np.ndarray:
    """The top third of the invoice render: three lines of text, cheap to OCR."""
    h = invoice_page.image.shape[0]
    return np.ascontiguousarray(invoice_page.image[: h // 4])


@pytest.fixture(scope="session")
def real_invoices() -> Path:
    """``../shared/real/invoices`` (read-only evaluation files), or skip when this checkout has none."""
    if not REAL_INVOICES.is_dir():
        pytest.skip("../shared/real/invoices is not available")
    return REAL_INVOICES
