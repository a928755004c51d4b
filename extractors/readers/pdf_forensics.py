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
#: Width (pt) of the steps amounts' right edges are grouped into columns by.
_COLUMN_PT = 12.0
#: Fewest amounts a column needs before a different font in it means anything.
_MIN_COLUMN = 5


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
        runs: list[tuple[int, str, str, int]] = []
        for i in range(min(len(doc), _MAX_FONT_PAGES)):
            for text, font, column in _amount_fonts(doc[i]):
                fonts[font] += 1
                runs.append((i + 1, text, font, column))
        report.amount_fonts = dict(fonts)
        report.odd_amounts = _odd_in_columns(runs)[:20]
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


def _odd_in_columns(runs: list[tuple[int, str, str, int]]) -> list[OddRun]:
    """Amounts printed in another font than the rest of their column. A retyped amount sits in a column of
    amounts the bank's system printed alike; a header line or a total row in another font is layout, not a sign
    (documents routinely set Latin digits and Chinese text in different fonts)."""
    columns: dict[int, Counter[str]] = {}
    for _, _, font, column in runs:
        columns.setdefault(column, Counter())[font] += 1
    odd = []
    for page, text, font, column in runs:
        counts = columns[column]
        total = sum(counts.values())
        main, main_count = counts.most_common(1)[0]
        if total >= _MIN_COLUMN and font != main and counts[font] <= max(1, total // 10) and main_count > total // 2:
            odd.append(OddRun(page=page, text=text, font=font))
    return odd


def _amount_fonts(page: object) -> list[tuple[str, str, int]]:
    """(amount text, font name without subset prefix, column) for every amount on a text-layer page; the
    column is the amount's right edge in steps of ``_COLUMN_PT`` (amounts are set right-aligned)."""
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
            left, right, bottom, top = (ctypes.c_double() for _ in range(4))
            raw.FPDFText_GetCharBox(textpage.raw, index, ctypes.byref(left), ctypes.byref(right),
                                    ctypes.byref(bottom), ctypes.byref(top))
            out.append((m.group(0), name.split("+", 1)[-1], round(right.value / _COLUMN_PT)))
        return out
    finally:
        textpage.close()
