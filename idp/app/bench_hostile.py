"""``idp bench hostile``: the hostile corpus through the API and a real worker, one file at a time.

Prints per file: the outcome (input code or read), attempts, seconds from upload to settled; then the targets
of the hardening issue: unhandled errors, retries on bad input, files kept, worker and API peak memory,
the slowest file.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from idp.app.bench_stack import BenchStack, new_application

#: Document statuses after which a file is settled.
_SETTLED = {"failed", "extracted"}
#: Error codes that mean "the file is bad" (anything else on a failed document is an unhandled error).
TRANSIENT_CODES = {"processing_error"}


@dataclass
class HostileOutcome:
    name: str
    size: int
    status: str
    code: str | None
    attempts: int
    seconds: float
    kept: bool
    http_errors: int


def run_hostile(paths: list[Path], *, stack: BenchStack, timeout_s: float = 120.0) -> list[HostileOutcome]:
    """Submit each file as its own application and wait until its document settles."""
    from idp.storage import documents
    from idp.storage.blobstore import file_store
    from idp.storage.db import session_scope

    out = []
    for path in paths:
        data = path.read_bytes()
        http_errors = 0
        app_id = new_application(stack.http)
        started = time.monotonic()
        resp = stack.http.post(f"/v1/applications/{app_id}/documents",
                               files=[("files", (path.name, data, "application/octet-stream"))])
        if resp.status_code >= 500:
            http_errors += 1
        if resp.status_code != 201:
            out.append(HostileOutcome(path.name, len(data), f"http_{resp.status_code}",
                                      resp.json().get("code") if resp.content else None, 0, 0.0, False,
                                      http_errors))
            continue
        doc_id = resp.json()["documents"][0]["id"]
        submitted = stack.http.post(f"/v1/applications/{app_id}/submit")
        http_errors += submitted.status_code >= 500
        status = "queued"
        while time.monotonic() - started < timeout_s:
            with session_scope(stack.settings.effective_database_url) as s:
                row = documents.get(s, doc_id)
                status, code, attempts, key = row.status, row.error_code, row.attempts, row.storage_key
            if status in _SETTLED:
                break
            time.sleep(0.05)
        seconds = time.monotonic() - started
        stored = file_store(stack.settings).read(key)
        kept = hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
        out.append(HostileOutcome(path.name, len(data), status, code, attempts, round(seconds, 2), kept,
                                  http_errors))
    return out


def summarise(outcomes: list[HostileOutcome], peaks_mb: dict[str, float]) -> dict[str, Any]:
    unsettled = [o.name for o in outcomes if o.status not in _SETTLED]
    unhandled = [o.name for o in outcomes
                 if o.code in TRANSIENT_CODES or o.http_errors or o.status.startswith("http_5")]
    return {
        "files": len(outcomes),
        "unhandled_errors": len(unhandled) + len(unsettled),
        "unhandled": unhandled + unsettled,
        "retries_on_bad_input": sum(max(0, o.attempts - 1) for o in outcomes),
        "files_kept": sum(o.kept for o in outcomes),
        "failed_with_input_code": sum(1 for o in outcomes if o.status == "failed" and o.code not in TRANSIENT_CODES),
        "read": sum(1 for o in outcomes if o.status == "extracted"),
        "slowest_s": max((o.seconds for o in outcomes), default=0.0),
        "slowest": max(outcomes, key=lambda o: o.seconds).name if outcomes else None,
        "worker_peak_mb": round(peaks_mb.get("worker", 0.0)),
        "api_peak_mb": round(peaks_mb.get("api", 0.0)),
    }


def bench_hostile(fast: bool = False, json_out: Path | None = None, keep: Path | None = None,
                  console: Console | None = None) -> int:
    """Generate the corpus, run it, print the table and the targets; exit status 1 when a target is missed."""
    from idp.settings import get_settings
    from idp.synth.hostile import write_corpus

    console = console or Console()
    corpus_dir = keep or Path(tempfile.mkdtemp(prefix="idphostile"))
    sample = sorted((Path(__file__).resolve().parents[2] / "samples" / "vat_invoice").glob("*.pdf"))[0]
    paths = write_corpus(corpus_dir, get_settings(), sample_pdf=sample.read_bytes(), fast=fast)
    console.print(f"{len(paths)} hostile files in {corpus_dir}")
    with BenchStack(workers=1) as stack:
        outcomes = run_hostile(paths, stack=stack)
        peaks = stack.sampler.stop()
    table = Table("file", "bytes", "status", "code", "tries", "s", "kept")
    for column in table.columns[:4]:
        column.overflow = "fold"
    for o in outcomes:
        table.add_row(o.name, str(o.size), o.status, o.code or "", str(o.attempts), f"{o.seconds:.2f}",
                      "yes" if o.kept else "NO")
    console.print(table)
    summary = summarise(outcomes, peaks)
    console.print_json(json.dumps(summary, ensure_ascii=False))
    if json_out:
        json_out.write_text(json.dumps({"summary": summary, "files": [asdict(o) for o in outcomes]},
                                       ensure_ascii=False, indent=1))
    ok = (summary["unhandled_errors"] == 0 and summary["retries_on_bad_input"] == 0
          and summary["files_kept"] == len(outcomes))
    return 0 if ok else 1
