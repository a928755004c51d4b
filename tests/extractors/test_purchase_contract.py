"""The purchase-contract extractor against truth: every generated sample (role words decide buyer/seller,
whatever the letter), one scan through OCR, and the marks (seals, signatures) it reads per party."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import EXTRACTORS
from extractors.contract.extractor import PurchaseContractExtractor
from extractors.readers.dispatch import read_document
from idp.evaluation.score_contract import KEY_FIELDS, score_contract
from idp.models import BBox, DocumentKind, Mark, MarkKind, PageText, TextLine, TextSource, Word

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "purchase_contract"


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


def _wrong(path: Path, groups: tuple[str, ...] | None = None) -> list[tuple[str, str | None, str | None]]:
    doc = PurchaseContractExtractor().extract(read_document(path))
    results = score_contract(_truth(path), doc)
    return [
        (r.name, r.expected, r.got)
        for r in results
        if not r.correct and (groups is None or r.group in groups)
    ]


@pytest.mark.parametrize(
    "path", sorted(p for p in SAMPLES.glob("*.pdf") if not p.name.startswith("scan_")), ids=lambda p: p.stem
)
def test_text_samples(path: Path):
    assert _wrong(path, ("key", "header", "parties", "seals", "items")) == []


def test_scanned_sample_key_fields_are_right_or_sent_to_review():
    """OCR may misread a digit (2024年11月03日 read as 2024年1月03日): such a value must not look sure."""
    path = SAMPLES / "scan_maimai_01.pdf"
    doc = PurchaseContractExtractor().extract(read_document(path))
    results = [r for r in score_contract(_truth(path), doc) if r.group == "key"]
    assert sum(r.correct for r in results) >= len(results) - 1
    assert all(r.correct or r.confidence < 0.95 for r in results)


def test_registered_for_its_kind():
    assert getattr(EXTRACTORS["purchase_contract"], "kind", None) == DocumentKind.PURCHASE_CONTRACT


def test_roles_come_from_role_words_not_letters():
    """In the 供需方 layout 甲方 is the seller: the buyer fields must hold 乙方's values."""
    path = SAMPLES / "gongxu_01.pdf"
    truth = _truth(path)
    doc = PurchaseContractExtractor().extract(read_document(path))
    assert doc.value("seller_name") == truth["seller"]["name"]
    assert doc.value("seller_letter") == "甲方"
    assert doc.value("buyer_name") == truth["buyer"]["name"]
    assert set(KEY_FIELDS) <= set(doc.fields)


def _line(text: str, x0: float, y0: float) -> TextLine:
    box = BBox(x0=x0, y0=y0, x1=min(1.0, x0 + 0.018 * len(text)), y1=y0 + 0.015)
    return TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)])


def _signing_page(marks: list[Mark]) -> PageText:
    lines = [
        _line("本合同自双方签字盖章之日起生效。", 0.1, 0.05),
        _line("甲方(需方):", 0.1, 0.2),
        _line("乙方(供方):", 0.55, 0.2),
        _line("甲方(盖章):上海甲公司", 0.1, 0.3),
        _line("乙方(盖章):杭州乙公司", 0.55, 0.3),
        _line("法定代表人(签字):", 0.1, 0.35),
        _line("法定代表人(签字):", 0.55, 0.35),
    ]
    return PageText(page_no=1, width=595, height=842, source=TextSource.TEXT_LAYER, lines=lines, marks=marks)


def _seal(x0: float) -> Mark:
    return Mark(kind=MarkKind.SEAL, bbox=BBox(x0=x0, y0=0.25, x1=x0 + 0.18, y1=0.38), confidence=0.95)


def test_each_seal_goes_to_the_nearest_signing_block():
    doc = PurchaseContractExtractor().extract([_signing_page([_seal(0.58)])])
    assert doc.value("seal_seller") == "true" and doc.value("seal_seller_page") == "1"
    assert doc.value("seal_buyer") == "false"
    doc = PurchaseContractExtractor().extract([_signing_page([_seal(0.12), _seal(0.58)])])
    assert doc.value("seal_buyer") == doc.value("seal_seller") == "true"
