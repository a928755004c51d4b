"""Which policy an application gets (client name and product files in IDP_POLICY_DIR), and how its routing
sends each exception to a task kind, priority and SLA on the real database."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from idp.decision import decide
from idp.models import DocumentKind, ExtractedDocument, Reason, TaskKind
from idp.policy import DecisionPolicy
from idp.settings import Settings
from idp.storage import applications, clients, documents, tasks
from idp.storage.db import session_scope
from queues.policies import SHIPPED, PolicyFileInvalid, load_policy, policy_for
from queues.review import open_review_tasks
from tests.queue_world import QueueWorld, invoice, local, make_queue_world

NOW = local(2026, 3, 10, 10, 0)  # a Tuesday, inside working hours
PRODUCT = "订单贷"
ROUTED = """
version = "{name}-2"
[routing.rules."statement."]
task_kind = "cross_check"
priority = "P1"
sla = "verification_failed"
"""


@pytest.fixture
def world(db_settings: Settings, tmp_path: Path) -> QueueWorld:
    return make_queue_world(db_settings.model_copy(update={"policy_dir": tmp_path}), NOW)


def _client_name(world: QueueWorld) -> str:
    with session_scope(world.settings.effective_database_url) as s:
        row = clients.get(s, world.client_id)
        assert row is not None
        return row.name


def test_without_a_folder_the_shipped_default_applies() -> None:
    settings = Settings(policy_dir=None)
    assert policy_for(settings) == load_policy(SHIPPED)
    assert policy_for(settings, client_id="any", product=PRODUCT).model_dump(exclude={"version"}) == (
        DecisionPolicy().model_dump(exclude={"version"}))


def test_the_threshold_setting_applies_only_when_set() -> None:
    if "IDP_DEFAULT_FIELD_THRESHOLD" in os.environ:
        pytest.skip("the environment sets the threshold")
    assert policy_for(Settings()).default_threshold == 0.95
    assert policy_for(Settings(default_field_threshold=0.9)).default_threshold == 0.9


def test_product_then_client_then_folder_default_by_client_name(world: QueueWorld, tmp_path: Path) -> None:
    name = _client_name(world)
    (tmp_path / "default.toml").write_text('version = "bank-1"\n', encoding="utf-8")
    (tmp_path / f"{name}.toml").write_text('version = "client-1"\n', encoding="utf-8")
    (tmp_path / f"{name}.{PRODUCT}.toml").write_text('version = "client.loan-1"\nextends = "' + name + '"\n',
                                                     encoding="utf-8")
    assert policy_for(world.settings, client_id=world.client_id, product=PRODUCT).version.startswith(
        "client.loan-1@")
    other_product = policy_for(world.settings, client_id=world.client_id, product="经营贷")
    assert other_product.version.startswith("client-1@")
    assert policy_for(world.settings, client_id=world.client_id).version.startswith("client-1@")
    unknown = policy_for(world.settings, client_id="no-such-client", product=PRODUCT)
    assert unknown.version.startswith("bank-1@")
    assert policy_for(world.settings).version.startswith("bank-1@")


def test_a_loaded_file_is_reused_until_it_changes(world: QueueWorld, tmp_path: Path) -> None:
    path = tmp_path / f"{_client_name(world)}.toml"
    path.write_text('version = "c-1"\ndefault_threshold = 0.97\n', encoding="utf-8")
    first = policy_for(world.settings, client_id=world.client_id)
    assert policy_for(world.settings, client_id=world.client_id) is first
    path.write_text('version = "c-1"\ndefault_threshold = 0.98\n', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    edited = policy_for(world.settings, client_id=world.client_id)
    assert edited.default_threshold == 0.98 and edited.version != first.version


def test_an_sla_name_no_policy_has_is_refused(world: QueueWorld, tmp_path: Path) -> None:
    text = ROUTED.format(name="bank").replace("verification_failed", "urgent")
    (tmp_path / "default.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyFileInvalid) as caught:
        policy_for(world.settings)
    assert [k for _, k, _ in caught.value.problems] == ['routing.rules."statement.".sla']
    assert "urgent" in str(caught.value)
    configured = world.settings.model_copy(update={"sla_policies": [{"name": "urgent", "target_hours": 1}]})
    assert policy_for(configured).routing.rules["statement."].sla == "urgent"


def _open(world: QueueWorld, reasons_by_doc: dict[str, list[Reason]], kinds: dict[str, DocumentKind],
          policy: DecisionPolicy | None) -> tuple[list[tuple[str, str, int, str | None, str | None]], dict]:
    """Open review tasks for one application: (document key, kind, priority, SLA policy, skill), due times."""
    app_id = world.application(product=PRODUCT)
    ids = {key: world.document(app_id, invoice() if kind == DocumentKind.VAT_INVOICE
                               else ExtractedDocument(kind=kind, extractor="test"))
           for key, kind in kinds.items()}
    reasons = [r.model_copy(update={"document_id": ids[key]})
               for key, listed in reasons_by_doc.items() for r in listed]
    keys = {v: k for k, v in ids.items()}
    with session_scope(world.settings.effective_database_url) as s:
        app = applications.get(s, app_id)
        docs = [documents.to_model(r) for r in documents.for_application(s, app_id)]
        decision = decide(docs, policy or DecisionPolicy(), now=NOW).model_copy(update={"reasons": reasons})
        open_review_tasks(s, world.settings, app, docs, decision, now=NOW, policy=policy)
        rows = tasks.for_application(s, app_id)
        out = [(keys[t.document_id or ""], t.kind, t.priority, t.sla_policy, t.required_skill) for t in rows]
        due = {(keys[t.document_id or ""], t.kind): t.sla_due_at for t in rows}
    return sorted(out), due


def _reason(code: str, severity: str) -> Reason:
    return Reason(code=code, message=f"测试 {code}", fields=["x"], values={"x": "1"}, severity=severity)


def test_the_default_routing_is_the_routing_of_before(world: QueueWorld) -> None:
    opened, _ = _open(world, {
        "failed": [_reason("document.processing_failed", "error")],
        "unknown": [_reason("document.unclassified", "warning")],
        "invoice": [_reason("field.low_confidence", "warning"), _reason("invoice.total_sum", "error")],
        "statement": [_reason("statement.fast_in_out", "warning")],
    }, {"failed": DocumentKind.VAT_INVOICE, "unknown": DocumentKind.UNKNOWN,
        "invoice": DocumentKind.VAT_INVOICE, "statement": DocumentKind.BANK_STATEMENT}, None)
    assert opened == [
        ("failed", TaskKind.PROCESSING_FAILED, 2, "processing_failed", None),
        ("invoice", TaskKind.FIELD_REVIEW, 2, "field_review", "vat_invoice"),
        ("statement", TaskKind.FIELD_REVIEW, 3, "field_review", "bank_statement"),
        ("unknown", TaskKind.UNCLASSIFIED, 3, "unclassified", None),
    ]


def test_a_routed_rule_gets_its_task_kind_priority_and_sla(world: QueueWorld, tmp_path: Path) -> None:
    name = _client_name(world)
    (tmp_path / f"{name}.{PRODUCT}.toml").write_text(ROUTED.format(name=name), encoding="utf-8")
    policy = policy_for(world.settings, client_id=world.client_id, product=PRODUCT)
    reasons = {
        "invoice": [_reason("field.low_confidence", "warning")],
        "statement": [_reason("statement.fast_in_out", "warning"), _reason("statement.period_gap", "error"),
                      _reason("field.low_confidence", "warning")],
    }
    kinds = {"invoice": DocumentKind.VAT_INVOICE, "statement": DocumentKind.BANK_STATEMENT}
    expected = [
        ("invoice", TaskKind.FIELD_REVIEW, 3, "field_review", "vat_invoice"),
        ("statement", TaskKind.CROSS_CHECK, 1, "verification_failed", None),
        ("statement", TaskKind.FIELD_REVIEW, 3, "field_review", "bank_statement"),
    ]
    opened, due = _open(world, reasons, kinds, policy)
    assert opened == expected
    assert due[("statement", "cross_check")] == NOW + timedelta(hours=2)  # the 2-working-hour SLA it named
    # without a policy passed in, the application's own (client and product) policy routes the same way
    assert _open(world, reasons, kinds, None)[0] == expected
