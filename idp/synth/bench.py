"""``idp bench read``: time per page for text PDFs, OFDs, scanned PDFs and phone photos, against a bare engine call.

Scans and photos are made from the text PDFs (rendered, then degraded), so every timed page also has a truth
and the CER is reported next to the time. ``overhead_ratio`` = scanned-PDF pipeline / bare OCR on the same pixels.
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from idp.settings import get_settings

from extractors.readers.dispatch import read_document
from extractors.readers.ocr import get_engine
from idp.synth.degrade import image_pdf, photo, render_pdf
from idp.synth.evaluate import truth_pieces
from idp.synth.measure import flexible_char_errors
from idp.synth.specimen import specimen_pdf, specimens

logger = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[2]
_COLD = (
    "import sys, time; from pathlib import Path; "
    "from extractors.readers.dispatch import read_document; read_document(Path(sys.argv[1]))"
)


def default_sources(limit: int = 3) -> list[Path]:
    """Text PDFs to start from: ``samples/vat_invoice`` if there are any, else the built-in specimens."""
    samples = sorted((_ROOT / "samples" / "vat_invoice").glob("*.pdf"))[:limit]
    if samples:
        return samples
    target = Path(tempfile.gettempdir()) / "idp-bench-specimens.pdf"
    target.write_bytes(specimen_pdf(*specimens()))
    return [target]


def run_bench(sources: list[Path] | None = None, *, repeat: int = 3, ofds: list[Path] | None = None) -> dict[str, Any]:
    """Measure everything once per source page (``repeat`` times for the fast readers); returns the figures."""
    sources = sources or default_sources()
    work = Path(tempfile.mkdtemp(prefix="idp-bench-"))
    clean = [img for src in sources for img in render_pdf(src)]
    truths = [truth_pieces(p) for src in sources for p in read_document(src)]
    scan_files = [_write(work / f"scan{i}.pdf", image_pdf([img])) for i, img in enumerate(clean)]
    photos = [photo(img, seed=i + 1) for i, img in enumerate(clean)]
    photo_files = [_write(work / f"photo{i}.jpg", _jpeg(img)) for i, img in enumerate(photos)]

    out: dict[str, Any] = {"threads": get_settings().ocr_threads, "pages": len(clean)}
    out["cold_start_ms"] = _cold_start(scan_files[0])

    t0 = time.perf_counter()
    engine = get_engine()
    out["engine_init_ms"] = round(1000 * (time.perf_counter() - t0), 1)
    engine.recognize(clean[0])  # warm-up: first inference allocates

    text_ms = _per_page(sources, repeat)
    out |= _stats("text_pdf", text_ms)
    if ofds:
        out |= _stats("ofd", _per_page(ofds, repeat))

    scan_ms, scan_cer = _timed_ocr(scan_files, truths)
    out |= _stats("scan", scan_ms)
    out["scan_cer"] = scan_cer
    photo_ms, photo_cer = _timed_ocr(photo_files, truths)
    out |= _stats("photo", photo_ms)
    out["photo_cer"] = photo_cer

    bare = []
    for img in clean:
        t0 = time.perf_counter()
        engine.recognize(img)
        bare.append(1000 * (time.perf_counter() - t0))
    out |= _stats("bare_ocr", bare)
    out["overhead_ratio"] = round(out["scan_ms_p50"] / out["bare_ocr_ms_p50"], 3)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def _per_page(files: list[Path], repeat: int) -> list[float]:
    times = []
    for path in files:
        read_document(path)  # first read warms caches (fonts, imports); not timed
        for _ in range(repeat):
            t0 = time.perf_counter()
            pages = read_document(path)
            times.append(1000 * (time.perf_counter() - t0) / len(pages))
    return times


def _timed_ocr(files: list[Path], truths: list[list[str]]) -> tuple[list[float], float]:
    times, edits, chars = [], 0, 0
    for path, truth in zip(files, truths, strict=True):
        t0 = time.perf_counter()
        pages = read_document(path)
        times.append(1000 * (time.perf_counter() - t0))
        page_edits, page_chars = flexible_char_errors(truth, [ln.text for ln in pages[0].lines])
        edits += page_edits
        chars += page_chars
    return times, round(edits / max(1, chars), 5)


def _cold_start(path: Path) -> float:
    """Wall time of a fresh interpreter reading one scanned page (imports, model load, first inference)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")]))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _COLD, str(path)], check=True, env=env, cwd=_ROOT)
    return round(1000 * (time.perf_counter() - t0), 1)


def _stats(name: str, values: list[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=np.float64)
    return {f"{name}_ms_p50": round(float(np.percentile(arr, 50)), 1), f"{name}_ms_p95": round(float(np.percentile(arr, 95)), 1)}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _jpeg(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()
