"""The whole path on real stores: upload → queue → read → extract → validate → decide → review/result → webhook."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest

from idp.app.webhook_receiver import WebhookReceiver
from idp.storage import documents, tasks
from idp.storage.blobstore import FileStore
from idp.storage.db import session_scope
from queues import pipeline
from queues.clock import utcnow
from queues.review import resolve_task
from tests.helpers import api, make_client, new_application, run_burst_worker, submit, upload

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "vat_invoice"


def _truth(pdf: Path) -> dict:
    return json.loads(pdf.with_name(pdf.name + ".truth.json").read_text(encoding="utf-8"))


def _clean() -> list[Path]:
    return [p for p in sorted(SAMPLES.glob("*.pdf")) if not _truth(p).get("planted_errors")]


def _planted() -> list[Path]:
    return [p for p in sorted(SAMPLES.glob("*.pdf")) if _truth(p).get("planted_errors")]


def _run_one(settings, key, pdf: Path) -> dict:
    truth = _truth(pdf)
    with api(settings) as http:
        app = new_application(http, key, name=truth["buyer"]["name"], uscc=truth["buyer"]["tax_id"])
        upload(http, key, app["id"], (pdf.name, pdf.read_bytes()))
        submit(http, key, app["id"])
        run_burst_worker(settings)
        return dict(http.get(f"/v1/applications/{app['id']}", headers={"X-API-Key": key}).json())


def test_clean_invoice_passes_straight_through_and_the_signed_webhook_arrives(stack):
    receiver = WebhookReceiver("").start()
    try:
        _, key, secret = make_client(stack, webhook_url=receiver.url)
        receiver.secret = secret
        pdf = _clean()[0]
        state = _run_one(stack, key, pdf)
        assert state["status"] == "completed", state
        assert state["decision"]["outcome"] == "straight_through"
        run_burst_worker(stack)  # the webhook job
        events = receiver.wait_for(1, timeout=10)
    finally:
        receiver.stop()
    assert len(events) == 1 and receiver.rejected == 0
    payload = events[0]["payload"]
    assert payload["type"] == "application.completed"
    fields = payload["data"]["documents"][0]["fields"]
    truth = _truth(pdf)
    assert fields["invoice_number"]["value"] == truth["invoice_number"]
    assert fields["total_with_tax"]["value"] == truth["total_with_tax"]
    with api(stack) as http:
        deliveries = http.get(f"/v1/applications/{state['id']}/webhooks", headers={"X-API-Key": key}).json()
    assert deliveries[0]["status"] == "delivered" and deliveries[0]["attempts"] == 1
    from idp.storage import page_images
    from idp.storage.db import session_scope

    with session_scope(stack.effective_database_url) as s:  # the worker stored the page the viewer shows
        images = page_images.for_document(s, state["documents"][0]["id"])
    assert set(images) == {1} and images[1].frame == "render" and images[1].media_type == "image/jpeg"


def test_a_forged_signature_is_refused_by_the_receiver(stack):
    receiver = WebhookReceiver("whsec_" + "A" * 32).start()  # not the client's secret
    try:
        _, key, _ = make_client(stack, webhook_url=receiver.url)
        state = _run_one(stack, key, _clean()[0])
        assert state["status"] == "completed"
        run_burst_worker(stack)  # delivery attempts: each is refused, retried, then given up
    finally:
        receiver.stop()
    assert receiver.rejected >= 1 and not receiver.events
    with api(stack) as http:
        deliveries = http.get(f"/v1/applications/{state['id']}/webhooks", headers={"X-API-Key": key}).json()
    assert deliveries[0]["status"] == "failed"
    assert deliveries[0]["last_status_code"] == 401
    assert deliveries[0]["attempts"] == stack.webhook_attempts


def test_planted_errors_are_routed_to_review_with_their_reasons(stack):
    _, key, _ = make_client(stack)
    for pdf in _planted():
        expected = set(_truth(pdf)["planted_errors"])
        state = _run_one(stack, key, pdf)
        assert state["status"] == "review", pdf.name
        assert state["decision"]["outcome"] == "review"
        codes = {r["code"] for r in state["decision"]["reasons"]}
        assert expected <= codes, (pdf.name, codes)
        # the planted field error is a field review; what the authority or the registry says about the
        # same invoice goes to its own task (e.g. verification_failed for a risk officer)
        (field_task,) = [t for t in state["tasks"] if t["kind"] == "field_review"]
        assert {r["code"] for r in field_task["reasons"]} >= expected
        for task in state["tasks"]:
            assert {r["code"] for r in task["reasons"]} <= codes


def test_resolving_the_review_finalises_with_corrected_values_in_the_webhook(stack):
    receiver = WebhookReceiver("").start()
    try:
        _, key, secret = make_client(stack, webhook_url=receiver.url)
        receiver.secret = secret
        state = _run_one(stack, key, _planted()[0])
        task_id = state["tasks"][0]["id"]
        resolve_task(stack, task_id, reviewer="张三", outcome="corrected",
                     corrections={"seller_name": "更正后的销售方有限公司"}, comment="按原件更正", now=utcnow())
        run_burst_worker(stack)
        events = receiver.wait_for(1, timeout=10)
    finally:
        receiver.stop()
    data = events[0]["payload"]["data"]
    assert data["outcome"] == "reviewed" and data["final"] == "accepted"
    field = data["documents"][0]["fields"]["seller_name"]
    assert field == {**field, "value": "更正后的销售方有限公司", "corrected": True, "source": "human"}
    assert data["documents"][0]["corrections"]["seller_name"]["by"] == "张三"


def _png_0x0() -> bytes:
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 0, 8, 2, 0, 0, 0)) + chunk(
        b"IEND", b"")


def _encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "secret")
    c.save()
    return buf.getvalue()


BAD_INPUTS = {
    "not_a_pdf.pdf": lambda: "这不是PDF文件,只是一段文字。".encode(),
    "encrypted.pdf": _encrypted_pdf,
    "truncated.pdf": lambda: _clean()[0].read_bytes()[:700],
    "empty.pdf": lambda: b"",
    "zero.png": _png_0x0,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_becomes_a_visible_processing_failed_task_and_the_file_is_kept(db_settings, name):
    data = BAD_INPUTS[name]()
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        app = new_application(http, key)
        doc = upload(http, key, app["id"], (name, data))[0]
        submit(http, key, app["id"])
        run_burst_worker(db_settings)
        state = http.get(f"/v1/applications/{app['id']}", headers={"X-API-Key": key}).json()
    assert state["status"] == "review"
    failed = [t for t in state["tasks"] if t["kind"] == "processing_failed"]
    assert len(failed) == 1
    assert failed[0]["reasons"][0]["values"]["error_code"]
    with session_scope(db_settings.effective_database_url) as s:
        row = documents.get(s, doc["id"])
        assert row.status == "failed" and row.error and row.attempts == 1  # bad input is not retried
        assert FileStore(db_settings.files_dir).read(row.storage_key) == data


def test_a_crashing_read_is_retried_then_becomes_a_processing_failed_task(db_settings, monkeypatch):
    calls = []

    def boom(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "read_and_extract", boom)
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        app = new_application(http, key)
        doc = upload(http, key, app["id"], ("a.pdf", _clean()[0].read_bytes()))[0]
        submit(http, key, app["id"])
        run_burst_worker(db_settings)
    assert len(calls) == db_settings.job_retries + 1
    with session_scope(db_settings.effective_database_url) as s:
        row = documents.get(s, doc["id"])
        assert row.status == "failed" and "disk on fire" in (row.error or "")
        failed = [t for t in tasks.for_application(s, app["id"]) if t.document_id == doc["id"]]
        assert [t.kind for t in failed] == ["processing_failed"]
        assert "disk on fire" in failed[0].reasons[0]["message"]
