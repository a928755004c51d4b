"""驾驶舱: the figures shown are those of queue_metrics, levels keep their colours, reviewers get a 403."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from idp.adapters.notify import RecordingNotifier
from idp.app.main import create_app
from idp.app.web import dashboard
from idp.models import TaskKind
from idp.settings import StaffEntry
from idp.storage import applications
from idp.storage.db import session_scope
from idp.storage.metrics import queue_metrics
from queues import sla, taskqueue
from queues.review import resolve_task
from tests.app.web.conftest import sign_in
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)  # a Monday
NOW = local(2026, 3, 2, 15, 30)
STAFF = {"王组长": StaffEntry(role="team_lead"), "李主管": StaffEntry(role="supervisor"),
         "张三": StaffEntry(role="reviewer")}


def _tile(body: str, key: str) -> tuple[str, str]:
    found = re.search(rf'data-kpi="{key}">.*?<div class="tile-value">(.*?)</div>\s*'
                      r'<div class="tile-sub">(.*?)</div>', body, re.S)
    assert found, key
    return found.group(1), found.group(2)


def _cells(body: str, kind: str) -> dict[str, int]:
    row = re.search(rf'<tr data-kind="{kind}">(.*?)</tr>', body, re.S)
    assert row, kind
    return {level: int(n) for level, n in re.findall(r'data-level="(\w+)">(\d+)<', row.group(1))}


def _client(settings, now=NOW, *, as_: str | None = None, role: str | None = None) -> TestClient:
    """A client at a fixed ``now``, signed in as ``as_`` (with the role ``STAFF`` gives the name)."""
    app = create_app(settings)
    app.dependency_overrides[dashboard.clock] = lambda: now
    client = TestClient(app)
    if as_ is not None:
        sign_in(client, settings, as_, role or (STAFF[as_].role if as_ in STAFF else "reviewer"))
    return client


@pytest.fixture
def world(db_settings):
    settings = db_settings.model_copy(update={"staff": STAFF})
    world = make_queue_world(settings, START)
    with session_scope(settings.effective_database_url) as s:  # one application passed straight through
        done = applications.get(s, world.application(status="completed"))
        done.decision, done.finalized_at = {"outcome": "straight_through"}, START + timedelta(minutes=5)
        waiting = applications.get(s, world.application(status="awaiting_verification"))
        waiting.verification_retry_at = local(2026, 3, 2, 16, 0)
    app_id = world.application()
    first = world.task(app_id)
    second = world.task(app_id, kind=TaskKind.CROSS_CHECK, document_id=world.document(app_id))
    world.red = world.task(kind=TaskKind.VERIFICATION_FAILED)  # due 11:00: 红 and escalated by 15:00
    world.yellow = world.task(kind=TaskKind.CROSS_CHECK, at=local(2026, 3, 2, 11, 0))  # due 16:00, 黄 15:00
    taskqueue.claim(settings, first, "张三", now=START + timedelta(minutes=10))
    resolve_task(settings, first, reviewer="张三", outcome="accepted", now=START + timedelta(minutes=40))
    resolve_task(settings, second, reviewer="王组长", outcome="corrected",
                 corrections={"seller_name": "新名称"}, now=START + timedelta(hours=1))
    sla.sweep(settings, local(2026, 3, 2, 15, 0), notifier=RecordingNotifier())
    return world


def test_the_dashboard_shows_the_figures_of_queue_metrics(world):
    with _client(world.settings, as_="李主管") as http:
        r = http.get("/review/dashboard")
    assert r.status_code == 200, r.text
    body = r.text
    with session_scope(world.settings.effective_database_url) as s:
        m = queue_metrics(s, since=local(2026, 3, 2, 0, 0), until=NOW)
    assert "驾驶舱" in body and 'aria-current="page">今日<' in body and "2026-03-02 00:00" in body
    assert _tile(body, "straight_through") == ("50.0%", "1 / 2 笔已决策申请自动通过")
    assert m["applications"]["straight_through_rate"] == 0.5
    assert _tile(body, "backlog")[0] == str(m["backlog"]["total"]) == "2"
    assert _tile(body, "red")[0] == str(m["backlog"]["by_level"]["red"]) == "1"
    assert _tile(body, "awaiting_verification") == ("1", "下次查验 2026-03-02 16:00")
    assert _tile(body, "first_touch")[0] == dashboard.duration(m["time_to_first_touch"]["mean_s"])
    assert _tile(body, "handle_time")[0] == dashboard.duration(m["handle_time"]["mean_s"]) == "15分钟"
    # backlog by kind × level, with the level colours
    for kind, levels in m["backlog"]["by_kind"].items():
        cells = _cells(body, kind)
        assert {k: v for k, v in cells.items() if v} == levels
    assert _cells(body, "verification_failed")["red"] == 1 and _cells(body, "cross_check")["yellow"] == 1
    assert _cells(body, "_total") == {"none": 0, "blue": 0, "yellow": 1, "orange": 0, "red": 1}
    for level, label in (("red", "红"), ("orange", "橙"), ("yellow", "黄"), ("blue", "蓝")):
        assert f'<span class="sla sla-{level}">{label}</span>' in body
    assert 'class="num lvl-red"' in body and "查验不通过" in body and "交叉核验异常" in body
    # the most urgent first, linked, with the time left or overdue
    urgent = body[body.index("最紧急的任务"):body.index('id="overdue"')]
    assert urgent.index(f"/review/tasks/{world.red}") < urgent.index(f"/review/tasks/{world.yellow}")
    assert "已超时 4小时30分" in urgent and "剩余 30分钟" in urgent
    # 督办 in the window, by level
    assert m["escalations"] == {"orange": 1, "red": 1}
    assert 'data-escalations="orange">橙 1<' in body and 'data-escalations="red">红 1<' in body
    assert "主管" in body and "组长" in body
    # per reviewer: 处理量, 更正率, 复核量
    assert re.search(r'data-reviewer="张三"><td>张三</td><td class="num">1</td>\s*'
                     r'<td class="num">0</td><td class="num">0.0%</td><td class="num">0</td>', body)
    assert re.search(r'data-reviewer="王组长">.*?<td class="num">100.0%</td>', body, re.S)
    # today's overdue list
    overdue = body[body.index('id="overdue"'):]
    assert f'data-task="{world.red}"' in overdue and "共 1 项" in overdue and "超时未处理" in overdue


def test_the_window_is_chosen_by_query_parameter(world):
    with _client(world.settings, now=local(2026, 3, 9, 9, 0), as_="王组长") as http:  # a week later
        week = http.get("/review/dashboard?window=7d").text
        today = http.get("/review/dashboard?window=nonsense").text
    assert 'aria-current="page">近7天<' in week and "2026-03-02 09:00" in week
    assert _tile(week, "straight_through")[0] == "50.0%"
    assert _tile(today, "straight_through")[0] == "—" and 'aria-current="page">今日<' in today
    assert "窗口内没有督办" in today and "窗口内没有处理记录" in today
    assert _tile(today, "backlog")[0] == "2"  # the backlog is as of now, whatever the window


def test_a_plain_reviewer_gets_a_403_page_and_nobody_the_sign_in_form(world):
    with _client(world.settings, as_="张三") as http:
        refused = http.get("/review/dashboard")
        queue = http.get("/review")
    with _client(world.settings, as_="王组长") as http:
        lead = http.get("/review/dashboard")
    with _client(world.settings) as http:
        nobody = http.get("/review/dashboard")
    assert refused.status_code == 403 and "审核员" in refused.text and "无权查看监控看板" in refused.text
    assert queue.status_code == 200 and 'href="/review/dashboard"' not in queue.text
    assert lead.status_code == 200 and 'href="/review/dashboard">驾驶舱</a>' in lead.text
    assert nobody.status_code == 401 and "员工登录" in nobody.text


def test_names_are_escaped(db_settings):
    make_queue_world(db_settings, START).task()
    with _client(db_settings, as_="<i>x</i>", role="team_lead") as http:
        r = http.get("/review/dashboard")
    assert r.status_code == 200
    assert "&lt;i&gt;x&lt;/i&gt;" in r.text and "<i>x</i>" not in r.text
    assert _tile(r.text, "backlog")[0] == "1" and _tile(r.text, "straight_through")[0] == "—"


@pytest.mark.parametrize(("seconds", "text"), [(None, "—"), (42.4, "42秒"), (600, "10分钟"), (3600, "1小时"),
                                               (3900, "1小时5分"), (86400, "1天"), (90000, "1天1小时")])
def test_durations_read_as_words(seconds, text):
    assert dashboard.duration(seconds) == text
