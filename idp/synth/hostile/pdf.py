"""Hostile PDFs, written byte by byte (a valid xref where the attack needs one, none where it does not)."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator


def pdf(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF with ``objects`` numbered from 1 and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pages_pdf(count: int, *, box: tuple[float, float] = (595, 842), content: bytes = b"") -> bytes:
    """``count`` pages sharing one content stream (a blank page by default)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
               stream(content)]
    media = b"[0 0 %g %g]" % box
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 3 0 R >>" % media] * count
    return pdf(objects)


def deflated_zeros(size: int, chunk: int = 16 * 1024 * 1024) -> bytes:
    """``size`` zero bytes, deflated (1 GB → about 1 MB) without ever holding them."""
    packer = zlib.compressobj(9)
    zeros = bytes(min(chunk, size))
    parts, left = [], size
    while left > 0:
        parts.append(packer.compress(zeros[:min(chunk, left)]))
        left -= chunk
    parts.append(packer.flush())
    return b"".join(parts)


def flate_bomb(inflated: int) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes."""
    data = deflated_zeros(inflated)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", content,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"])


def image_pdf(width: int, height: int) -> bytes:
    """One page drawing an image XObject that declares ``width`` x ``height`` (its data is tiny)."""
    data = zlib.compress(bytes(64))
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data))
             + data + b"\nendstream")
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                b"/Resources << /XObject << /Im0 5 0 R >> >> >>", image])


def self_referencing_tree() -> bytes:
    """A page tree node that lists itself among its kids."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])


def nested(depth: int) -> bytes:
    """A content stream of ``depth`` nested arrays (parser recursion)."""
    return pages_pdf(1, content=b"[" * depth + b"]" * depth)


def many_text_objects(count: int) -> bytes:
    """One page with ``count`` one-character text objects (work for the text reader, not memory)."""
    ops = b"".join(b"BT /F1 4 Tf %d %d Td (x) Tj ET\n" % (10 + (i % 140) * 4, 20 + (i // 140) * 5 % 800)
                   for i in range(count))
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                stream(ops, flate=True),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
                b"/Resources << /Font << /F1 5 0 R >> >> >>", font])


def hostile_pdfs(sample: bytes | None, max_pages: int) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(name, bytes) of every hostile PDF."""
    yield "pdf_pages_over_limit.pdf", lambda max_pages=max_pages: pages_pdf(max_pages + 1)
    yield "pdf_2000_blank_pages.pdf", lambda: pages_pdf(2000)
    for side in (14400, 5000):
        yield f"pdf_mediabox_{side}.pdf", lambda side=side: pages_pdf(1, box=(side, side))
    yield "pdf_mediabox_needle.pdf", lambda: pages_pdf(1, box=(1, 14400))
    yield "pdf_mediabox_zero.pdf", lambda: pages_pdf(1, box=(0, 0))
    yield "pdf_mediabox_negative.pdf", lambda: pages_pdf(1, box=(-500, -800))
    for size in (128 * 1024 * 1024, 1024 * 1024 * 1024):
        yield f"pdf_flate_bomb_{size >> 20}mb.pdf", lambda size=size: flate_bomb(size)
    for w, h in ((30000, 30000), (100000, 1), (12000, 12000)):
        yield f"pdf_image_{w}x{h}.pdf", lambda w=w, h=h: image_pdf(w, h)
    yield "pdf_self_referencing_tree.pdf", lambda: self_referencing_tree()
    for depth in (1000, 100000):
        yield f"pdf_nested_{depth}.pdf", lambda depth=depth: nested(depth)
    yield "pdf_20000_text_objects.pdf", lambda: many_text_objects(20000)
    yield "pdf_no_xref.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    yield "pdf_header_only.pdf", lambda: b"%PDF-1.7\n"
    yield "pdf_bad_startxref.pdf", lambda: pages_pdf(1).replace(b"startxref\n", b"startxref\n99999999")
    if sample:
        for share in (0.05, 0.25, 0.5, 0.75, 0.95):
            cut = int(len(sample) * share)
            yield f"pdf_truncated_{int(share * 100)}.pdf", lambda cut=cut, sample=sample: sample[:cut]
        for seed in range(5):
            yield f"pdf_flipped_bytes_{seed}.pdf", lambda seed=seed, sample=sample: _flip(sample, seed)


def _flip(data: bytes, seed: int) -> bytes:
    """The sample with 1 in 50 bytes after the header overwritten (deterministic per seed)."""
    import random

    rnd = random.Random(seed)
    out = bytearray(data)
    for _ in range(max(1, len(out) // 50)):
        out[rnd.randrange(16, len(out))] = rnd.randrange(256)
    return bytes(out)
