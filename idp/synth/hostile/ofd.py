"""Hostile OFDs (zip packages): bombs in parts no page uses, XML entity attacks, unsafe paths, huge pages."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator

from idp.synth.hostile.images import png_header_only, real_image

_OFD_XML = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
            b'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>'
            b"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")


def _document(pages: int) -> bytes:
    refs = b"".join(b'<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>' % (10 + i, i) for i in range(pages))
    return (b'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016">'
            b"<ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297"
            b"</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>" + refs + b"</ofd:Pages></ofd:Document>")


_PAGE = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content>'
         b'<ofd:Layer ID="2"><ofd:TextObject ID="3" Boundary="10 10 100 10" Font="1" Size="4">'
         b'<ofd:TextCode X="0" Y="4">TEXT</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>')


def ofd(extra: dict[str, bytes] | None = None, *, pages: int = 1, ofd_xml: bytes = _OFD_XML,
        page: bytes = _PAGE, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("OFD.xml", ofd_xml)
        zf.writestr("Doc_0/Document.xml", _document(pages))
        for i in range(pages):
            zf.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", page.replace(b"TEXT", b"page %d" % i))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def zip_of_zeros(name: str, size: int) -> bytes:
    """An OFD with one extra part of ``size`` zero bytes (deflated: 1 GB → about 1 MB), written in pieces."""
    buf = io.BytesIO(ofd())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w", force_zip64=True) as fh:
        block = bytes(16 * 1024 * 1024)
        for _ in range(size // len(block)):
            fh.write(block)
    return buf.getvalue()


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
           b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
           b'&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
           b"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\">&lol4;</ofd:OFD>")
_XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">&x;</ofd:OFD>')


def hostile_ofds(max_pages: int, max_entries: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    yield "ofd_page_image_30000.ofd", lambda: ofd({"Doc_0/Res/image_1.png": png_header_only(30000, 30000)})
    yield "ofd_real_image_13000.ofd", lambda: ofd({"Doc_0/Res/image_2.png": real_image(13000, 13000, "PNG")})
    for size in (256 * 1024 * 1024, 1024 * 1024 * 1024):
        yield f"ofd_unreferenced_bomb_{size >> 20}mb.ofd", lambda size=size: zip_of_zeros("Doc_0/Res/x.bin", size)
    yield "ofd_xml_bomb_part.ofd", lambda: zip_of_zeros("Doc_0/Res/huge.xml", 64 * 1024 * 1024)
    yield "ofd_billion_laughs.ofd", lambda: ofd(ofd_xml=_LAUGHS)
    yield "ofd_billion_laughs_page.ofd", lambda: ofd(page=_LAUGHS)
    yield "ofd_xxe.ofd", lambda: ofd(ofd_xml=_XXE)
    yield "ofd_too_many_entries.ofd", lambda: ofd({f"Doc_0/Res/r{i}.txt": b"x" for i in range(max_entries + 1)},
                                          compression=zipfile.ZIP_STORED)
    for i, bad in enumerate(("../../evil.xml", "/etc/evil.xml", "C:/evil.xml", "Doc_0/\x01ctl.xml")):
        yield f"ofd_unsafe_path_{i}.ofd", lambda bad=bad: ofd({bad: b"<x/>"})
    yield "ofd_pages_over_limit.ofd", lambda max_pages=max_pages: ofd(pages=max_pages + 1)
    yield "ofd_deep_xml.ofd", lambda: ofd(page=b"<a>" * 50000 + b"</a>" * 50000)
    yield "ofd_no_ofd_xml.ofd", lambda: _zip({"Doc_0/Document.xml": _document(1)})
    yield "ofd_not_xml.ofd", lambda: ofd(ofd_xml=b"\x00\x01 not xml at all")
    yield "ofd_empty_zip.ofd", lambda: _zip({})
    data = ofd()
    yield "ofd_truncated.ofd", lambda data=data: data[: len(data) // 2]
    broken = bytearray(data)
    broken[len(broken) // 3] ^= 0xFF
    yield "ofd_flipped_byte.ofd", lambda broken=broken: bytes(broken)
    yield "zip_nested_bomb.ofd", lambda: ofd({"Doc_0/Res/inner.zip": zip_of_zeros("x", 64 * 1024 * 1024)})


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()
