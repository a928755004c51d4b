"""``idp bench review``: how long a reviewer waits for a task page with a photographed invoice (warm).

A photo is read by the real pipeline, its page image stored as the worker stores it, and a task opened on
it; the API serves on loopback. Figures: the page's HTML and its page image over HTTP (server + transfer),
and, when Debian's Chromium is installed, the whole page in a browser (navigation to the ``load`` event,
the page image decoded), each with a fresh cache. Target: ≤ 300 ms.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from idp.settings import Settings

REPO = Path(__file__).resolve().parents[2]
PHOTO = REPO / "samples" / "vat_invoice_photo" / "putong_dianzi_photo_01.jpg"
CHROMIUM = Path("/usr/bin/chromium")
_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
_USER, _PASSWORD = "bench-reviewer", "bench-password-1"


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000, 1), "n": len(ordered)}


def _seed(settings: Settings, photo: Path) -> tuple[str, str]:
    """A client, an application, the photo read and stored with its page image, a task on it."""
    from idp.app.auth import accounts
    from idp.models import Borrower, Reason, TaskKind
    from idp.storage import applications, clients, documents, tasks
    from idp.storage.blobstore import file_store
    from idp.storage.db import session_scope
    from queues.clock import utcnow
    from queues.docproc import process_file
    from queues.page_images import render_document

    now = utcnow()
    doc = process_file(photo, now=now, content_type="image/jpeg")[0]
    data = photo.read_bytes()
    sha, key = file_store(settings).put(data)
    with session_scope(settings.effective_database_url) as s:
        client, _ = clients.create_client(s, name="bench", now=now)
        app, _ = applications.create_application(s, client_id=client.id, now=now, product="订单贷",
                                                 borrower=Borrower(name="上海示例贸易有限公司",
                                                                   uscc="91310115MA1H8XXX2Q"))
        app.status = "review"
        row, _ = documents.add_document(s, application_id=app.id, filename=photo.name, content_type="image/jpeg",
                                        sha256=sha, size=len(data), storage_key=key, now=now)
        documents.save_extraction(row, extraction=doc.extraction, findings=doc.findings, pages=len(doc.pages),
                                  page_text=[p.model_dump(mode="json") for p in doc.pages], now=now)
        reason = Reason(code="field.low_confidence", message="请核对", fields=list(doc.extraction.fields)[:3],
                        document_id=row.id)
        task = tasks.create_task(s, application_id=app.id, kind=TaskKind.FIELD_REVIEW, reasons=[reason], now=now,
                                 sla_due_at=now, document_id=row.id)
        accounts.create(s, username=_USER, role="reviewer", password=_PASSWORD, now=now)
        doc_id, task_id = row.id, task.id
    render_document(settings, doc_id, file_store(settings).local_path(key), doc.pages, now=now)
    return doc_id, task_id


def run_review_bench(*, loads: int = 20, photo: Path = PHOTO) -> dict[str, Any]:
    from idp.app.main import create_app
    from idp.standins.runner import BackgroundServer
    from idp.storage.db import dispose_all
    from idp.storage.migrate import upgrade

    work = Path(tempfile.mkdtemp(prefix="idp-bench-review-"))
    settings = Settings(data_dir=work)
    upgrade(settings.effective_database_url)
    server = None
    try:
        doc_id, task_id = _seed(settings, photo)
        server = BackgroundServer(create_app(settings, migrate=False)).start()
        base = server.url
        out: dict[str, Any] = {"photo": photo.name, "loads": loads}
        with httpx.Client(base_url=base) as http:
            login = http.get("/review/login").text
            token = login.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
            http.post("/review/login", data={"username": _USER, "password": _PASSWORD, "csrf_token": token})
            html, image = [], []
            for i in range(loads + 3):  # the first three warm up
                t0 = time.perf_counter()
                assert http.get(f"/review/tasks/{task_id}").status_code == 200
                t1 = time.perf_counter()
                assert http.get(f"/review/documents/{doc_id}/pages/1.jpg").status_code == 200
                t2 = time.perf_counter()
                if i >= 3:
                    html.append(t1 - t0)
                    image.append(t2 - t1)
            out["http_task_page"], out["http_page_image"] = _ms(html), _ms(image)
            cookies = dict(http.cookies)
        if CHROMIUM.exists():
            out["browser_page_load"] = _browser(base, task_id, cookies, loads)
        else:
            out["browser_page_load"] = "skipped: /usr/bin/chromium is not installed"
        return out
    finally:
        if server is not None:
            server.stop()
        dispose_all()
        shutil.rmtree(work, ignore_errors=True)


def _browser(base: str, task_id: str, cookies: dict[str, str], loads: int) -> dict[str, float]:
    """Navigation start to ``load`` (page image decoded), a fresh cache each time."""
    from playwright.sync_api import sync_playwright

    took = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=_ARGS, headless=True)
        try:
            for i in range(loads + 3):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
                page = context.new_page()
                page.goto(f"{base}/review/tasks/{task_id}", wait_until="load")
                page.wait_for_function("() => { const i = document.querySelector('.page:not([hidden]) img');"
                                       " return i && i.complete && i.naturalWidth > 0; }")
                ms = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                   " return n.loadEventEnd - n.startTime; }")
                if i >= 3:
                    took.append(ms / 1000)
                context.close()
        finally:
            browser.close()
    return _ms(took)
