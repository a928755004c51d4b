"""The one queue: next task by urgency, role and skill filters, claims with leases, release, reassignment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from idp.adapters.notify import RecordingNotifier
from idp.errors import Conflict, Forbidden, InputRejected
from idp.models import Reviewer, Role, TaskKind, TaskPriority, TaskStatus
from idp.settings import StaffEntry
from idp.storage import audit, tasks
from idp.storage.db import session_scope
from queues import sla, taskqueue
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)


@pytest.fixture
def world(db_settings):
    staff = {"王组长": StaffEntry(role="team_lead"), "李主管": StaffEntry(role="supervisor"),
             "赵风控": StaffEntry(role="risk_officer"), "钱发票": StaffEntry(skills=["vat_invoice"])}
    return make_queue_world(db_settings.model_copy(update={"staff": staff}), START)


def _row(world, task_id):
    with session_scope(world.settings.effective_database_url) as s:
        return tasks.get(s, task_id)


def test_next_task_takes_sla_level_first_then_priority_then_age(world):
    old_p3 = world.task(kind=TaskKind.CROSS_CHECK, priority=TaskPriority.P3, at=local(2026, 3, 2, 9, 0))
    new_p2 = world.task(kind=TaskKind.CROSS_CHECK, priority=TaskPriority.P2, at=local(2026, 3, 2, 11, 0))
    newer_p2 = world.task(kind=TaskKind.CROSS_CHECK, priority=TaskPriority.P2, at=local(2026, 3, 2, 11, 30))
    now = local(2026, 3, 2, 11, 40)
    sla.sweep(world.settings, now, notifier=RecordingNotifier())  # the oldest task is blue (50% of 4 h)
    order = [taskqueue.next_task(world.settings, "张三", now=now) for _ in range(4)]
    assert [t.id if t else None for t in order] == [old_p3, new_p2, newer_p2, None]
    first = order[0]
    assert first.status == TaskStatus.CLAIMED and first.claimed_by == "张三"
    assert first.lease_expires_at == now + timedelta(minutes=world.settings.task_lease_minutes)
    assert first.first_touched_at == now


def test_roles_skills_and_assignments_filter_the_next_task(world):
    red = world.task(kind=TaskKind.VERIFICATION_FAILED, priority=TaskPriority.P1)  # needs a risk officer
    statement = world.task(skill="bank_statement")
    assert taskqueue.next_task(world.settings, "钱发票", now=START) is None  # an invoice specialist
    assert taskqueue.next_task(world.settings, "张三", now=START).id == statement  # a generalist
    assert taskqueue.next_task(world.settings, "张三", now=START) is None
    assert taskqueue.next_task(world.settings, "赵风控", now=START).id == red
    reserved = world.task()
    taskqueue.reassign(world.settings, [reserved], to="孙五", by="王组长", now=START)
    assert taskqueue.next_task(world.settings, "张三", now=START) is None
    assert taskqueue.next_task(world.settings, "孙五", now=START).id == reserved


def test_an_abandoned_claim_returns_to_the_queue_when_its_lease_expires(world):
    task_id = world.task()
    taskqueue.next_task(world.settings, "张三", now=START)
    lease = timedelta(minutes=world.settings.task_lease_minutes)
    assert taskqueue.next_task(world.settings, "李四", now=START + lease - timedelta(seconds=1)) is None
    with pytest.raises(Conflict) as refused:
        taskqueue.claim(world.settings, task_id, "李四", now=START + timedelta(minutes=1))
    assert refused.value.code == "task_claimed"
    taken = taskqueue.next_task(world.settings, "李四", now=START + lease)
    assert taken is not None and taken.id == task_id and taken.claimed_by == "李四"
    with session_scope(world.settings.effective_database_url) as s:
        actions = [(e.actor, e.action) for e in audit.for_task(s, task_id)]
    assert actions == [("system", "task.opened"), ("张三", "task.claimed"), ("system", "task.lease_expired"),
                       ("李四", "task.claimed")]


def test_the_sweep_also_expires_leases(world):
    task_id = world.task()
    taskqueue.claim(world.settings, task_id, "张三", now=START)
    report = sla.sweep(world.settings, START + timedelta(hours=1), notifier=RecordingNotifier())
    assert report.expired_leases == 1
    row = _row(world, task_id)
    assert (row.status, row.claimed_by, row.lease_expires_at) == ("open", None, None)


def test_claim_renews_ones_own_lease_and_release_gives_the_task_back(world):
    task_id = world.task()
    taskqueue.claim(world.settings, task_id, "张三", now=START)
    renewed = taskqueue.claim(world.settings, task_id, "张三", now=START + timedelta(minutes=20))
    assert renewed.lease_expires_at == START + timedelta(minutes=20 + world.settings.task_lease_minutes)
    with pytest.raises(Forbidden):
        taskqueue.release(world.settings, task_id, "李四", now=START)
    released = taskqueue.release(world.settings, task_id, "张三", now=START + timedelta(minutes=21))
    assert released.status == TaskStatus.OPEN and released.claimed_by is None
    with pytest.raises(Conflict):
        taskqueue.release(world.settings, task_id, "张三", now=START)
    with pytest.raises(Forbidden):  # a plain reviewer may not take a risk officer's task
        taskqueue.claim(world.settings, world.task(kind=TaskKind.VERIFICATION_FAILED), "张三", now=START)


def test_reassignment_needs_a_team_lead_and_bulk_needs_a_supervisor(world):
    a, b, red = world.task(), world.task(), world.task(kind=TaskKind.VERIFICATION_FAILED)
    taskqueue.claim(world.settings, a, "张三", now=START)
    with pytest.raises(Forbidden):
        taskqueue.reassign(world.settings, [a], to="李四", by="张三", now=START)
    with pytest.raises(Forbidden):
        taskqueue.reassign(world.settings, [a, b], to="李四", by="王组长", now=START)
    with pytest.raises(InputRejected):
        taskqueue.reassign(world.settings, [], to="李四", by="李主管", now=START)
    result = taskqueue.reassign(world.settings, [a, b, red, "nope"], to="李四", by="李主管", now=START,
                                reason="张三请假")
    assert result == {"reassigned": [a, b], "skipped": {red: "role_required", "nope": "not_found"}}
    row = _row(world, a)
    assert (row.assignee, row.status, row.claimed_by) == ("李四", "open", None)  # 张三's claim was released
    with session_scope(world.settings.effective_database_url) as s:
        event = [e for e in audit.for_task(s, a) if e.action == "task.reassigned"][0]
    assert event.actor == "李主管" and event.detail["released_claim_of"] == "张三" and event.detail["bulk"]


def test_reviewer_model_roles():
    assert Reviewer(name="x", role=Role.SUPERVISOR).can_take("risk_officer")
    assert not Reviewer(name="x", role=Role.TEAM_LEAD).can_take("risk_officer")
    assert Reviewer(name="x", skills=frozenset({"vat_invoice"})).can_take("reviewer", "vat_invoice")
    assert not Reviewer(name="x", skills=frozenset({"vat_invoice"})).can_take("reviewer", "bank_statement")
