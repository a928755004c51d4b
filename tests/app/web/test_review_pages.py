"""The review screens: queue, task detail with boxes on the page, resolving, Chinese errors, autoescape."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from idp.models import Reason, TaskKind
from idp.storage import applications, tasks
from idp.storage.db import session_scope
from idp.storage.tables import FieldCorrectionRow, PendingCorrectionRow
from tests.app.web.conftest import sign_in

_BOX = re.compile(r'<div class="box( flagged)?" data-field="([^"]+)" style="([^"]+)"')


def test_queue_lists_open_tasks_most_urgent_first_with_overdue_marked(world, http):
    doc_id, later = world.add_invoice()
    overdue = world.add_task([Reason(code="application.no_documents", message="申请未上传任何文档")],
                             due_in=timedelta(hours=-1))
    r = http.get("/review")
    assert r.status_code == 200
    body = r.text
    assert "任务队列" in body and "智能文档审核" in body
    assert 'id="count">2<' in body
    assert f"/review/tasks/{overdue}" in body and f"/review/tasks/{later}" in body
    assert "字段复核" in body and "上海示例贸易有限公司" in body and "invoice.pdf" in body
    assert "字段置信度不足" in body and "已超时" in body and "审核员" in body  # the role each task needs
    overdue_row = body[body.rindex("<tr", 0, body.index(f"/review/tasks/{overdue}")):]
    assert overdue_row.startswith('<tr class="task-row overdue"')


def test_task_page_shows_reasons_page_image_and_one_box_per_located_field(world, http):
    doc_id, task_id = world.add_invoice()
    r = http.get(f"/review/tasks/{task_id}")
    assert r.status_code == 200
    body = r.text
    assert "字段置信度不足: 价税合计(小写) = 1180.00" in body and "field.low_confidence" not in body
    assert "缺少必填字段: 购买方纳税人识别号" in body
    assert f'<img src="/review/documents/{doc_id}/pages/1.jpg"' in body
    boxes = {name: (bool(flag), style) for flag, name, style in _BOX.findall(body)}
    assert boxes == {
        "invoice_number": (False, "left:10.00%;top:20.00%;width:30.00%;height:5.00%"),
        "total_with_tax": (True, "left:50.00%;top:60.00%;width:30.00%;height:5.00%"),
    }
    # Every extracted field is editable, and a field a reason names but nobody found can be filled in.
    for name, label in [("invoice_number", "发票号码"), ("total_with_tax", "价税合计(小写)"),
                        ("seller_name", "销售方名称"), ("buyer_tax_id", "购买方纳税人识别号")]:
        assert f'name="f:{name}"' in body and label in body
    assert 'value="1180.00"' in body and 'placeholder="未提取到"' in body
    assert 'value="corrected"' in body and "Ctrl+Enter" in body


def test_a_money_correction_waits_for_a_second_reviewer_then_completes_the_application(world, http):
    doc_id, task_id = world.add_invoice()
    r = http.post(f"/review/tasks/{task_id}/resolve", follow_redirects=False, data={
        "outcome": "corrected", "comment": "按原件更正", "f:invoice_number": "24312000000001",
        "f:total_with_tax": "1130.00", "f:seller_name": "杭州样本电子科技有限公司",
        "f:buyer_tax_id": "91310115MA1H8XXX2Q",
    })
    assert r.status_code == 303 and r.headers["location"] == "/review?done=pending_approval"
    queue = http.get("/review?view=approval").text
    assert "待双人复核" in queue and f"/review/tasks/{task_id}" in queue
    page = http.get(f"/review/tasks/{task_id}").text
    assert "双人复核" in page and "不能复核自己的修正" in page and 'name="outcome"' not in page
    with session_scope(world.settings.effective_database_url) as s:
        pending = {c.field: c.id for c in s.scalars(select(PendingCorrectionRow))}
        assert applications.get(s, world.application_id).status == "review"
    assert set(pending) == {"total_with_tax", "buyer_tax_id"}
    refused = http.post(f"/review/corrections/{pending['total_with_tax']}/approve")
    assert refused.status_code == 409 and "不能复核自己提交的修正" in refused.text

    sign_in(http, world.settings, "李四")
    page = http.get(f"/review/tasks/{task_id}").text
    assert f'action="/review/corrections/{pending["total_with_tax"]}/approve"' in page
    for correction_id in pending.values():
        r = http.post(f"/review/corrections/{correction_id}/approve", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/review/tasks/{task_id}?done=approved"
    with session_scope(world.settings.effective_database_url) as s:
        rows = s.scalars(select(FieldCorrectionRow).order_by(FieldCorrectionRow.field)).all()
        changes = {c.field: (c.old_value, c.new_value, c.corrected_by, c.approved_by) for c in rows}
        task = tasks.get(s, task_id)
        app = applications.get(s, world.application_id)
        assert (task.status, task.resolved_by) == ("resolved", "张三")
        assert task.resolution["outcome"] == "corrected" and task.resolution["approved_by"] == "李四"
        assert app.status == "completed" and app.result is not None
    assert changes == {"total_with_tax": ("1180.00", "1130.00", "张三", "李四"),
                       "buyer_tax_id": (None, "91310115MA1H8XXX2Q", "张三", "李四")}
    page = http.get(f"/review/tasks/{task_id}").text
    assert "已处理" in page and "修正后通过" in page and 'name="outcome"' not in page and "已复核通过" in page


def test_rejecting_a_correction_needs_a_reason_and_puts_the_task_back(world, http):
    doc_id, task_id = world.add_invoice()
    http.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "corrected", "f:total_with_tax": "1130.00"})
    with session_scope(world.settings.effective_database_url) as s:
        correction_id = s.scalar(select(PendingCorrectionRow.id))
    sign_in(http, world.settings, "李四")
    r = http.post(f"/review/corrections/{correction_id}/reject", data={"comment": ""})
    assert r.status_code == 422 and "驳回修正必须填写理由" in r.text
    r = http.post(f"/review/corrections/{correction_id}/reject", data={"comment": "原件金额是 1180.00"},
                  follow_redirects=False)
    assert r.status_code == 303
    page = http.get(r.headers["location"]).text
    assert "修正已驳回" in page and "复核驳回" in page and 'name="outcome"' in page
    with session_scope(world.settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        assert (row.status, row.claimed_by) == ("claimed", "李四")  # back in the queue; opening it claimed it


def test_resolving_goes_on_to_the_next_open_task(world, http):
    doc_id, first = world.add_invoice()
    second = world.add_task([Reason(code="application.no_documents", message="申请未上传任何文档")],
                            due_in=timedelta(hours=8))
    r = http.post(f"/review/tasks/{first}/resolve", data={"outcome": "accepted"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/review/tasks/{second}?done=accepted"
    page = http.get(r.headers["location"])
    assert "上一任务已处理:通过" in page.text
    with session_scope(world.settings.effective_database_url) as s:
        assert applications.get(s, world.application_id).status == "review"  # one task is still open


def test_rejecting_without_a_comment_shows_a_chinese_error_and_keeps_the_task(world, http):
    _, task_id = world.add_invoice()
    r = http.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "rejected", "f:total_with_tax": "99"})
    assert r.status_code == 400
    assert "驳回必须填写意见" in r.text and "Traceback" not in r.text
    assert 'value="99"' in r.text  # what the reviewer typed is kept
    with session_scope(world.settings.effective_database_url) as s:
        assert tasks.get(s, task_id).status == "open"


def test_accepting_with_an_edited_field_is_refused(world, http):
    _, task_id = world.add_invoice()
    r = http.post(f"/review/tasks/{task_id}/resolve",
                  data={"outcome": "accepted", "f:total_with_tax": "1130.00"})
    assert r.status_code == 400 and "修正后通过" in r.text
    with session_scope(world.settings.effective_database_url) as s:
        assert tasks.get(s, task_id).status == "open"
        assert s.scalars(select(FieldCorrectionRow)).all() == []


def test_resolving_twice_says_the_task_is_already_resolved(world, http):
    _, task_id = world.add_invoice()
    assert http.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "accepted"},
                     follow_redirects=False).status_code == 303
    r = http.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "accepted"})
    assert r.status_code == 409 and "任务已处理" in r.text


def test_application_level_task_shows_reasons_and_accept_reject_only(world, http):
    reason = Reason(code="application.no_documents", message="申请未上传任何文档", severity="error")
    task_id = world.add_task([reason])
    body = http.get(f"/review/tasks/{task_id}").text
    assert "申请未上传任何文档" in body and "application.no_documents" not in body
    assert 'value="accepted"' in body and 'value="rejected"' in body
    assert 'value="corrected"' not in body and "<img" not in body


def test_processing_failed_task_shows_the_error_and_links_the_original(world, http):
    data = b"%PDF-1.7 broken"
    doc_id = world.add_document(data, filename="发票-扫描.pdf", status="failed",
                                error="PdfiumError: 无法解析")
    reason = Reason(code="document.processing_failed", message="文档处理失败", document_id=doc_id)
    task_id = world.add_task([reason], document_id=doc_id, kind=TaskKind.PROCESSING_FAILED)
    body = http.get(f"/review/tasks/{task_id}").text
    assert "处理失败" in body and "无法解析" in body and "发票-扫描.pdf" in body
    assert "PdfiumError" not in body  # no exception class names on a person's screen
    assert hashlib.sha256(data).hexdigest() in body
    assert f'href="/review/documents/{doc_id}/original"' in body
    r = http.get(f"/review/documents/{doc_id}/original")
    assert r.status_code == 200 and r.content == data
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment") and "filename*=utf-8''" in disposition


def test_unknown_task_is_a_chinese_404_page(http, db_settings):
    r = http.get("/review/tasks/nope")
    assert r.status_code == 404 and "未找到该任务" in r.text and "text/html" in r.headers["content-type"]


def test_borrower_names_and_values_are_escaped(make_world, invoice_extraction, http):
    evil = "<script>alert(1)</script>"
    world = make_world(borrower=evil)
    extraction = invoice_extraction()
    extraction.fields["seller_name"].value = '"><img src=x onerror=alert(2)>'
    _, task_id = world.add_invoice(extraction=extraction)
    for url in ("/review", f"/review/tasks/{task_id}"):
        body = http.get(url).text
        assert evil not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<img src=x" not in body
