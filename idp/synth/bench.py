"""``idp bench read``: ms per page for text PDFs, OFDs, scanned PDFs and photos, against bare OCR.

Scans and photos are made from the text PDFs (rendered, then degraded), so every timed page also has a
truth and its CER is reported next to the time. ``overhead_ratio`` = scanned-PDF pipeline / bare OCR
on the same pixels (the engine's default detector size); ``overhead_ratio_same_det`` compares with the
detector size the pipeline chose, so it isolates parsing, rendering and preprocessing; ``*_cpu_ms``
are process CPU times, which other load on the machine cannot inflate.
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from extractors.readers.dispatch import read_document
from extractors.readers.ocr import get_engine
from extractors.readers.preprocess import prepare
from idp.settings import get_settings, reset_settings
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


def run_bench(
    sources: list[Path] | None = None,
    *,
    repeat: int = 3,
    ocr_repeat: int = 2,
    ofds: list[Path] | None = None,
) -> dict[str, Any]:
    """Measure every source page: the fast readers ``repeat`` times, the OCR paths ``ocr_repeat`` times.

    The bare engine call, the scanned-PDF pipeline and the photo pipeline run back to back on each page,
    so ``overhead_ratio`` (the median of per-page ratios) holds even when other load comes and goes.
    """
    sources = sources or default_sources()
    work = Path(tempfile.mkdtemp(prefix="idp-bench-"))
    clean = [img for src in sources for img in render_pdf(src)]
    truths = [truth_pieces(p) for src in sources for p in read_document(src)]
    scans = [_write(work / f"scan{i}.pdf", image_pdf([img])) for i, img in enumerate(clean)]
    photos = [_write(work / f"photo{i}.jpg", _jpeg(photo(img, seed=i + 1))) for i, img in enumerate(clean)]

    out: dict[str, Any] = {"threads": get_settings().ocr_threads, "pages": len(clean)}
    out["cold_start_ms"] = _cold_start(scans[0])

    t0 = time.perf_counter()
    engine = get_engine()
    out["engine_init_ms"] = round(1000 * (time.perf_counter() - t0), 1)
    engine.recognize(clean[0])  # warm-up: the first inference allocates

    out |= _stats("text_pdf", _per_page(sources, repeat))
    with _text_reader(
        "pdfplumber"
    ):  # the design card's reader, for comparison (IDP_PDF_TEXT_READER=pdfplumber)
        out |= _stats("text_pdf_pdfplumber", _per_page(sources, repeat))
    if ofds:
        out |= _stats("ofd", _per_page(ofds, repeat))

    names = ("bare_ocr", "bare_same_det", "scan", "photo")
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    ratios: dict[str, list[float]] = {
        "overhead_ratio": [],
        "overhead_ratio_same_det": [],
        "overhead_ratio_cpu": [],
    }
    errors = {"scan": [0, 0], "photo": [0, 0]}
    for i, img in enumerate(clean):
        det_side = prepare(img).det_side
        for r in range(ocr_repeat):
            runs = {
                "bare_ocr": _timed(lambda img=img: engine.recognize(img)),
                "bare_same_det": _timed(lambda img=img, d=det_side: engine.recognize(img, det_side=d)),
                "scan": _timed(lambda i=i: read_document(scans[i])),
                "photo": _timed(lambda i=i: read_document(photos[i])),
            }
            for name, (w, c, _) in runs.items():
                wall[name].append(w)
                cpu[name].append(c)
            ratios["overhead_ratio"].append(runs["scan"][0] / runs["bare_ocr"][0])
            ratios["overhead_ratio_same_det"].append(runs["scan"][0] / runs["bare_same_det"][0])
            ratios["overhead_ratio_cpu"].append(runs["scan"][1] / runs["bare_ocr"][1])
            if r == 0:
                for name in ("scan", "photo"):
                    pages = runs[name][2]
                    e, n = flexible_char_errors(truths[i], [ln.text for ln in pages[0].lines])
                    errors[name][0] += e
                    errors[name][1] += n
    for name in names:
        out |= _stats(name, wall[name])
        out[f"{name}_cpu_ms_p50"] = round(float(np.median(cpu[name])), 1)
    out["scan_cer"] = round(errors["scan"][0] / max(1, errors["scan"][1]), 5)
    out["photo_cer"] = round(errors["photo"][0] / max(1, errors["photo"][1]), 5)
    out |= {name: round(float(np.median(values)), 3) for name, values in ratios.items()}
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


@contextmanager
def _text_reader(name: str) -> Iterator[None]:
    """Run with another ``pdf_text_reader`` (settings are read from the environment once, then cached)."""
    saved = os.environ.get("IDP_PDF_TEXT_READER")
    os.environ["IDP_PDF_TEXT_READER"] = name
    reset_settings()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("IDP_PDF_TEXT_READER", None)
        else:
            os.environ["IDP_PDF_TEXT_READER"] = saved
        reset_settings()


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall ms, process CPU ms over all threads, result): CPU time is what other load cannot inflate."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = call()
    return 1000 * (time.perf_counter() - t0), 1000 * (time.process_time() - c0), result


def _per_page(files: list[Path], repeat: int) -> list[float]:
    times = []
    for path in files:
        read_document(path)  # first read warms caches (fonts, imports); not timed
        for _ in range(repeat):
            t0 = time.perf_counter()
            pages = read_document(path)
            times.append(1000 * (time.perf_counter() - t0) / len(pages))
    return times


def _cold_start(path: Path) -> float:
    """Wall time of a fresh interpreter reading one scanned page (imports, model load, first inference)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")]))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _COLD, str(path)], check=True, env=env, cwd=_ROOT)
    return round(1000 * (time.perf_counter() - t0), 1)


def _stats(name: str, values: list[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=np.float64)
    return {
        f"{name}_ms_p50": round(float(np.percentile(arr, 50)), 1),
        f"{name}_ms_p95": round(float(np.percentile(arr, 95)), 1),
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _jpeg(img: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()
