"""OFD reading on the real public samples in ``../shared/real/invoices`` (read in place, never copied)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from extractors.readers.ofd import read_ofd, read_ofd_invoice_data
from idp.errors import InputRejected
from idp.models.page import TextSource


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


def test_page_text_with_positions_in_mm(real_invoices: Path) -> None:
    path = real_invoices / "ofdrw_1.ofd"
    (page,) = read_ofd(path)
    assert page.source is TextSource.OFD
    assert (page.width, page.height) == (210.0, 140.0)
    texts = [ln.text for ln in page.lines]
    assert "发票号码:83089647" in texts
    assert "校验码:16197 83356 74145 07415" in texts
    line = next(ln for ln in page.lines if ln.text == "发票号码:83089647")
    assert line.bbox.x0 > 0.6 and line.bbox.y1 < 0.2  # top right of the page
    assert line.words and all(w.confidence == 1.0 for w in line.words)
    truth = _truth(path)
    for value in (truth["seller"]["name"], truth["buyer"]["tax_id"], truth["total_with_tax"]):
        assert value in page.text


def test_shudian_ofd_without_xml_still_reads_from_page_text(real_invoices: Path) -> None:
    path = real_invoices / "easyofd_shudian_putong.ofd"
    (page,) = read_ofd(path)
    truth = _truth(path)
    assert f"发票号码:{truth['invoice_number']}" in page.text
    assert "电子发票(普通发票)" in page.text  # Kangxi radical ⼦ in the file, normalised to 子
    assert read_ofd_invoice_data(path) == {}


def test_multipage_ofd_reads_every_page(real_invoices: Path) -> None:
    pages = read_ofd(real_invoices / "ofdrw_999.ofd")
    assert [p.page_no for p in pages] == [1, 2, 3, 4, 5]
    assert all(p.lines for p in pages)


def test_embedded_invoice_data(real_invoices: Path) -> None:
    path = real_invoices / "ofdrw_1.ofd"
    data = read_ofd_invoice_data(path)
    truth = _truth(path)
    assert data["invoice_number"] == truth["invoice_number"]
    assert data["invoice_code"] == truth["invoice_code"]
    assert data["buyer.tax_id"] == truth["buyer"]["tax_id"]
    assert data["total_amount"] == truth["total_with_tax"]
    assert data["items.0.amount"] == truth["line_items"][0]["amount"]
    assert data["custom.发票号码"] == truth["invoice_number"]
    assert "attachment" in data["sources"]


def test_custom_data_only_ofd(real_invoices: Path) -> None:
    path = real_invoices / "ofdrw_发票示例.ofd"
    data = read_ofd_invoice_data(path)
    assert data["custom.价税合计"] == _truth(path)["total_with_tax"]
    assert data["seller.tax_id"] == _truth(path)["seller"]["tax_id"]


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 not really a zip", None],
    ids=["broken-zip", "zip-without-OFD.xml"],
)
def test_broken_ofd_is_rejected(tmp_path: Path, content: bytes | None) -> None:
    if content is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("Doc_0/Document.xml", "<Document/>")
        content = buf.getvalue()
    path = tmp_path / "bad.ofd"
    path.write_bytes(content)
    with pytest.raises(InputRejected) as err:
        read_ofd(path)
    assert err.value.code == "corrupt_ofd"


def test_a_code_wrapping_onto_four_lines_is_cut_into_them(real_invoices: Path) -> None:
    """The 密码区 of ofdrw_1 is one TextCode: 28 characters a line, DeltaX jumps back, DeltaY steps down."""
    (page,) = read_ofd(real_invoices / "ofdrw_1.ofd")
    rows = [ln for ln in page.lines if ln.text.startswith(("0062477", "2>+<79", "/+-9-18810"))]
    assert [len(ln.text) for ln in rows] == [28, 28, 28]
    assert rows[0].bbox.y0 < rows[1].bbox.y0 < rows[2].bbox.y0
    assert all(0.55 < ln.bbox.x0 and ln.bbox.x1 < 0.99 for ln in rows)


def test_wrap_pieces_follow_the_deltas() -> None:
    from extractors.readers.ofd_wrap import _deltas, _split

    assert _deltas("g 3 2.5 -5 1", 10) == [2.5, 2.5, 2.5, -5.0, 1.0]
    pieces = _split("ABCDEF", _deltas("g 2 2 -4 g 2 2", 5), _deltas("g 2 0 4 g 2 0", 5), 4.0)
    assert [(p.text, p.dx, p.dy) for p in pieces] == [("ABC", 0.0, 0.0), ("DEF", 0.0, 4.0)]
    assert pieces[0].advance == 2 + 2 + 2.0  # two steps plus half an em for the last Latin letter
