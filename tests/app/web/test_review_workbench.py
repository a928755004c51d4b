"""The workbench beyond the basics: claim on open and the lease, line items, filters, Chinese pages, offline docs."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from fastapi.testclient import TestClient

from idp.app.main import create_app
from idp.models import ExtractedField, Reason, TaskKind
from idp.storage import documents, tasks
from idp.storage.db import session_scope
from queues import taskqueue
from queues.clock import utcnow
from tests.app.web.conftest import csrf_of, invoice_extraction, sign_in


def test_opening_a_task_claims_it_and_counts_as_its_first_touch(world, http):
    _, task_id = world.add_invoice()
    page = http.get(f"/review/tasks/{task_id}").text
    with session_scope(world.settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        assert (row.status, row.claimed_by) == ("claimed", "张三") and row.first_touched_at is not None
    assert 'data-mine="1"' in page and "处理中 · 张三" in page
    queue = http.get("/review?view=all").text
    assert "处理中 · <b>张三</b>" in queue


def test_the_heartbeat_renews_and_leaving_gives_back_only_the_lease_this_page_holds(world, http):
    _, task_id = world.add_invoice()
    first = re.search(r'data-lease="([^"]+)"', http.get(f"/review/tasks/{task_id}").text).group(1)
    beat = http.post(f"/review/tasks/{task_id}/heartbeat")
    assert beat.status_code == 200 and beat.json()["lease_expires_at"] >= first
    # a reload renewed the lease: the old page's late "left" must not release the task
    assert http.post(f"/review/tasks/{task_id}/leave", data={"lease": first}).status_code == 204
    with session_scope(world.settings.effective_database_url) as s:
        assert tasks.get(s, task_id).status == "claimed"
    current = beat.json()["lease_expires_at"]
    assert http.post(f"/review/tasks/{task_id}/leave", data={"lease": current}).status_code == 204
    with session_scope(world.settings.effective_database_url) as s:
        assert tasks.get(s, task_id).status == "open"


def test_someone_elses_claim_locks_the_page_and_the_heartbeat_says_who(world, http):
    _, task_id = world.add_invoice()
    taskqueue.claim(world.settings, task_id, "李四", now=utcnow())
    page = http.get(f"/review/tasks/{task_id}").text
    assert "正由 <b>李四</b> 处理" in page and 'name="outcome"' not in page and "disabled" in page
    beat = http.post(f"/review/tasks/{task_id}/heartbeat")
    assert beat.status_code == 409 and "李四" in beat.json()["message"]


def test_a_line_item_correction_changes_the_item_not_a_header_field(world, http):
    extraction = invoice_extraction()
    extraction.items = [{"name": ExtractedField(name="name", value="*电子元件*电阻", confidence=0.5),
                         "amount": ExtractedField(name="amount", value="100.00", confidence=0.99)}]
    doc_id, _ = world.add_invoice(extraction=extraction)
    reason = Reason(code="field.low_confidence", message="明细第1行项目名称置信度不足", fields=["items[0].name"],
                    document_id=doc_id, severity="warning")
    task_id = world.add_task([reason], document_id=doc_id)
    page = http.get(f"/review/tasks/{task_id}").text
    assert 'name="f:items[0].name"' in page and "明细第1行项目名称置信度不足" in page
    r = http.post(f"/review/tasks/{task_id}/resolve", follow_redirects=False,
                  data={"outcome": "corrected", "f:items[0].name": "*电子元件*电容"})
    assert r.status_code == 303
    with session_scope(world.settings.effective_database_url) as s:
        stored = documents.get(s, doc_id).extraction
    assert stored["items"][0]["name"]["value"] == "*电子元件*电容" and stored["items"][0]["name"]["source"] == "human"
    assert "items[0].name" not in stored["fields"]


def test_the_queue_filters_searches_and_pages(world, make_world, http):
    other = make_world(borrower="深圳另一家科技有限公司")
    _, field_task = world.add_invoice()
    cross = other.add_task([Reason(code="cross.amount", message="发票金额与合同不符")], kind=TaskKind.CROSS_CHECK)
    by_kind = http.get("/review?view=all&kind=cross_check").text
    assert cross in by_kind and field_task not in by_kind
    found = http.get("/review?view=all&q=另一家").text
    assert cross in found and field_task not in found
    for n in range(55):
        world.add_task([Reason(code="application.no_documents", message=f"第{n}个")], due_in=timedelta(hours=9))
    first, second = http.get("/review?view=all").text, http.get("/review?view=all&page=2").text
    assert "第 1 / 2 页" in first and "下一页" in first and "上一页" in second
    assert len(re.findall(r'class="task-row', first)) == 50 and len(re.findall(r'class="task-row', second)) == 7


def test_unknown_review_paths_and_refusals_are_chinese_pages(http):
    r = http.get("/review/no/such/page")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "页面不存在" in r.text
    r = http.get("/review/tasks/nope")
    assert r.status_code == 404 and "未找到该任务" in r.text and "not found" not in r.text


def test_api_docs_load_their_assets_from_the_package(db_settings):
    with TestClient(create_app(db_settings)) as client:
        docs, redoc = client.get("/docs").text, client.get("/redoc").text
        assert "/docs-static/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
        assert "/docs-static/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc
        assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
        assert client.get("/docs-static/redoc.standalone.js").status_code == 200


def test_the_dashboard_draws_four_charts_from_the_shipped_echarts(db_settings, world):
    world.add_invoice()
    with TestClient(create_app(db_settings)) as client:
        sign_in(client, db_settings, "王组长", "team_lead")
        body = client.get("/review/dashboard").text
        data = json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', body,
                                    re.S).group(1))
        assert set(data) >= {"backlog", "straight_through", "times", "escalations"}
        assert sum(sum(s["data"]) for s in data["backlog"]["series"]) > 0  # the open task is in the backlog
        assert '<script src="/static/vendor/echarts/echarts.min.js">' in body
        assert client.get("/static/vendor/echarts/echarts.min.js").status_code == 200


def test_a_team_lead_releases_from_the_dashboard(db_settings, world):
    _, task_id = world.add_invoice()
    taskqueue.claim(db_settings, task_id, "张三", now=utcnow())
    with TestClient(create_app(db_settings)) as client:
        sign_in(client, db_settings, "王组长", "team_lead")
        token = csrf_of(client.get("/review/dashboard").text)
        r = client.post(f"/review/dashboard/tasks/{task_id}/release", data={"csrf_token": token},
                        follow_redirects=False)
        assert r.status_code == 303
    with session_scope(db_settings.effective_database_url) as s:
        assert tasks.get(s, task_id).status == "open"
