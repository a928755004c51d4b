"""The hostile corpus: files an attacker or a broken scanner sends (bombs, absurd sizes, loops, truncations).

Generated, never stored: ``idp bench hostile`` writes and submits it, ``tests/idp/test_hostile.py`` runs a fast
subset. Every file must end as a visible result (a ``processing_failed`` task with an input code, or a read
document) within seconds, without a retry and without taking the worker's memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from idp.settings import Settings, get_settings
from idp.synth.hostile.images import hostile_images
from idp.synth.hostile.ofd import hostile_ofds
from idp.synth.hostile.ofd import ofd as ofd_package
from idp.synth.hostile.pdf import hostile_pdfs

#: Files whose generation writes more than 100 MB of inflated data (left out of the fast subset).
HEAVY = ("_1024mb", "_256mb", "_128mb", "xml_bomb_part", "zip_nested_bomb", "png_bomb_20000", "real_13000",
         "tiff_60_pages", "2000_blank", "nested_100000", "20000_text")


def hostile_corpus(settings: Settings | None = None, *, sample_pdf: bytes | None = None,
                   fast: bool = False) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of every hostile input; ``fast`` leaves out the ones that are slow to make."""
    settings = settings or get_settings()
    sources = [hostile_pdfs(sample_pdf, settings.max_pages), hostile_images(settings.max_pages),
               hostile_ofds(settings.max_pages, settings.max_archive_entries), _misc()]
    for source in sources:
        for name, make in source:
            if not (fast and any(mark in name for mark in HEAVY)):
                yield name, make()


def write_corpus(out: Path, settings: Settings | None = None, *, sample_pdf: bytes | None = None,
                 fast: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in hostile_corpus(settings, sample_pdf=sample_pdf, fast=fast):
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _misc() -> Iterator[tuple[str, Callable[[], bytes]]]:
    yield "empty.pdf", lambda: b""
    yield "one_byte.pdf", lambda: b"%"
    yield "html_named_pdf.pdf", lambda: b"<html><script>alert(1)</script></html>"
    yield "elf_named_jpg.jpg", lambda: b"\x7fELF" + bytes(200)
    yield "gif.gif", lambda: b"GIF89a" + bytes(100)
    yield "docx_like.ofd", lambda: _docx()
    yield "polyglot_pdf_zip.pdf", lambda: b"%PDF-1.4\n" + ofd_package()
    yield "utf16_text.pdf", lambda: "发票 invoice".encode("utf-16")
    for seed in range(10):
        rnd = random.Random(seed)
        body = bytes(rnd.randrange(256) for _ in range(4096))
        yield f"random_{seed}.bin", lambda body=body: body
        yield f"random_pdf_header_{seed}.pdf", lambda body=body: b"%PDF-1.7\n" + body + b"\n%%EOF\n"


def _docx() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()
