"""The task API: X-Reviewer, filtered lists, next/claim/release, 补件, resolve, four-eyes, history, reassign."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from idp.adapters.notify import RecordingNotifier
from idp.app.main import create_app
from idp.models import TaskKind, TaskPriority
from idp.settings import StaffEntry
from queues import sla
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)


def who(name: str) -> dict[str, str]:
    return {"X-Reviewer": quote(name)}


@pytest.fixture
def world(db_settings):
    staff = {"李主管": StaffEntry(role="supervisor"), "王组长": StaffEntry(role="team_lead")}
    # the tests speak as a trusted proxy (the bank's SSO gateway) naming the person in X-Reviewer
    return make_queue_world(db_settings.model_copy(update={"staff": staff, "trusted_proxies": ["testclient"]}),
                            START)


@pytest.fixture
def http(world):
    with TestClient(create_app(world.settings)) as client:
        yield client


def test_a_reviewer_must_say_who_they_are(http):
    r = http.get("/v1/tasks")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_lists_filter_by_kind_level_and_status(world, http):
    cross = world.task(kind=TaskKind.CROSS_CHECK)
    field = world.task(kind=TaskKind.FIELD_REVIEW, at=local(2026, 3, 2, 13, 0))
    sla.sweep(world.settings, local(2026, 3, 2, 13, 36),
              notifier=RecordingNotifier())  # cross_check is orange
    page = http.get("/v1/tasks", headers=who("张三")).json()
    assert page["count"] == 2 and [t["id"] for t in page["data"]] == [cross, field]
    assert page["data"][0]["sla_level"] == "orange" and page["data"][0]["sla_level_label"] == "橙"
    assert page["data"][0]["kind_label"] == "交叉核验异常" and page["data"][0]["status_label"] == "待处理"
    only = http.get("/v1/tasks", params={"kind": "field_review"}, headers=who("张三")).json()
    assert [t["id"] for t in only["data"]] == [field]
    orange = http.get("/v1/tasks", params={"level": "orange", "status": "open"}, headers=who("张三")).json()
    assert [t["id"] for t in orange["data"]] == [cross]
    assert http.get("/v1/tasks", params={"status": "resolved"}, headers=who("张三")).json()["count"] == 0
    bad = http.get("/v1/tasks", params={"status": "nope"}, headers=who("张三"))
    assert bad.status_code == 422 and bad.json()["code"] == "bad_status"
    paged = http.get("/v1/tasks", params={"limit": 1, "offset": 1}, headers=who("张三")).json()
    assert [t["id"] for t in paged["data"]] == [field] and paged["count"] == 2


def test_next_claim_comment_pause_resume_resolve_and_history(world, http):
    task_id = world.task(kind=TaskKind.CROSS_CHECK)
    r = http.post("/v1/tasks/next", headers=who("张三"))
    assert r.status_code == 200 and r.json()["id"] == task_id and r.json()["claimed_by"] == "张三"
    assert http.post("/v1/tasks/next", headers=who("李四")).status_code == 204
    taken = http.post(f"/v1/tasks/{task_id}/claim", headers=who("李四"))
    assert taken.status_code == 409 and taken.json()["code"] == "task_claimed"
    assert http.post(f"/v1/tasks/{task_id}/comment", json={"body": "客户说明:金额含运费"},
                     headers=who("张三")).status_code == 201
    r = http.post(f"/v1/tasks/{task_id}/wait-for-customer", json={"note": "请补充运输合同"}, headers=who("张三"))
    assert r.status_code == 200 and r.json()["status"] == "waiting_customer"
    assert r.json()["status_label"] == "等待客户补件"
    refused = http.post(f"/v1/tasks/{task_id}/resolve", json={"outcome": "accepted"}, headers=who("张三"))
    assert refused.status_code == 409 and refused.json()["code"] == "task_paused"
    assert http.post(f"/v1/tasks/{task_id}/resume", headers=who("张三")).json()["status"] == "open"
    r = http.post(f"/v1/tasks/{task_id}/resolve", json={"outcome": "rejected"}, headers=who("张三"))
    assert r.status_code == 422 and r.json()["code"] == "comment_required"
    r = http.post(f"/v1/tasks/{task_id}/resolve", headers=who("张三"),
                  json={"outcome": "rejected", "reason_code": "mismatch", "comment": "合同与发票金额不符"})
    assert r.status_code == 200 and r.json()["status"] == "resolved" and r.json()["reason_code"] == "mismatch"
    detail = http.get(f"/v1/tasks/{task_id}", headers=who("王组长")).json()
    assert [c["body"] for c in detail["comments"]] == ["客户说明:金额含运费"]
    history = http.get(f"/v1/tasks/{task_id}/history", headers=who("王组长")).json()
    assert [(h["actor"], h["action"]) for h in history] == [
        ("system", "task.opened"), ("张三", "task.claimed"), ("张三", "task.commented"), ("张三", "task.paused"),
        ("张三", "task.resumed"), ("张三", "task.resolved")]
    r = http.post(f"/v1/tasks/{task_id}/reopen", json={"reason": "复核"}, headers=who("王组长"))
    assert r.status_code == 409 and r.json()["code"] == "application_closed"
    assert http.get("/v1/tasks/nope", headers=who("张三")).status_code == 404


def test_four_eyes_through_the_api(world, http):
    app_id = world.application()
    doc_id = world.document(app_id)
    task_id = world.task(app_id, document_id=doc_id, priority=TaskPriority.P2)
    r = http.post(f"/v1/tasks/{task_id}/resolve", headers=who("张三"),
                  json={"outcome": "corrected", "reason_code": "ocr_error",
                        "corrections": {"total_with_tax": "1180.00"}})
    assert r.status_code == 200 and r.json()["status"] == "pending_approval"
    assert r.json()["status_label"] == "待复核"
    pending = http.get("/v1/corrections", headers=who("李四")).json()
    assert [(c["field"], c["old_value"], c["new_value"], c["maker"]) for c in pending] == [
        ("total_with_tax", "1130.00", "1180.00", "张三")]
    own = http.post(f"/v1/corrections/{pending[0]['id']}/approve", headers=who("张三"))
    assert own.status_code == 409 and own.json()["code"] == "four_eyes_self"
    ok = http.post(f"/v1/corrections/{pending[0]['id']}/approve", json={"comment": "已核原件"}, headers=who("李四"))
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["checker"] == "李四"
    assert http.get(f"/v1/tasks/{task_id}", headers=who("李四")).json()["status"] == "resolved"
    assert http.get("/v1/corrections", headers=who("李四")).json() == []
    assert http.get("/v1/corrections", params={"status": "bogus"}, headers=who("李四")).status_code == 422


def test_bulk_reassign_is_for_supervisors(world, http):
    ids = [world.task() for _ in range(3)]
    r = http.post("/v1/tasks/reassign", json={"task_ids": ids, "to": "孙五"}, headers=who("王组长"))
    assert r.status_code == 403 and r.json()["code"] == "role_forbidden"
    r = http.post("/v1/tasks/reassign", json={"task_ids": ids, "to": "孙五", "reason": "均衡工作量"},
                  headers=who("李主管"))
    assert r.status_code == 200 and r.json() == {"reassigned": ids, "skipped": {}}
    single = http.post(f"/v1/tasks/{ids[0]}/reassign", json={"to": "赵六"}, headers=who("王组长"))
    assert single.status_code == 200 and single.json()["reassigned"] == [ids[0]]
    mine = http.get("/v1/tasks", params={"assignee": "孙五"}, headers=who("孙五")).json()
    assert sorted(t["id"] for t in mine["data"]) == sorted(ids[1:])


def test_only_the_holder_or_the_assignee_may_resolve(world, http):
    claimed, assigned = world.task(), world.task()
    assert http.post(f"/v1/tasks/{claimed}/claim", headers=who("张三")).status_code == 200
    r = http.post(f"/v1/tasks/{claimed}/resolve", json={"outcome": "accepted"}, headers=who("李四"))
    assert r.status_code == 409 and r.json()["code"] == "task_claimed"
    assert http.post(f"/v1/tasks/{assigned}/reassign", json={"to": "张三"}, headers=who("王组长")).status_code == 200
    r = http.post(f"/v1/tasks/{assigned}/resolve", json={"outcome": "accepted"}, headers=who("李四"))
    assert r.status_code == 409 and r.json()["code"] == "task_assigned"
    r = http.post(f"/v1/tasks/{assigned}/resolve", json={"outcome": "accepted"}, headers=who("张三"))
    assert r.status_code == 200
