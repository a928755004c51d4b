"""File forensics for PDFs (bank statements above all): metadata, incremental saves, fonts of the amounts.

A statement exported by a bank system is written once; an edited one often shows a non-bank producer, a
modification date after creation, saves appended to the file (several ``%%EOF``/``startxref``), or an amount
retyped in another font. :func:`inspect_pdf` gathers these facts; the rules in
``validators.rules.pdf_forensics`` decide what to report.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections import Counter
from pathlib import Path

from idp.models.forensics import OddRun, PdfForensics

logger = logging.getLogger(__name__)

_AMOUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)|-?\d+\.\d{2}(?!\d)")
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?")
#: Pages looked at for amount fonts (a long statement repeats the same fonts).
_MAX_FONT_PAGES = 40


def inspect_pdf(path: Path) -> PdfForensics:
    """Every fact this module knows how to read from the PDF at ``path`` (never raises on odd files)."""
    data = Path(path).read_bytes()
    report = PdfForensics(
        eof_markers=data.count(b"%%EOF"),
        xref_sections=len(re.findall(rb"startxref\s+\d+", data)),
        linearized=b"/Linearized" in data[:2048],
        signed=b"/ByteRange" in data,
    )
    expected = 2 if report.linearized else 1
    report.incremental_updates = max(0, max(report.xref_sections, report.eof_markers) - expected)
    try:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
    except Exception as exc:  # a broken file is reported by the readers, not here
        logger.info("%s: pdfium cannot open it (%s)", Path(path).name, exc)
        return report
    try:
        meta = doc.get_metadata_dict()
        report.producer = meta.get("Producer") or None
        report.creator = meta.get("Creator") or None
        report.creation_date = _iso(meta.get("CreationDate"))
        report.mod_date = _iso(meta.get("ModDate"))
        report.pages = len(doc)
        fonts: Counter[str] = Counter()
        runs: list[tuple[int, str, str]] = []
        for i in range(min(len(doc), _MAX_FONT_PAGES)):
            for text, font in _amount_fonts(doc[i]):
                fonts[font] += 1
                runs.append((i + 1, text, font))
        report.amount_fonts = dict(fonts)
        if len(fonts) > 1:
            main = fonts.most_common(1)[0][0]
            report.odd_amounts = [OddRun(page=p, text=t, font=f) for p, t, f in runs if f != main][:20]
    finally:
        doc.close()
    return report


def _iso(value: str | None) -> str | None:
    """``D:20240301101500+08'00'`` → ``2024-03-01T10:15:00``; other text as stored."""
    if not value:
        return None
    m = _PDF_DATE.match(value.strip())
    if not m or not m.group(1):
        return value
    y, mo, d, h, mi, s = (
        g or default for g, default in zip(m.groups(), ("", "01", "01", "00", "00", "00"), strict=True)
    )
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}"


def _amount_fonts(page: object) -> list[tuple[str, str]]:
    """(amount text, font name without subset prefix) for every amount on a text-layer page."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n else ""
        if len(text) != n:
            return []
        out = []
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int(0)
        for m in _AMOUNT.finditer(text):
            index = m.end() - 1  # the last digit: a retyped amount keeps the original minus sign at times
            size = raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, len(buffer), ctypes.byref(flags))
            if size <= 0:
                continue
            name = buffer.raw[: max(0, size - 1)].decode("utf-8", "replace")
            out.append((m.group(0), name.split("+", 1)[-1]))
        return out
    finally:
        textpage.close()
