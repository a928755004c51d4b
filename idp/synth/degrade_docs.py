"""Scan and phone-photo versions of multi-page synthetic documents (contracts, statements), by seed.

Unlike :func:`idp.synth.degrade.photo` no extra seal is stamped: a contract's seals are part of its truth.
"""

from __future__ import annotations

import io
import time

import cv2
import numpy as np

from idp.synth.degrade import blur, jpeg, noise, on_desk, perspective, render_pdf, rotate_small, shadow

#: Conditions :func:`degrade_pdf` knows: a flat office scan, and a phone photo of the first page.
CONDITIONS = ("text", "scan", "photo")
#: Resolution of the simulated scanner (dpi).
SCAN_DPI = 200


def scan_page(img: np.ndarray, seed: int) -> np.ndarray:
    """A flatbed scan: a slight skew, sensor noise, a little blur, JPEG at quality 75."""
    rng = np.random.default_rng(seed)
    out = rotate_small(img, float(rng.uniform(0.3, 1.0) * rng.choice([-1, 1])))
    out = blur(out, 0.6)
    out = noise(out, seed, sigma=4.0)
    return jpeg(out, 70)


def photo_page(img: np.ndarray, seed: int) -> np.ndarray:
    """A phone photo: on a desk, turned 2-4°, in perspective, with a shadow, blur, noise and JPEG q60."""
    rng = np.random.default_rng(seed)
    out = on_desk(img, seed, margin=0.05)
    out = rotate_small(out, float(rng.uniform(2, 4) * rng.choice([-1, 1])), fill=(70, 105, 140))
    out = perspective(out, seed, strength=0.035)
    out = shadow(out, seed, depth=0.3)
    out = blur(out, 0.8)
    out = noise(out, seed, sigma=4.0)
    return jpeg(out, 60)


#: Fixed date written into image PDFs, so the same seed gives the same bytes.
_FIXED_DATE = time.gmtime(1704067200)  # 2024-01-01


def image_pdf(images: list[np.ndarray], *, dpi: int = SCAN_DPI) -> bytes:
    """An image-only PDF (one page per BGR image) with a fixed creation date: byte-identical per seed."""
    from PIL import Image

    pil = [Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB)) for img in images]
    out = io.BytesIO()
    pil[0].save(
        out,
        "PDF",
        resolution=float(dpi),
        save_all=True,
        append_images=pil[1:],
        creationDate=_FIXED_DATE,
        modDate=_FIXED_DATE,
    )
    return out.getvalue()


def degrade_pdf(
    pdf: bytes, condition: str, seed: int, *, pages: list[int] | None = None
) -> tuple[bytes, str]:
    """(file bytes, extension): ``scan`` → an image-only PDF of the pages (all by default); ``photo`` → a JPEG
    when one page is photographed, else an image-only PDF of one photo per page."""
    if condition == "scan":
        images = render_pdf(pdf, dpi=SCAN_DPI, pages=pages)
        return image_pdf([scan_page(img, seed + i) for i, img in enumerate(images)], dpi=SCAN_DPI), "pdf"
    if condition == "photo":
        images = render_pdf(pdf, dpi=SCAN_DPI, pages=pages)
        shots = [photo_page(img, seed + i) for i, img in enumerate(images)]
        if len(shots) == 1:
            ok, buf = cv2.imencode(".jpg", shots[0], [cv2.IMWRITE_JPEG_QUALITY, 92])
            if not ok:
                raise ValueError("JPEG encoding failed")
            return buf.tobytes(), "jpg"
        return image_pdf(shots, dpi=SCAN_DPI), "pdf"
    raise ValueError(f"unknown condition {condition!r}; expected one of {CONDITIONS}")
