"""The application step asks the authorities (发票查验, 工商) through the real adapters over HTTP to the
stand-ins: evidence is kept, an invoice that cannot be checked yet waits with no clock running, and an
outage is retried and then becomes verification_unavailable tasks without losing anything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from idp.settings import get_settings, reset_settings
from idp.standins.runner import BackgroundServer, free_port, start_for
from idp.storage import applications, audit, documents, tasks
from idp.storage.db import session_scope
from idp.storage.metrics import queue_metrics
from queues import decision_step, pipeline
from queues.clock import utcnow
from tests.conftest import SAMPLES
from tests.helpers import api, make_client, new_application, run_burst_worker, submit, upload

INVOICES = SAMPLES / "vat_invoice"
SCANS = SAMPLES / "vat_invoice_scan"
CLEAN = ["putong_dianzi_01.pdf", "zhuanyong_dianzi_01.pdf", "putong_dianzi_02.pdf"]
CHINA = timedelta(hours=8)


def _truth(name: str, folder: Path = INVOICES) -> dict:
    return json.loads((folder / f"{name}.truth.json").read_text(encoding="utf-8"))


def _submit(settings, key: str, name: str, folder: Path = INVOICES) -> tuple[str, str]:
    truth = _truth(name, folder)
    with api(settings) as http:
        app = new_application(http, key, name=truth["buyer"]["name"], uscc=truth["buyer"]["tax_id"])
        (doc,) = upload(http, key, app["id"], (name, (folder / name).read_bytes()))
        submit(http, key, app["id"])
    return app["id"], doc["id"]


def _app(settings, application_id: str):
    with session_scope(settings.effective_database_url) as s:
        row = applications.get(s, application_id)
        s.expunge(row)
        return row


def _task_kinds(settings, application_id: str) -> list[str]:
    with session_scope(settings.effective_database_url) as s:
        return sorted(t.kind for t in tasks.for_application(s, application_id))


@pytest.fixture
def own_standins(stack, monkeypatch) -> Iterator[tuple[BackgroundServer, BackgroundServer]]:
    """Stand-ins only this test talks to (so it may kill them), a short outage budget, fast retries."""
    monkeypatch.setenv("IDP_TAX_BASE_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("IDP_REGISTRY_BASE_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("IDP_VERIFICATION_OUTAGE_RETRY_S", "[0, 0]")
    monkeypatch.setenv("IDP_VERIFY_ATTEMPTS", "2")
    monkeypatch.setenv("IDP_VERIFY_BACKOFF_S", "0.01")
    monkeypatch.setenv("IDP_VERIFY_BREAKER_COOLDOWN_S", "0")
    monkeypatch.setenv("IDP_VERIFY_CONNECT_TIMEOUT_S", "0.5")
    reset_settings()
    servers = start_for(get_settings(), SAMPLES / "authority" / "authority.json")
    yield servers
    for server in servers:
        server.stop()


def test_a_straight_through_decision_carries_the_authoritys_evidence(stack):
    _, key, _ = make_client(stack)
    app_id, doc_id = _submit(stack, key, CLEAN[0])
    run_burst_worker(stack)
    row = _app(stack, app_id)
    assert row.status == "completed" and row.decision["outcome"] == "straight_through"
    evidence = row.authority["verifications"][doc_id]
    truth = _truth(CLEAN[0])
    assert evidence["status"] == "found" and evidence["record"]["status"] == "normal"
    assert evidence["record"]["number"] == truth["invoice_number"]
    assert evidence["record"]["total_with_tax"] == truth["total_with_tax"]
    assert row.authority["companies"][truth["buyer"]["tax_id"]]["name"] == truth["buyer"]["name"]
    assert row.policy_version == row.decision["policy_version"] and row.policy_version
    assert row.result["policy_version"] == row.policy_version  # what the lending system receives
    sent = row.result["verification"]
    assert sent["invoices"][doc_id]["status"] == "found" and sent["invoices"][doc_id]["request_id"]
    assert sent["invoices"][doc_id]["record"]["number"] == truth["invoice_number"]
    assert truth["seller"]["tax_id"] in sent["companies"]


def test_an_invoice_issued_today_waits_unclocked_and_is_checked_after_midnight(stack):
    _, key, _ = make_client(stack)
    name = CLEAN[1]
    issued = datetime.fromisoformat(_truth(name)["issue_date"]).date()
    noon = datetime.combine(issued, time(4, 0), UTC)  # 12:00 in Beijing, the day of issue
    app_id, doc_id = _submit(stack, key, name)
    assert pipeline.process_document(stack, doc_id, now=noon) == "extracted"
    assert _app(stack, app_id).status == "deciding"
    assert decision_step.decide_application(stack, app_id, now=noon) == "awaiting_verification"
    row = _app(stack, app_id)
    midnight = datetime.combine(issued + timedelta(days=1), time(0, 0), UTC) - CHINA
    assert row.verification_retry_at == midnight
    assert row.authority["verifications"][doc_id]["status"] == "not_yet_verifiable"
    assert _task_kinds(stack, app_id) == []  # nobody's clock runs while the authority cannot answer
    with session_scope(stack.effective_database_url) as s:  # supervisors see what waits, and until when
        apps = queue_metrics(s, since=noon - timedelta(days=1), until=noon)["applications"]
    assert apps["in_flight"] == {"awaiting_verification": 1}
    assert apps["next_verification_at"] == midnight.isoformat()
    assert decision_step.resume_awaiting(stack, now=midnight - timedelta(minutes=1)) == []
    assert decision_step.resume_awaiting(stack, now=midnight) == [app_id]
    assert _app(stack, app_id).status == "deciding"
    assert decision_step.decide_application(stack, app_id, now=midnight + timedelta(minutes=1)) == "completed"
    row = _app(stack, app_id)
    assert row.decision["outcome"] == "straight_through"
    assert row.authority["verifications"][doc_id]["status"] == "found"
    with session_scope(stack.effective_database_url) as s:
        actions = [e.action for e in audit.trail(s, application_id=app_id)]
    assert "application.awaiting_verification" in actions and "application.verification_resumed" in actions


def test_killing_the_tax_service_mid_run_gives_retries_then_verification_unavailable_tasks(stack, own_standins):
    tax, registry = own_standins
    _, key, _ = make_client(stack)
    before_id, _ = _submit(stack, key, CLEAN[0])
    run_burst_worker(stack)
    assert _app(stack, before_id).status == "completed"

    tax.stop()  # the provider dies
    app_id, doc_id = _submit(stack, key, CLEAN[1])
    run_burst_worker(stack)
    row = _app(stack, app_id)
    assert row.status == "awaiting_verification"
    assert doc_id in row.authority["unavailable"] and row.authority["outage_attempts"] == 1
    lookups = registry.app.state.calls.count()
    rounds = 0
    while _app(stack, app_id).status == "awaiting_verification":
        rounds += 1
        assert rounds <= 3
        assert decision_step.resume_awaiting(stack, now=utcnow()) == [app_id]
        run_burst_worker(stack)
    assert rounds == 2  # the two retries of the budget, then the decision
    row = _app(stack, app_id)
    assert row.status == "review"
    assert registry.app.state.calls.count() == lookups  # answered questions are not asked again
    with session_scope(stack.effective_database_url) as s:
        open_tasks = tasks.for_application(s, app_id)
        doc = documents.get(s, doc_id)
        assert doc.status == "extracted" and doc.extraction  # nothing lost
    unavailable = [t for t in open_tasks if t.kind == "verification_unavailable"]
    assert [t.document_id for t in unavailable] == [doc_id]
    assert unavailable[0].reasons[0]["code"] == "authority.verification_unavailable"
    assert "人工查验" in unavailable[0].reasons[0]["message"]


def test_a_short_outage_heals_within_the_budget_and_the_application_passes(stack, own_standins):
    tax, _ = own_standins
    _, key, _ = make_client(stack)
    tax.stop()
    app_id, doc_id = _submit(stack, key, CLEAN[0])
    run_burst_worker(stack)
    assert _app(stack, app_id).status == "awaiting_verification"
    tax.start()  # the provider is back (same port)
    assert decision_step.resume_awaiting(stack, now=utcnow()) == [app_id]
    run_burst_worker(stack)
    row = _app(stack, app_id)
    assert row.status == "completed" and row.decision["outcome"] == "straight_through"
    assert row.authority["verifications"][doc_id]["status"] == "found"
    assert row.authority["outage_attempts"] == 0 and row.authority["unavailable"] == {}
    assert _task_kinds(stack, app_id) == []


def test_the_same_invoice_in_another_application_of_another_client_is_a_duplicate(stack):
    _, key_a, _ = make_client(stack, name="lender-a")
    _, key_b, _ = make_client(stack, name="lender-b")
    first_id, _ = _submit(stack, key_a, CLEAN[0])
    run_burst_worker(stack)
    second_id, doc_id = _submit(stack, key_b, CLEAN[0])
    run_burst_worker(stack)
    assert _app(stack, first_id).decision["outcome"] == "straight_through"
    row = _app(stack, second_id)
    assert row.decision["outcome"] == "review"
    (reason,) = [r for r in row.decision["reasons"] if r["code"] == "invoice.duplicate"]
    # the other client's application is a duplicate, but its id is that client's business, never shown here
    assert reason["document_id"] == doc_id and reason["values"]["other_applications"] == "another_client"
    assert first_id not in json.dumps(row.decision) and first_id not in json.dumps(row.authority)
    assert row.authority["duplicates"] == {doc_id: ["another_client"]}


def test_the_same_invoice_in_another_application_of_the_same_client_names_that_application(stack):
    _, key, _ = make_client(stack)
    first_id, _ = _submit(stack, key, CLEAN[0])
    run_burst_worker(stack)
    second_id, doc_id = _submit(stack, key, CLEAN[0])
    run_burst_worker(stack)
    (reason,) = [r for r in _app(stack, second_id).decision["reasons"] if r["code"] == "invoice.duplicate"]
    assert first_id in reason["values"]["other_applications"]


def _stored_fields(settings, document_id: str) -> dict:
    with session_scope(settings.effective_database_url) as s:
        return documents.get(s, document_id).extraction["fields"]


def test_a_scanned_invoice_the_authority_confirms_passes_straight_through_under_the_shipped_policy(stack):
    """Every value the decision uses is confirmed (the tax authority's record, arithmetic); what the record does
    not hold (clerks' names, addresses, bank details) is free text: kept and shown, not a reason to stop."""
    _, key, _ = make_client(stack)
    app_id, doc_id = _submit(stack, key, "putong_zhizhi_scan_01.jpg", SCANS)
    run_burst_worker(stack)
    row = _app(stack, app_id)
    assert row.decision["outcome"] == "straight_through", row.decision["reasons"]
    stored = _stored_fields(stack, doc_id)
    confirmed = set(row.authority["confirmed"][doc_id])
    assert {"invoice_number", "issue_date", "buyer_tax_id", "seller_name", "total_with_tax"} <= confirmed
    for name in confirmed & set(stored):
        assert stored[name]["confidence"] >= 0.95 and "tax_authority" in stored[name]["confirmed_by"]
    assert "drawer" in stored and not stored["drawer"]["confirmed_by"]  # kept, shown, not vouched for
    assert "total_with_tax" in row.result["verification"]["confirmed_fields"][doc_id]


def test_under_a_policy_that_gates_clerks_names_only_those_wait_for_a_person(stack, tmp_path, monkeypatch):
    (tmp_path / "bank-a.toml").write_text('version = "strict-clerks"\ngated_fields = ["drawer", "payee"]\n')
    monkeypatch.setenv("IDP_POLICY_DIR", str(tmp_path))
    reset_settings()
    settings = get_settings()
    _, key, _ = make_client(settings)
    app_id, doc_id = _submit(settings, key, "putong_zhizhi_scan_01.jpg", SCANS)
    run_burst_worker(settings)
    row = _app(settings, app_id)
    assert row.decision["outcome"] == "review" and row.policy_version.startswith("strict-clerks@")
    named = {f for r in row.decision["reasons"] for f in r["fields"]}
    assert named and named <= {"drawer", "payee"}, row.decision["reasons"]
