"""Sets of synthetic invoices for evaluation: every kind as a text PDF, a scan and a phone photo, with truth.

Deterministic by seed. E-invoice kinds (10, 08, 31, 32) come as text PDFs; every kind, paper ones included,
as scan-like and photo-like JPEGs rendered from the same drawing (seal, skew, blur, JPEG artefacts; the photo
adds a desk, perspective and shadows). The truth JSON (schema of ``shared/real``) says the ``form``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import cv2
import numpy as np

from idp.synth import degrade
from idp.synth.vat_invoice import KINDS, PAPER_KINDS, SyntheticInvoice, generate

#: Forms a set may contain.
FORMS = ("pdf", "scan", "photo")
#: Resolution invoices are rendered at before degradation (dpi): a 150-200 dpi office scan.
RENDER_DPI = 200
#: JPEG quality of a saved scan, and of a photo (already through degrade.photo's q40 once).
_SCAN_QUALITY, _PHOTO_QUALITY = 70, 80


def kinds_for(form: str) -> tuple[str, ...]:
    """Paper invoices exist only on paper: no text-PDF form for them."""
    return tuple(k for k in KINDS if not (form == "pdf" and k in PAPER_KINDS))


def scan(image: np.ndarray, seed: int) -> np.ndarray:
    """An office scan: the seller's seal over the foot of the page, a slight skew, blur and noise."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    out = degrade.stamp_seal(image, seed, center=(rng.uniform(0.68, 0.8) * w, rng.uniform(0.8, 0.9) * h))
    out = degrade.rotate_small(out, float(rng.uniform(0.3, 1.5) * rng.choice([-1, 1])))
    out = degrade.blur(out, 0.6)
    return degrade.noise(out, seed, sigma=3.0)  # saved as a JPEG of quality ``_SCAN_QUALITY``


def render_image(invoice: SyntheticInvoice, form: str) -> np.ndarray:
    """The invoice drawn as a PDF, rendered and degraded as ``form`` ("scan" or "photo")."""
    from idp.synth._invoice_pdf import render

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "invoice.pdf"
        render(invoice, pdf)
        page = degrade.render_pdf(pdf, dpi=RENDER_DPI)[0]
    return scan(page, invoice.seed) if form == "scan" else degrade.photo(page, invoice.seed)


def write_invoice(directory: Path, name: str, invoice: SyntheticInvoice, form: str) -> Path:
    """Write one invoice in ``form`` as ``<name>.pdf``/``<name>.jpg`` with its truth JSON; return the path."""
    from idp.synth._invoice_pdf import render

    directory.mkdir(parents=True, exist_ok=True)
    if form == "pdf":
        path = directory / f"{name}.pdf"
        render(invoice, path)
        truth_form = "text_pdf"
    else:
        path = directory / f"{name}.jpg"
        quality = _SCAN_QUALITY if form == "scan" else _PHOTO_QUALITY
        ok, buf = cv2.imencode(".jpg", render_image(invoice, form), [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise ValueError("JPEG encoding failed")
        path.write_bytes(buf.tobytes())
        truth_form = form
    truth = {**invoice.truth(path.name), "form": truth_form}
    truth_path = path.with_name(path.name + ".truth.json")
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_set(
    out: Path, *, count: int, seed: int = 1, forms: list[str] | None = None, kinds: list[str] | None = None
) -> list[Path]:
    """``count`` invoices per form, kinds in turn, each from its own seed; returns the document paths."""
    paths = []
    for form in forms or list(FORMS):
        if form not in FORMS:
            raise ValueError(f"unknown form {form!r}; expected one of {FORMS}")
        allowed = [k for k in (kinds or kinds_for(form)) if k in kinds_for(form)]
        if not allowed:
            continue
        for i in range(count):
            kind = allowed[i % len(allowed)]
            invoice_seed = seed * 1000 + i
            invoice = generate(kind, invoice_seed)
            name = f"{form}_{kind}_{invoice_seed:06d}"
            paths.append(write_invoice(out / form, name, invoice, form))
    return paths
