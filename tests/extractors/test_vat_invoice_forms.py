"""Invoices in every form through the real reading path: OFD (page text + embedded XML), a real paper scan and
a synthetic phone photo (OCR), each field with its source, page and box."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.invoice.extractor import VatInvoiceExtractor
from extractors.readers.dispatch import read_document
from extractors.readers.ofd import read_ofd
from idp.models import FieldSource
from queues.docproc import process_file

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / ".." / "shared" / "real" / "invoices"
PHOTO = REPO / "samples" / "vat_invoice_photo" / "shudian_putong_photo_01.jpg"


def _real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip("shared/real/invoices not present")
    return path


def test_ofd_reader_carries_the_embedded_invoice_data():
    pages = read_ofd(_real("ofdrw_1.ofd"))
    data = pages[0].embedded_fields
    assert data["invoice_number"] == "83089647" and data["items.0.tax_rate"] == "3%"
    assert all(not p.embedded_fields for p in pages[1:])


def test_multi_page_ofd_reads_its_goods_list():
    path = _real("ofdrw_999.ofd")
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    doc = VatInvoiceExtractor().extract(read_ofd(path))
    assert len(doc.items) == len(truth["line_items"]) == 100
    assert {item["amount"].page for item in doc.items} == {2, 3, 4, 5}  # read from the 销货清单 pages
    assert all(
        item["amount"].source is FieldSource.OFD and item["amount"].bbox is not None for item in doc.items
    )
    assert sum(Decimal(i["amount"].value) for i in doc.items) == Decimal(doc.value("amount_without_tax"))
    assert doc.fields["embedded.invoice_number"].value == doc.value("invoice_number") == "12235358"
    assert doc.value("seller_bank_account") == "建设银行625555888900998711"
    assert (doc.value("payee"), doc.value("reviewer"), doc.value("drawer")) == ("张一诺", "张嘉诺", "任盈盈")


def test_shudian_ofd_without_embedded_data_reads_its_items_from_the_page():
    doc = VatInvoiceExtractor().extract(read_ofd(_real("easyofd_shudian_putong.ofd")))
    assert not any(name.startswith("embedded.") for name in doc.fields)
    (item,) = doc.items
    assert (item["name"].value, item["price"].value, item["tax_rate"].value) == (
        "*餐饮服务*餐饮费",
        "1455.44554455446",
        "1%",
    )
    assert doc.value("invoice_kind") == "32" and doc.fields["invoice_kind"].confidence >= 0.95


def test_real_paper_scan_by_ocr():
    path = _real("gsc_zhuanpiao_scan.jpg")
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    (processed,) = process_file(path, now=datetime(2010, 12, 1, tzinfo=UTC))
    doc = processed.extraction
    expected = {
        "invoice_code": truth["invoice_code"],
        "invoice_number": truth["invoice_number"],
        "issue_date": truth["issue_date"],
        "machine_no": truth["machine_no"],
        "invoice_kind": "01",
        "buyer_name": truth["buyer"]["name"],
        "seller_tax_id": truth["seller"]["tax_id"],
        "total_with_tax": truth["total_with_tax"],
        "total_in_words": truth["total_in_words"],
    }
    assert {k: doc.value(k) for k in expected} == expected
    assert doc.fields["buyer_name"].source is FieldSource.OCR and doc.fields["buyer_name"].bbox is not None
    assert doc.fields["buyer_name"].confidence < 0.95  # OCR alone: never straight through
    assert doc.fields["total_with_tax"].confidence > 0.99  # amount + tax = total and 大写 = 小写 hold
    (item,) = doc.items
    assert (item["name"].value, item["quantity"].value, item["tax_rate"].value) == ("计算机", "1", "17%")


def test_synthetic_photo_by_ocr_with_its_qr_code():
    truth = json.loads(PHOTO.with_name(PHOTO.name + ".truth.json").read_text(encoding="utf-8"))
    pages = read_document(PHOTO)
    assert pages[0].codes and pages[0].codes[0].text.split(",")[3] == truth["invoice_number"]
    doc = VatInvoiceExtractor().extract(pages)
    assert doc.fields["qr.invoice_number"].source is FieldSource.QR_CODE
    assert doc.value("invoice_number") == truth["invoice_number"]
    assert doc.value("total_with_tax") == truth["total_with_tax"]
    assert [i["amount"].value for i in doc.items] == [i["amount"] for i in truth["line_items"]]
