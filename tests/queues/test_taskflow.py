"""Comments, 补件 pauses, resume and reopen, each leaving its entry in the append-only audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from idp.errors import Conflict, Forbidden, InputRejected
from idp.models import TaskKind, TaskStatus
from idp.settings import StaffEntry
from idp.storage import applications, audit, task_records, tasks
from idp.storage.db import session_scope
from queues import taskflow, taskqueue
from queues.review import resolve_task
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)


@pytest.fixture
def world(db_settings):
    staff = {"王组长": StaffEntry(role="team_lead")}
    return make_queue_world(db_settings.model_copy(update={"staff": staff}), START)


def test_a_comment_is_kept_and_counts_as_the_first_touch(world):
    task_id = world.task()
    with pytest.raises(InputRejected):
        taskflow.comment(world.settings, task_id, "张三", "   ", now=START)
    taskflow.comment(world.settings, task_id, "张三", "已电话联系客户", now=START + timedelta(minutes=5))
    with session_scope(world.settings.effective_database_url) as s:
        notes = [(c.author, c.body) for c in task_records.comments(s, task_id)]
        row = tasks.get(s, task_id)
        event = audit.for_task(s, task_id)[-1]
    assert notes == [("张三", "已电话联系客户")] and row.first_touched_at == START + timedelta(minutes=5)
    assert (event.actor, event.action, event.detail["body"]) == ("张三", "task.commented", "已电话联系客户")


def test_waiting_for_the_customer_cannot_be_resolved_until_resumed(world):
    task_id = world.task(kind=TaskKind.CROSS_CHECK)
    taskqueue.claim(world.settings, task_id, "张三", now=START)
    paused = taskflow.wait_for_customer(world.settings, task_id, "张三", now=START + timedelta(hours=1),
                                        note="请客户补充购销合同")
    assert paused.status == TaskStatus.WAITING_CUSTOMER and paused.claimed_by is None
    with pytest.raises(Conflict) as refused:
        resolve_task(world.settings, task_id, reviewer="张三", outcome="accepted",
                     now=START + timedelta(hours=2))
    assert refused.value.code == "task_paused"
    with pytest.raises(Conflict):
        taskflow.wait_for_customer(world.settings, task_id, "张三", now=START + timedelta(hours=2))
    # paused from 10:00 on Monday to 10:00 on Tuesday: 8 business hours are added back
    resumed = taskflow.resume(world.settings, task_id, "李四", now=local(2026, 3, 3, 10, 0))
    assert resumed.sla_paused_s == 8 * 3600 and resumed.sla_due_at == local(2026, 3, 3, 14, 0)
    with pytest.raises(Conflict):
        taskflow.resume(world.settings, task_id, "李四", now=local(2026, 3, 3, 10, 0))
    with session_scope(world.settings.effective_database_url) as s:
        trail = [(e.actor, e.action) for e in audit.for_task(s, task_id)]
    assert trail == [("system", "task.opened"), ("张三", "task.claimed"), ("张三", "task.paused"),
                     ("李四", "task.resumed")]


def test_reopen_while_the_application_is_in_review_restarts_the_clock(world):
    app_id = world.application()
    first, second = world.task(app_id), world.task(app_id)
    resolve_task(world.settings, first, reviewer="张三", outcome="accepted", now=START)
    with pytest.raises(InputRejected):
        taskflow.reopen(world.settings, first, "张三", now=START, reason="")
    with pytest.raises(Forbidden):
        taskflow.reopen(world.settings, first, "李四", now=START, reason="看错了")
    reopened = taskflow.reopen(world.settings, first, "王组长", now=local(2026, 3, 3, 9, 0), reason="金额需复核")
    assert reopened.status == TaskStatus.OPEN and reopened.outcome is None and reopened.sla_level == "none"
    assert reopened.sla_started_at == local(2026, 3, 3, 9, 0)
    with pytest.raises(Conflict):
        taskflow.reopen(world.settings, second, "王组长", now=START, reason="x")  # still open
    for task_id in (first, second):
        resolve_task(world.settings, task_id, reviewer="张三", outcome="accepted", now=local(2026, 3, 3, 10, 0))
    with session_scope(world.settings.effective_database_url) as s:
        assert applications.get(s, app_id).status == "completed"
        reopen_event = [e for e in audit.for_task(s, first) if e.action == "task.reopened"][0]
    assert reopen_event.actor == "王组长" and reopen_event.detail["previous"]["resolved_by"] == "张三"
    with pytest.raises(Conflict) as refused:  # the result has been sent
        taskflow.reopen(world.settings, first, "王组长", now=local(2026, 3, 3, 11, 0), reason="x")
    assert refused.value.code == "application_closed"


def test_the_audit_trail_is_only_ever_appended_to(world):
    task_id = world.task()
    taskqueue.claim(world.settings, task_id, "张三", now=START)
    with session_scope(world.settings.effective_database_url) as s:
        before = [(e.id, e.at, e.actor, e.action, e.detail) for e in audit.for_task(s, task_id)]
    taskqueue.release(world.settings, task_id, "张三", now=START + timedelta(minutes=1))
    resolve_task(world.settings, task_id, reviewer="李四", outcome="rejected", comment="伪造发票",
                 reason_code="suspected_fraud", now=START + timedelta(minutes=2))
    with session_scope(world.settings.effective_database_url) as s:
        after = [(e.id, e.at, e.actor, e.action, e.detail) for e in audit.for_task(s, task_id)]
    assert after[:len(before)] == before
    assert [a[3] for a in after[len(before):]] == ["task.released", "task.resolved"]
    assert after[-1][4] == {**after[-1][4], "outcome": "rejected", "reason_code": "suspected_fraud",
                            "comment": "伪造发票"}
    with pytest.raises(InputRejected):
        resolve_task(world.settings, world.task(), reviewer="李四", outcome="accepted", reason_code="nope",
                     now=START)
