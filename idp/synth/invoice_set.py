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
from idp.synth.invoice_families import FAMILIES, family_invoice, family_truth
from idp.synth.vat_invoice import KINDS, PAPER_KINDS, SyntheticInvoice, generate

#: Forms a set may contain (the last three: a PDF viewer's screenshot, a 4800 px render, a low-resolution
#: photo of curled continuous-feed paper turned a quarter).
FORMS = ("pdf", "scan", "photo", "screenshot", "render_big", "photo_rotated")
#: Forms saved as PNG (lossless screen captures and exports); the others as JPEG.
_PNG_FORMS = ("screenshot", "render_big")
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
    """The invoice drawn as a PDF, rendered and degraded as ``form`` (an image form of ``FORMS``)."""
    from idp.synth import invoice_forms
    from idp.synth._invoice_pdf import render

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "invoice.pdf"
        render(invoice, pdf)
        page = degrade.render_pdf(pdf, dpi=RENDER_DPI)[0]
    makers = {
        "scan": scan,
        "photo": degrade.photo,
        "screenshot": invoice_forms.screenshot,
        "render_big": invoice_forms.big_render,
        "photo_rotated": invoice_forms.rotated_low_res_photo,
    }
    return makers[form](page, invoice.seed)


def write_invoice(directory: Path, name: str, invoice: SyntheticInvoice, form: str) -> Path:
    """Write one invoice in ``form`` as ``<name>.pdf``/``<name>.jpg`` with its truth JSON; return the path."""
    from idp.synth._invoice_pdf import render

    directory.mkdir(parents=True, exist_ok=True)
    if form == "pdf":
        path = directory / f"{name}.pdf"
        render(invoice, path)
        truth_form = "text_pdf"
    else:
        png = form in _PNG_FORMS
        path = directory / f"{name}.{'png' if png else 'jpg'}"
        quality = _SCAN_QUALITY if form == "scan" else _PHOTO_QUALITY
        params = [] if png else [cv2.IMWRITE_JPEG_QUALITY, quality]
        ok, buf = cv2.imencode(path.suffix, render_image(invoice, form), params)
        if not ok:
            raise ValueError("image encoding failed")
        path.write_bytes(buf.tobytes())
        truth_form = form
    truth = {**family_truth(invoice, path.name), "form": truth_form}
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


def write_family_set(
    out: Path, *, count: int, seed: int = 1, families: list[str] | None = None, forms: list[str] | None = None
) -> list[Path]:
    """``count`` invoices per family and form (each family in the forms it comes in, kinds in turn); the truth
    names the ``family``. Folders: ``<out>/<family>/<form>_<kind>_<seed>``."""
    paths = []
    for name in families or list(FAMILIES):
        if name not in FAMILIES:
            raise ValueError(f"unknown family {name!r}; expected one of {sorted(FAMILIES)}")
        family = FAMILIES[name]
        for form in family.forms:
            if forms and form not in forms:
                continue
            for i in range(count):
                kind = family.kinds[i % len(family.kinds)]
                invoice_seed = seed * 1000 + i
                invoice = family_invoice(family, kind, invoice_seed)
                paths.append(write_invoice(out / name, f"{form}_{kind}_{invoice_seed:06d}", invoice, form))
    return paths
