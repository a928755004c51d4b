"""The SLA sweep: each level recorded once, 督办 on 橙 (team lead) and 红 (supervisor), pauses respected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from idp.adapters.notify import RecordingNotifier
from idp.models import Reason, Role, TaskKind, TaskStatus
from idp.storage import audit, task_records, tasks
from idp.storage.db import session_scope
from idp.storage.tables import EscalationNoticeRow, EscalationRow
from queues import enqueue, sla, taskflow
from queues.connection import get_redis
from tests.helpers import run_burst_worker
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)  # a Monday


@pytest.fixture
def world(db_settings):
    settings = db_settings.model_copy(update={"escalation_contacts": {"team_lead": ["王组长"],
                                                                       "supervisor": ["李主管"]}})
    return make_queue_world(settings, START)


def _task(world, task_id):
    with session_scope(world.settings.effective_database_url) as s:
        return tasks.get(s, task_id)


def test_each_level_is_entered_once_and_orange_and_red_escalate(world):
    notifier = RecordingNotifier()
    task_id = world.task(kind=TaskKind.CROSS_CHECK)  # 4 business hours: due 14:00
    steps = [(local(2026, 3, 2, 10, 0), "none"), (local(2026, 3, 2, 11, 0), "blue"),
             (local(2026, 3, 2, 13, 0), "yellow"), (local(2026, 3, 2, 13, 36), "orange"),
             (local(2026, 3, 2, 14, 0), "red"), (local(2026, 3, 2, 15, 0), "red")]
    for now, level in steps:
        sla.sweep(world.settings, now, notifier=notifier)
        assert _task(world, task_id).sla_level == level, now
    with session_scope(world.settings.effective_database_url) as s:
        events = [(e.level, e.entered_at) for e in task_records.sla_events(s, task_id)]
        escalations = task_records.escalations(s, task_id)
        trail = [e.action for e in audit.for_task(s, task_id)]
        row = tasks.get(s, task_id)
    assert events == [("blue", local(2026, 3, 2, 11, 0)), ("yellow", local(2026, 3, 2, 12, 0)),
                       # 3 h: the end of the morning
                      ("orange", local(2026, 3, 2, 13, 36)), ("red", local(2026, 3, 2, 14, 0))]
    assert [(e.level, e.sla_level, e.role, e.recipients) for e in escalations] == [
        (1, "orange", "team_lead", ["王组长"]), (2, "red", "supervisor", ["李主管"])]
    assert escalations[0].deadline == local(2026, 3, 2, 14, 0)  # the team lead has until the task's due time
    assert escalations[1].deadline == local(2026, 3, 2, 16, 0)  # the supervisor: 2 business hours
    with session_scope(world.settings.effective_database_url) as s:
        notices = s.scalars(select(EscalationNoticeRow).order_by(EscalationNoticeRow.id)).all()
    assert [(n.sla_level, n.total, n.error) for n in notices] == [("orange", 1, None), ("red", 1, None)]
    assert [e.notice_id for e in escalations] == [n.id for n in notices] and all(n.sent_at for n in notices)
    assert row.escalation_level == 2 and trail.count("task.escalated") == 2
    assert [(n.role, n.sla_level.value, n.recipients, [t.id for t in n.tasks]) for n in notifier.notices] == [
        (Role.TEAM_LEAD, "orange", ["王组长"], [task_id]), (Role.SUPERVISOR, "red", ["李主管"], [task_id])]
    assert "督办" in notifier.notices[1].subject() and "红" in notifier.notices[1].subject()
    assert task_id in notifier.notices[1].body()


def test_a_sweep_after_a_gap_records_every_level_crossed_at_its_own_instant(world):
    notifier = RecordingNotifier()
    task_id = world.task(kind=TaskKind.VERIFICATION_FAILED)  # 2 business hours: due 11:00
    report = sla.sweep(world.settings, local(2026, 3, 3, 9, 0), notifier=notifier)
    assert report.entered == {"blue": 1, "yellow": 1, "orange": 1, "red": 1}
    assert report.escalated == {"orange": 1, "red": 1} and report.notices == 2
    with session_scope(world.settings.effective_database_url) as s:
        events = {e.level: e.entered_at for e in task_records.sla_events(s, task_id)}
    assert events["blue"] == local(2026, 3, 2, 10, 0) and events["red"] == local(2026, 3, 2, 11, 0)
    assert len(notifier.notices) == 2


def test_paused_and_closed_tasks_do_not_move(world):
    notifier = RecordingNotifier()
    waiting = world.task(kind=TaskKind.CROSS_CHECK)
    taskflow.wait_for_customer(world.settings, waiting, "张三", now=local(2026, 3, 2, 10, 0), note="请补充合同")
    sla.sweep(world.settings, local(2026, 3, 2, 17, 0), notifier=notifier)
    assert _task(world, waiting).sla_level == "none" and not notifier.notices
    # resumed the next morning: one business hour had passed, so three remain
    resumed = taskflow.resume(world.settings, waiting, "张三", now=local(2026, 3, 3, 10, 0))
    assert resumed.status == TaskStatus.OPEN
    assert resumed.sla_due_at == local(2026, 3, 3, 14, 0)
    sla.sweep(world.settings, local(2026, 3, 3, 10, 59), notifier=notifier)
    assert _task(world, waiting).sla_level == "none"
    sla.sweep(world.settings, local(2026, 3, 3, 11, 0), notifier=notifier)  # 1 h before + 1 h after = 50%
    assert _task(world, waiting).sla_level == "blue"


def test_resolved_tasks_do_not_move(world):
    from queues.review import resolve_task

    app_id = world.application()
    done, other = world.task(app_id, kind=TaskKind.CROSS_CHECK), world.task(app_id, kind=TaskKind.CROSS_CHECK)
    resolve_task(world.settings, done, reviewer="张三", outcome="accepted", now=local(2026, 3, 2, 9, 30))
    report = sla.sweep(world.settings, local(2026, 3, 3, 9, 0), notifier=RecordingNotifier())
    assert report.entered["red"] == 1
    assert (_task(world, done).sla_level, _task(world, other).sla_level) == ("none", "red")


def test_a_failing_notifier_is_recorded_and_does_not_stop_the_sweep(world):
    class Down:
        channel = "webhook"

        def notify(self, notice):
            raise ConnectionError("receiver down")

    task_id = world.task(kind=TaskKind.VERIFICATION_FAILED)
    report = sla.sweep(world.settings, local(2026, 3, 2, 12, 0), notifier=Down())
    assert report.notice_errors == 2 and _task(world, task_id).sla_level == "red"
    with session_scope(world.settings.effective_database_url) as s:
        rows = s.scalars(select(EscalationRow)).all()
        notices = s.scalars(select(EscalationNoticeRow)).all()
    assert {r.channel for r in rows} == {"webhook"} and len(rows) == 2
    assert len(notices) == 2
    assert all(n.sent_at is None and "receiver down" in (n.error or "") for n in notices)


def test_a_task_with_only_a_due_time_gets_its_warning_instants(world):
    app_id = world.application()
    with session_scope(world.settings.effective_database_url) as s:
        task_id = tasks.create_task(s, application_id=app_id, kind=TaskKind.FIELD_REVIEW,
                                    reasons=[Reason(code="x", message="x")], now=START,
                                    sla_due_at=local(2026, 3, 2, 17, 0)).id
    report = sla.sweep(world.settings, local(2026, 3, 2, 13, 30), notifier=RecordingNotifier())
    row = _task(world, task_id)
    assert report.backfilled == 1 and row.sla_due_at == local(2026, 3, 2, 17, 0)
    assert row.sla_blue_at == local(2026, 3, 2, 13,
                                    30) and row.sla_level == "blue"  # half of 7 business hours


def test_a_clock_into_2027_is_flagged_as_fallback_and_swept_without_error(world):
    task_id = world.task(kind=TaskKind.FIELD_REVIEW, at=local(2026, 12, 31, 16, 30))
    report = sla.sweep(world.settings, local(2027, 1, 4, 10, 0), notifier=RecordingNotifier())
    row = _task(world, task_id)
    assert row.sla_calendar == "fallback" and row.sla_due_at == local(2027, 1, 4, 10, 0)
    assert row.sla_level == "red" and report.fallback_tasks == 1


def test_the_worker_schedules_one_sweep_job_per_interval_and_runs_it(world):
    task_id = world.task(kind=TaskKind.CROSS_CHECK, at=local(2024, 3, 4, 9, 0))  # overdue by the wall clock
    conn = get_redis(world.settings)
    assert sla.schedule_sweep(world.settings, conn, START)
    assert not sla.schedule_sweep(world.settings, conn, START + timedelta(seconds=5))
    jobs = enqueue.queue(world.settings, enqueue.MAINTENANCE).get_jobs()
    assert [j.func_name for j in jobs] == ["queues.jobs.sla_sweep"]
    run_burst_worker(world.settings)
    assert _task(world, task_id).sla_level == "red"
