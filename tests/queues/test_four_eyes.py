"""Four-eyes: money and tax-id corrections wait for a second reviewer; the maker never approves their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from idp.errors import Conflict, Forbidden, InputRejected
from idp.models import ExtractedDocument, TaskKind, TaskPriority
from idp.settings import StaffEntry
from idp.storage import applications, audit, documents, task_records, tasks, webhooks
from idp.storage.db import session_scope
from idp.storage.tables import FieldCorrectionRow
from queues import foureyes
from queues.review import resolve_task
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)
LATER = START + timedelta(hours=1)


@pytest.fixture
def world(db_settings):
    staff = {"赵风控": StaffEntry(role="risk_officer"), "钱风控": StaffEntry(role="risk_officer")}
    return make_queue_world(db_settings.model_copy(update={"staff": staff}), START)


def _invoice_task(world, *, kind=TaskKind.FIELD_REVIEW, priority=TaskPriority.P3):
    app_id = world.application()
    doc_id = world.document(app_id)
    return app_id, doc_id, world.task(app_id, kind=kind, priority=priority, document_id=doc_id)


def _submit(world, task_id, maker="张三"):
    return resolve_task(world.settings, task_id, reviewer=maker, outcome="corrected", now=START,
                        corrections={"total_with_tax": "1180.00", "seller_tax_id": "91330100MA2YYYYY2Y",
                                     "seller_name": "杭州更正电子科技有限公司"},
                        comment="按原件更正", reason_code="ocr_error")


def _pending(world, task_id):
    with session_scope(world.settings.effective_database_url) as s:
        return {c.field: c.id for c in task_records.corrections_for_task(s, task_id)}


def test_money_and_tax_id_corrections_wait_for_a_second_reviewer(world):
    app_id, doc_id, task_id = _invoice_task(world)
    assert _submit(world, task_id) == "pending_approval"
    with session_scope(world.settings.effective_database_url) as s:
        extraction = ExtractedDocument.model_validate(documents.get(s, doc_id).extraction)
        applied = [c.field for c in s.scalars(select(FieldCorrectionRow))]
        assert applications.get(s, app_id).status == "review" and applications.get(s, app_id).result is None
        assert tasks.get(s, task_id).status == "pending_approval"
    assert applied == ["seller_name"]  # a name is not money: applied at once
    assert extraction.value("total_with_tax") == "1130.00"
    assert extraction.value("seller_name") == "杭州更正电子科技有限公司"
    assert set(_pending(world, task_id)) == {"total_with_tax", "seller_tax_id"}


def test_the_maker_cannot_approve_their_own_correction(world):
    _, _, task_id = _invoice_task(world)
    _submit(world, task_id)
    for correction_id in _pending(world, task_id).values():
        with pytest.raises(Conflict) as refused:
            foureyes.approve_correction(world.settings, correction_id, checker="张三", now=LATER)
        assert refused.value.code == "four_eyes_self" and "不能复核自己" in refused.value.message


def test_approval_by_another_reviewer_releases_the_result_with_the_corrected_fields_marked(world):
    world = make_queue_world(world.settings, START, webhook_url="http://127.0.0.1:9/hook")
    app_id, doc_id, task_id = _invoice_task(world)
    _submit(world, task_id)
    pending = _pending(world, task_id)
    assert foureyes.approve_correction(world.settings, pending["total_with_tax"], checker="李四",
                                       now=LATER) == "pending_approval"
    assert foureyes.approve_correction(world.settings, pending["seller_tax_id"], checker="李四",
                                       now=LATER, comment="已核对原件") == "resolved"
    with pytest.raises(Conflict):
        foureyes.approve_correction(world.settings, pending["seller_tax_id"], checker="王五", now=LATER)
    with session_scope(world.settings.effective_database_url) as s:
        app = applications.get(s, app_id)
        task = tasks.get(s, task_id)
        payload = webhooks.for_application(s, app_id)[0].payload
        trail = [(e.actor, e.action) for e in audit.for_task(s, task_id)]
    assert app.status == "completed" and (task.resolved_by, task.outcome) == ("张三", "corrected")
    assert task.resolution["approved_by"] == "李四" and task.reason_code == "ocr_error"
    fields = payload["data"]["documents"][0]["fields"]
    assert fields["total_with_tax"]["value"] == "1180.00" and fields["total_with_tax"]["corrected"] is True
    assert fields["seller_tax_id"]["corrected"] is True and fields["invoice_number"]["corrected"] is False
    corrections = payload["data"]["documents"][0]["corrections"]
    assert corrections["total_with_tax"] == {**corrections["total_with_tax"], "old": "1130.00",
                                             "new": "1180.00",
                                             "by": "张三", "approved_by": "李四"}
    assert corrections["seller_name"]["approved_by"] is None
    assert trail == [("system", "task.opened"), ("张三", "correction.proposed"), ("张三", "correction.proposed"),
                     ("张三", "task.submitted_for_approval"), ("李四", "correction.approved"),
                     ("李四", "correction.approved"), ("李四", "task.resolved")]


def test_rejection_puts_the_task_back_and_withdraws_the_rest(world):
    app_id, doc_id, task_id = _invoice_task(world)
    _submit(world, task_id)
    pending = _pending(world, task_id)
    with pytest.raises(InputRejected):
        foureyes.reject_correction(world.settings, pending["total_with_tax"], checker="李四", now=LATER,
                                   comment=" ")
    status = foureyes.reject_correction(world.settings, pending["total_with_tax"], checker="李四", now=LATER,
                                        comment="原件金额为 1130.00")
    assert status == "open"
    with session_scope(world.settings.effective_database_url) as s:
        rows = {c.field: (c.status, c.checker, c.check_comment)
                for c in task_records.corrections_for_task(s, task_id)}
        extraction = ExtractedDocument.model_validate(documents.get(s, doc_id).extraction)
        detail = [e.detail for e in audit.for_task(s, task_id) if e.action == "correction.rejected"][0]
        assert applications.get(s, app_id).status == "review"
    assert rows == {"total_with_tax": ("rejected", "李四", "原件金额为 1130.00"),
                    "seller_tax_id": ("withdrawn", "李四", None)}
    assert extraction.value("total_with_tax") == "1130.00"
    assert detail == {**detail, "old": "1130.00", "new": "1180.00", "maker": "张三", "checker": "李四"}
    # the maker can now correct again
    assert resolve_task(world.settings, task_id, reviewer="张三", outcome="accepted", now=LATER) == "resolved"


def test_a_red_hard_stop_needs_risk_officers_on_both_sides(world):
    _, _, task_id = _invoice_task(world, kind=TaskKind.VERIFICATION_FAILED, priority=TaskPriority.P1)
    with pytest.raises(Forbidden):
        _submit(world, task_id, maker="张三")
    _submit(world, task_id, maker="赵风控")
    correction = _pending(world, task_id)["total_with_tax"]
    with pytest.raises(Forbidden):
        foureyes.approve_correction(world.settings, correction, checker="李四", now=LATER)
    assert foureyes.approve_correction(world.settings, correction, checker="钱风控",
                                       now=LATER) == "pending_approval"
