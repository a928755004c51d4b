"""督办 follow-up (level 3, 分管领导) once a 红 task outlives the supervisor's deadline; the overdue list."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from idp.adapters.notify import RecordingNotifier
from idp.app.cli import app as cli
from idp.models import TaskKind
from idp.settings import StaffEntry
from idp.storage import audit, task_records, tasks
from idp.storage.db import session_scope
from idp.storage.tables import EscalationNoticeRow
from queues import sla, taskflow
from queues.review import resolve_task
from queues.sla_followup import FOLLOWUP_LEVEL, FollowUpNotice, overdue_list
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)  # a Monday
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(db_settings):
    settings = db_settings.model_copy(update={
        "escalation_contacts": {"team_lead": ["王组长"], "supervisor": ["李主管"], "head": ["赵行长"]},
        # 查验不通过 tasks need a risk officer; a supervisor may work anything
        "staff": {"张三": StaffEntry(role="supervisor"), "李四": StaffEntry(role="supervisor")}})
    return make_queue_world(settings, START)


def _escalations(world, task_id):
    with session_scope(world.settings.effective_database_url) as s:
        return [(e.level, e.role, e.recipients, e.created_at, e.deadline)
                for e in task_records.escalations(s, task_id)]


def _task(world, task_id):
    with session_scope(world.settings.effective_database_url) as s:
        return tasks.get(s, task_id)


def test_the_follow_up_fires_once_an_hour_of_work_after_the_supervisors_deadline(world):
    notifier = RecordingNotifier()
    task_id = world.task(kind=TaskKind.VERIFICATION_FAILED)  # 2 business hours: due 11:00
    sla.sweep(world.settings, local(2026, 3, 2, 11, 0), notifier=notifier)
    assert _escalations(world, task_id)[-1][:2] == (2, "supervisor")
    assert _escalations(world, task_id)[-1][4] == local(2026, 3, 2, 14, 0)  # 2 business hours, lunch excluded
    for early in (local(2026, 3, 2, 14, 0), local(2026, 3, 2, 14, 59)):  # the deadline, then the grace hour
        assert sla.sweep(world.settings, early, notifier=notifier).followed_up == 0
    assert len(notifier.notices) == 2

    report = sla.sweep(world.settings, local(2026, 3, 2, 15, 0), notifier=notifier)
    assert report.followed_up == 1 and report.notices == 1 and report.notice_errors == 0
    for later in (local(2026, 3, 2, 16, 0), local(2026, 3, 3, 9, 30), local(2026, 3, 5, 9, 0)):
        assert sla.sweep(world.settings, later, notifier=notifier).followed_up == 0

    assert [(lvl, role, who) for lvl, role, who, _, _ in _escalations(world, task_id)] == [
        (1, "team_lead", ["王组长"]), (2, "supervisor", ["李主管"]), (FOLLOWUP_LEVEL, "head", ["赵行长"])]
    head = _escalations(world, task_id)[-1]
    assert head[3] == local(2026, 3, 2, 15, 0) and head[4] == local(2026, 3, 2, 17, 0)
    notice = notifier.notices[-1]
    assert isinstance(notice, FollowUpNotice) and len(notifier.notices) == 3
    assert (notice.level, notice.role, notice.recipients, [t.id for t in notice.tasks]) == (
        3, "head", ["赵行长"], [task_id])
    assert "督办" in notice.subject() and "分管领导" in notice.body() and task_id in notice.body()
    assert notice.model_dump(mode="json")["role"] == "head"
    with session_scope(world.settings.effective_database_url) as s:
        row = s.scalars(select(EscalationNoticeRow).where(EscalationNoticeRow.level == 3)).one()
        trail = [e.detail for e in audit.for_task(s, task_id) if e.action == "task.escalated"]
    assert (row.role, row.total, row.error) == ("head", 1, None) and row.sent_at == local(2026, 3, 2, 15, 0)
    assert [d["escalation_level"] for d in trail] == [1, 2, 3] and trail[-1]["follow_up"] is True
    assert _task(world, task_id).escalation_level == FOLLOWUP_LEVEL


def test_the_grace_counts_working_time_only(world):
    notifier = RecordingNotifier()
    task_id = world.task(kind=TaskKind.VERIFICATION_FAILED, at=local(2026, 3, 6, 15, 0))  # Friday: due 17:00
    sla.sweep(world.settings, local(2026, 3, 6, 17, 0), notifier=notifier)
    assert _escalations(world, task_id)[-1][4] == local(2026, 3, 9, 10, 0)  # 18:00 Friday, then Monday 9-10
    for now in (local(2026, 3, 7, 12, 0), local(2026, 3, 9, 10, 0), local(2026, 3, 9, 10, 59)):
        assert sla.sweep(world.settings, now, notifier=notifier).followed_up == 0, now
    assert sla.sweep(world.settings, local(2026, 3, 9, 11, 0), notifier=notifier).followed_up == 1


def test_no_follow_up_for_a_task_resolved_or_paused_in_time_and_a_failed_notice_stays_visible(world):
    class Down:
        channel = "webhook"

        def notify(self, notice):
            if isinstance(notice, FollowUpNotice):
                raise ConnectionError("receiver down")

    app_id = world.application()
    done, paused, late = (world.task(app_id, kind=TaskKind.VERIFICATION_FAILED) for _ in range(3))
    sla.sweep(world.settings, local(2026, 3, 2, 11, 0), notifier=Down())
    resolve_task(world.settings, done, reviewer="张三", outcome="accepted", now=local(2026, 3, 2, 13, 0))
    taskflow.wait_for_customer(world.settings, paused, "张三", now=local(2026, 3, 2, 13, 0), note="补合同")
    report = sla.sweep(world.settings, local(2026, 3, 2, 15, 0), notifier=Down())
    assert report.followed_up == 1 and report.notice_errors == 1
    assert [_task(world, t).escalation_level for t in (done, paused, late)] == [2, 2, 3]
    with session_scope(world.settings.effective_database_url) as s:
        row = s.scalars(select(EscalationNoticeRow).where(EscalationNoticeRow.level == 3)).one()
    assert row.sent_at is None and "receiver down" in (row.error or "")


def test_the_daily_overdue_list_puts_repeat_offenders_first(world):
    notifier = RecordingNotifier()
    followed = world.task(kind=TaskKind.VERIFICATION_FAILED)  # 红 at 11:00, followed up at 15:00
    app_id = world.application()
    again = world.task(app_id, kind=TaskKind.VERIFICATION_FAILED)  # breached, resolved, reopened, breached
    sibling = world.task(app_id, kind=TaskKind.CROSS_CHECK)  # keeps the application in review (paused)
    taskflow.wait_for_customer(world.settings, sibling, "张三", now=START, note="请补充合同")
    once = world.task(kind=TaskKind.VERIFICATION_FAILED)  # breached, resolved late the same day
    in_time = world.task(kind=TaskKind.VERIFICATION_FAILED)  # resolved before its due time
    resolve_task(world.settings, in_time, reviewer="李四", outcome="accepted", now=local(2026, 3, 2, 10, 0))
    sla.sweep(world.settings, local(2026, 3, 2, 11, 0), notifier=notifier)
    for task_id in (again, once):
        resolve_task(world.settings, task_id, reviewer="张三", outcome="accepted",
                     now=local(2026, 3, 2, 11, 30))
    # a fresh clock: due 15:00
    taskflow.reopen(world.settings, again, "张三", now=local(2026, 3, 2, 13, 0), reason="发票号码有误")
    assert sla.sweep(world.settings, local(2026, 3, 2, 15, 0), notifier=notifier).followed_up == 1

    with session_scope(world.settings.effective_database_url) as s:
        monday = overdue_list(s, day=START.date(), now=local(2026, 3, 2, 16, 0), tz=SHANGHAI)
        repeated = overdue_list(s, day=START.date(), now=local(2026, 3, 2, 16, 0), tz=SHANGHAI,
                                repeated_only=True)
        before = overdue_list(s, day=START.date(), now=local(2026, 3, 2, 10, 59), tz=SHANGHAI)
    assert [i.task_id for i in monday] == [again, followed, once]
    by_id = {i.task_id: i for i in monday}
    twice, followed_up = by_id[again], by_id[followed]
    assert (twice.breaches, twice.reopened, twice.escalations, twice.repeated) == (2, 1, 4, True)
    assert (followed_up.breaches, followed_up.top_level, followed_up.overdue_escalations) == (1, 3, 2)
    assert by_id[followed].repeated and by_id[followed].flags == ["breached", "escalated", "open_overdue"]
    assert not by_id[once].repeated and by_id[once].flags == ["breached", "escalated", "resolved_late"]
    assert by_id[once].as_dict()["repeated"] is False and by_id[once].borrower
    assert [i.task_id for i in repeated] == [again, followed] and before == []

    # the next morning: the two still open are listed again (and the reopened one gets its own follow-up)
    assert sla.sweep(world.settings, local(2026, 3, 3, 10, 0), notifier=notifier).followed_up == 1
    with session_scope(world.settings.effective_database_url) as s:
        tuesday = overdue_list(s, day=local(2026, 3, 3).date(), now=local(2026, 3, 3, 10, 30), tz=SHANGHAI)
    assert [(i.task_id, i.flags) for i in tuesday] == [(again, ["escalated", "open_overdue"]),
                                                       (followed, ["open_overdue"])]
    assert tuesday[0].top_level == 3 and tuesday[0].overdue_escalations == 3


def test_the_cli_prints_the_list_of_a_date(world):
    task_id = world.task(kind=TaskKind.VERIFICATION_FAILED)
    sla.sweep(world.settings, local(2026, 3, 2, 11, 0), notifier=RecordingNotifier())
    runner = CliRunner()
    result = runner.invoke(cli, ["sla", "overdue", "--date", "2026-03-02", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [(i["task_id"], i["breaches"], i["repeated"]) for i in listed] == [(task_id, 1, False)]
    table = runner.invoke(cli, ["sla", "overdue", "--date", "2026-03-02"])
    assert table.exit_code == 0 and "超时督办清单" in table.output and "共 1 项" in table.output
    assert runner.invoke(cli, ["sla", "overdue", "--date", "2026-03-01", "--json"]).output.strip() == "[]"
    assert runner.invoke(cli, ["sla", "overdue", "--date", "03/02"]).exit_code != 0
