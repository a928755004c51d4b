"""Input limits, checked on the raw bytes and headers of a file before any decoder sees it.

A hostile or absurd file (a decompression bomb, a 14400 pt page, a 13000 x 13000 PNG, 2000 pages) must fail at
once with an input code and a Chinese message, never take a worker's memory or hours of retries.
:func:`check_file` inspects a PDF, OFD or image without decoding page content and raises
:class:`idp.errors.InputRejected`; :func:`input_error` maps the errors libraries raise on hostile input
(pdfium, OpenCV, Pillow, zipfile, XML parsers) to input codes, so only transient errors are retried.

The review page's renderer uses the same numbers: :func:`render_scale` gives the largest scale at which a
page may be rendered (or refuses it).
"""

from __future__ import annotations

from pathlib import Path

from extractors.readers.limits.errors import input_error, reject
from extractors.readers.limits.model import Inspection, Limits


def check_file(path: Path, limits: Limits | None = None) -> Inspection:
    """Refuse a file over any limit (``InputRejected``); otherwise what was learnt (kind, pages, pixels).

    Files that are not PDF, OFD or images pass unchanged (the reader rejects them with its own code), and
    so do files a quick look cannot open (encrypted, truncated): the reader says precisely what is wrong.
    """
    from extractors.readers.limits import archive, image, pdf

    limits = limits or Limits.from_settings()
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(2048)
    if b"%PDF-" in head[:1024]:
        return pdf.check_pdf(path, limits)
    if head.startswith(b"PK\x03\x04"):
        return archive.check_archive(path, limits)
    if image.looks_like_image(head):
        return image.check_image(path, limits)
    return Inspection(kind="unknown")


def render_scale(width_pt: float, height_pt: float, dpi: float, limits: Limits | None = None) -> float:
    """The scale (pixels per point) for rendering a page at ``dpi``, lowered to stay within the page pixel
    limit; a page whose shape is absurd is refused (``page_too_large`` / ``image_bad_shape``)."""
    limits = limits or Limits.from_settings()
    return limits.render_scale(width_pt, height_pt, dpi)


__all__ = ["Inspection", "Limits", "check_file", "input_error", "reject", "render_scale"]
