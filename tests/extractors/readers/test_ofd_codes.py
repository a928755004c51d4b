"""QR images placed on OFD pages are decoded: the real samples, and an OFD whose QR is a bare
1-pixel-per-module image with no quiet zone on a transparent ground (the form some writers use)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors.readers.ofd import read_ofd

#: PNG, PNG, PNG and JBIG2 (ofdrw_1: decoded through pdfium)
DECODABLE = ["easyofd_shudian_putong.ofd", "ofdrw_999.ofd", "ofdrw_发票示例.ofd", "ofdrw_1.ofd"]


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", DECODABLE)
def test_the_qr_image_of_a_real_ofd_is_decoded_where_the_page_places_it(real_invoices: Path, name: str):
    path = real_invoices / name
    page = read_ofd(path)[0]
    (code,) = page.codes
    parts = code.text.split(",")
    truth = _truth(path)
    assert parts[3] == truth["invoice_number"] and parts[5] == truth["issue_date"].replace("-", "")
    assert code.bbox is not None and code.bbox.x1 < 0.25 and code.bbox.y1 < 0.3  # the top-left corner


def test_an_image_with_no_code_gives_no_code_and_keeps_the_text(real_invoices: Path):
    """ofdrw_csfapiao1 places an all-black 37 x 37 placeholder where the QR would be."""
    (page,) = read_ofd(real_invoices / "ofdrw_csfapiao1.ofd")
    assert page.codes == [] and _truth(real_invoices / "ofdrw_csfapiao1.ofd")["invoice_number"] in page.text


def test_jbig2_that_is_not_one_sequential_page_is_refused_quietly():
    from extractors.readers.ofd_codes import jbig2_grey

    header = b"\x97JB2\r\n\x1a\n"
    assert jbig2_grey(header + b"\x00" + b"\x00" * 40) is None  # random-access organisation
    assert jbig2_grey(header + b"\x01\x00\x00\x00\x01" + b"\x00\x00\x00\x00\x26" + b"\x00" * 30) is None


def _with_qr(source: Path, target: Path, png: bytes) -> Path:
    """A copy of an OFD with its qr.png replaced."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = png if item.filename.endswith("Res/qr.png") else src.read(item)
            dst.writestr(item, data)
    return target


def test_a_bare_transparent_qr_without_quiet_zone_is_decoded(real_invoices: Path, tmp_path: Path):
    import zxingcpp

    text = "01,10,050001700111,99999951,300.00,20201010,1475482292985677,A1B2"
    modules = np.asarray(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode).to_image(scale=1, add_quiet_zones=False)
    )
    bgra = np.zeros((*modules.shape, 4), np.uint8)  # black modules, the light ones transparent
    bgra[..., 3] = np.where(modules < 128, 255, 0)
    png = cv2.imencode(".png", bgra)[1].tobytes()
    path = _with_qr(real_invoices / "ofdrw_发票示例.ofd", tmp_path / "bare.ofd", png)
    (page,) = read_ofd(path)
    assert [c.text for c in page.codes] == [text]
