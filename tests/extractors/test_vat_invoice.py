"""The VAT invoice extractor against truth: every synthetic sample, every real PDF in shared/real."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractors import EXTRACTORS, pick
from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.invoice.fields import OCR_PRIOR
from extractors.readers.pdf_text import read_pdf
from extractors.text.patterns import money
from idp.errors import ExtractionFailed
from idp.models import BBox, DocumentKind, FieldSource, PageText, TextLine, TextSource, Word
from idp.ports import Extractor

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "vat_invoice"
REAL = REPO / ".." / "shared" / "real" / "invoices"

#: Truth key → extracted field name.
_HEADER = {
    "invoice_kind": "invoice_title",
    "invoice_code": "invoice_code",
    "invoice_number": "invoice_number",
    "issue_date": "issue_date",
    "check_code": "check_code",
    "machine_no": "machine_no",
    "amount_without_tax": "amount_without_tax",
    "tax_amount": "tax_amount",
    "total_with_tax": "total_with_tax",
    "total_in_words": "total_in_words",
}
_AMOUNTS = {"amount_without_tax", "tax_amount", "total_with_tax"}


def _pdfs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf")) if folder.is_dir() else []


def _expected(truth: dict) -> dict[str, str]:
    out = {field: truth[key] for key, field in _HEADER.items() if truth.get(key) is not None}
    for role in ("buyer", "seller"):
        for key in ("name", "tax_id"):
            value = (truth.get(role) or {}).get(key)
            if value is not None:
                out[f"{role}_{key}"] = value
    return out


def _normal(field: str, value: str | None) -> object:
    if value is None:
        return None
    if field in _AMOUNTS:
        return Decimal(value)
    return "".join(value.split()).upper()


def _check_against_truth(pdf: Path) -> None:
    truth = json.loads(pdf.with_name(pdf.name + ".truth.json").read_text(encoding="utf-8"))
    pages = read_pdf(pdf)
    extractor = pick(pages)
    assert extractor is not None and extractor.name == "vat_invoice"
    doc = extractor.extract(pages)
    assert doc.kind is DocumentKind.VAT_INVOICE
    wrong = {
        field: (doc.value(field), want)
        for field, want in _expected(truth).items()
        if _normal(field, doc.value(field)) != _normal(field, want)
    }
    assert not wrong, wrong
    if truth.get("buyer", {}).get("tax_id", "absent") is None:  # 个人: no buyer tax id may be invented
        assert doc.value("buyer_tax_id") is None
    for name, field in doc.fields.items():
        assert field.name == name and field.source is FieldSource.TEXT_LAYER and field.page == 1
        if field.value is not None and name != "invoice_kind":
            assert field.bbox is not None, name
            assert 0 <= field.bbox.x0 < field.bbox.x1 <= 1 and 0 <= field.bbox.y0 < field.bbox.y1 <= 1, name
            assert field.confidence >= 0.9, name


@pytest.mark.parametrize("pdf", _pdfs(SAMPLES), ids=lambda p: p.stem)
def test_synthetic_header_and_totals(pdf: Path):
    _check_against_truth(pdf)


@pytest.mark.skipif(not _pdfs(REAL), reason="shared/real/invoices not present")
@pytest.mark.parametrize("pdf", _pdfs(REAL), ids=lambda p: p.stem[:40])
def test_real_header_and_totals(pdf: Path):
    _check_against_truth(pdf)


@pytest.mark.parametrize("pdf", _pdfs(SAMPLES), ids=lambda p: p.stem)
def test_synthetic_line_items(pdf: Path):
    truth = json.loads(pdf.with_name(pdf.name + ".truth.json").read_text(encoding="utf-8"))
    doc = VatInvoiceExtractor().extract(read_pdf(pdf))
    assert len(doc.items) == len(truth["line_items"])
    for got, want in zip(doc.items, truth["line_items"], strict=True):
        for key, value in want.items():
            printed = got[key].value if key in got else None
            assert (printed and "".join(printed.split())) == (value and "".join(value.split())), (
                key,
                printed,
                value,
            )


def test_kind_code_from_title_and_code():
    kinds = {}
    for pdf in _pdfs(SAMPLES):
        truth = json.loads(pdf.with_name(pdf.name + ".truth.json").read_text(encoding="utf-8"))
        kinds[truth["invoice_kind_code"]] = VatInvoiceExtractor().extract(read_pdf(pdf)).value("invoice_kind")
    assert kinds == {"10": "10", "08": "08", "32": "32", "31": "31"}


@pytest.mark.skipif(not _pdfs(REAL), reason="shared/real/invoices not present")
def test_real_kind_codes():
    kinds = {
        pdf.name[:12]: VatInvoiceExtractor().extract(read_pdf(pdf)).value("invoice_kind")
        for pdf in _pdfs(REAL)
    }
    assert kinds["i2e_didi.pdf"] == "10"  # code 0120018002 11 → 电子普票
    assert kinds["i2e_91420000"] == "14"  # code …12 on a 电子普通发票 → 通行费 e-invoice


def test_registry_and_protocol():
    assert isinstance(EXTRACTORS["vat_invoice"], Extractor)
    assert EXTRACTORS["vat_invoice"].name == "vat_invoice"


def _page(*rows: str) -> list[PageText]:
    lines = []
    for i, text in enumerate(rows):
        box = BBox(x0=0.1, y0=0.05 * i, x1=0.9, y1=0.05 * i + 0.03)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return [PageText(page_no=1, width=600, height=800, source=TextSource.OCR, lines=lines)]


def test_declines_other_documents():
    contract = _page(
        "购销合同", "甲方：某某有限公司", "合同总金额（含税）：壹万元整", "税率13%，乙方开具增值税专用发票"
    )
    assert VatInvoiceExtractor().score(contract) is None
    assert pick(contract) is None
    assert pick([]) is None


def test_extract_without_text_fails_cleanly():
    blank = [PageText(page_no=1, width=600, height=800, source=TextSource.TEXT_LAYER)]
    with pytest.raises(ExtractionFailed):
        VatInvoiceExtractor().extract(blank)


def test_label_and_value_in_one_word():
    pages = _page(
        "电子发票（普通发票）",
        "发票号码：24120000000012345678",
        "开票日期：2024年05月10日",
        "价税合计（大写）⊗壹佰壹拾叁圆整（小写）¥113.00",
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("invoice_number") == "24120000000012345678"
    assert doc.value("issue_date") == "2024-05-10"
    assert doc.value("total_in_words") == "壹佰壹拾叁圆整"
    assert doc.value("total_with_tax") == "113.00"
    assert doc.value("invoice_kind") == "32"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("￥734.59", "734.59"),
        ("¥ -1,234.50", "-1234.50"),
        ("-￥12.00", "-12.00"),
        ("合计 0.5", None),
        ("3%", None),
    ],
)
def test_money(text: str, value: str | None):
    assert money(text) == value


def _placed(*runs: tuple[str, float, float, float]) -> list[PageText]:
    """A page from (text, x0, top, width) runs in points on a 600×400 page, 10 pt high."""
    lines = []
    for text, x0, top, width in runs:
        box = BBox.from_points(x0, top, x0 + width, top + 10, 600, 400)
        lines.append(TextLine(text=text, bbox=box, words=[Word(text=text, bbox=box)]))
    return [PageText(page_no=1, width=600, height=400, source=TextSource.OCR, lines=lines)]


def test_values_printed_under_their_labels():
    pages = _placed(
        ("增值税电子普通发票", 200, 10, 200),
        ("发票代码", 420, 40, 40),
        ("发票号码", 500, 40, 40),
        ("011001900111", 420, 53, 60),
        ("12345678", 500, 53, 40),
        ("开票日期：2019年01月02日", 420, 70, 120),
        ("价税合计（大写）", 40, 300, 80),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("invoice_code") == "011001900111"
    assert doc.value("invoice_number") == "12345678"
    # under its label (0.9), read by OCR: scaled by the OCR prior (an OCR read alone never reaches 0.95)
    assert doc.fields["invoice_number"].confidence == pytest.approx(0.9 * OCR_PRIOR)
    assert doc.fields["invoice_number"].source is FieldSource.OCR
    assert doc.value("issue_date") == "2019-01-02"
    assert doc.value("invoice_kind") == "10"


def test_party_values_stop_at_block_columns():
    long_name = "北京某某某某某某某某某某某某科技有限公司"
    pages = _placed(
        ("增值税电子普通发票", 200, 10, 200),
        ("发票号码:12345678", 420, 40, 90),
        ("名称:", 48, 86, 30),
        (long_name, 80, 86, 264),  # ends 4 pt before the 密码区 column
        ("密", 348, 88, 10),
        ("码", 348, 102, 10),
        ("0696/79+6663/1*8*0462405794", 362, 86, 200),
        ("纳税人识别号:", 48, 101, 60),
        ("91110000600037341L", 110, 101, 90),
        ("价税合计（大写）", 40, 276, 80),
        ("名称:", 48, 296, 30),
        ("天津某某贸易有限公司", 80, 296, 100),
        ("备", 350, 300, 10),
        ("注", 350, 318, 10),
        ("纳税人识别号:", 48, 309, 60),
        ("91120110MA06J3WLX8", 110, 309, 90),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("buyer_name") == long_name
    assert doc.value("buyer_tax_id") == "91110000600037341L"
    assert doc.value("seller_name") == "天津某某贸易有限公司"
    assert doc.value("seller_tax_id") == "91120110MA06J3WLX8"


def test_side_by_side_parties_stop_at_the_next_label():
    pages = _placed(
        ("电子发票（普通发票）", 200, 10, 200),
        ("发票号码：24120000000012345678", 420, 40, 150),
        ("名称：", 44, 85, 27),
        ("买方甲有限公司", 71, 85, 63),
        ("名称：", 140, 85, 27),  # no gap and no column between the two blocks
        ("卖方乙有限公司", 167, 85, 63),
        ("价税合计（大写）", 40, 276, 80),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert (doc.value("buyer_name"), doc.value("seller_name")) == ("买方甲有限公司", "卖方乙有限公司")


def test_a_label_colon_read_as_a_semicolon_stays_out_of_the_value():
    """OCR reads the small colon after 开户行及账号 / 复核 as ";" now and then; no value starts with one."""
    pages = _placed(
        ("增值税电子普通发票", 200, 10, 200),
        ("发票号码:12345678", 420, 40, 90),
        ("名称:", 48, 86, 30),
        ("买方甲有限公司", 80, 86, 100),
        ("开户行及账号;", 48, 131, 66),
        ("交通银行成都建设支行160605685827", 116, 131, 170),
        ("价税合计（大写）", 40, 276, 80),
        ("收款人:徐平", 40, 380, 60),
        ("复核;徐伟", 160, 380, 50),
        ("开票人:马霞", 280, 380, 60),
    )
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.value("buyer_bank_account") == "交通银行成都建设支行160605685827"
    assert doc.value("reviewer") == "徐伟"
