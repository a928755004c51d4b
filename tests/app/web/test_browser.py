"""The review UI in a real browser (Playwright driving Debian's Chromium; never a downloaded browser).

One browser and one server for the module. Each test makes its own tasks needing its own skill and signs in
people with that skill, so the queue's "next task" of one test never hands out another test's tasks.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from idp.models import Reason
from idp.settings import Settings
from idp.storage import staff, tasks
from idp.storage.blobstore import FileStore
from idp.storage.db import dispose_all, session_scope
from queues import taskqueue
from queues.clock import utcnow
from tests.app.web.conftest import PASSWORD, World, add_staff, make_world

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at "
                                "/usr/bin/chromium (.ci/run installs it: apt-get install -y chromium)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHOTO = Path(__file__).resolve().parents[3] / "samples" / "vat_invoice_photo" / "putong_dianzi_photo_01.jpg"
#: Figures the issue asks to be noted, printed at the end of the run (-s) and kept for the report.
FIGURES: dict[str, object] = {}


@dataclass
class Site:
    settings: Settings
    url: str
    browser: object


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    from playwright.sync_api import sync_playwright

    from idp.app.main import create_app
    from idp.standins.runner import BackgroundServer
    from idp.storage.migrate import upgrade

    data = Path(tempfile.mkdtemp(prefix="idpb"))
    settings = Settings(data_dir=data)
    upgrade(settings.effective_database_url)
    server = BackgroundServer(create_app(settings, migrate=False)).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield Site(settings=settings, url=server.url, browser=browser)
        finally:
            browser.close()
            server.stop()
            dispose_all()
            shutil.rmtree(data, ignore_errors=True)
            for key, value in FIGURES.items():
                print(f"figure {key}: {value}")  # noqa: T201 - the issue's targets, read from the test log


def _skill() -> str:
    return "s" + uuid.uuid4().hex[:8]


def _person(site: Site, role: str, skill: str) -> str:
    name = f"{role}-{skill}"
    add_staff(site.settings, name, role, skills=[skill])
    return name


def _own(site: Site, task_id: str, skill: str, **values: object) -> str:
    with session_scope(site.settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        row.required_skill = skill
        for key, value in values.items():
            setattr(row, key, value)
    return task_id


def _signed_in(site: Site, name: str):  # type: ignore[no-untyped-def]
    context = site.browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site.url}/review/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{site.url}/review")
    return context, page


def _app_task(world: World, skill: str, site: Site, *, due: timedelta = timedelta(hours=8)) -> str:
    reason = Reason(code="application.no_documents", message="申请未上传任何文档", severity="error")
    return _own(site, world.add_task([reason], due_in=due), skill)


def _focused_field(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("(document.activeElement.closest('.cell') || {dataset: {}}).dataset.field || ''")


def test_a_reviewer_corrects_flagged_fields_and_moves_on_by_keyboard_only(site):
    skill = _skill()
    world = make_world(site.settings)
    _, first = world.add_invoice()
    _own(site, first, skill, priority=1)
    second = _app_task(world, skill, site)
    third = _app_task(world, skill, site, due=timedelta(hours=9))
    context, page = _signed_in(site, _person(site, "reviewer", skill))
    page.goto(f"{site.url}/review/tasks/{first}")
    assert _focused_field(page) == "buyer_tax_id"  # the first flagged field has the focus on arrival
    keys = 0
    page.keyboard.press("F2")
    keys += 1
    page.keyboard.type("91310115MA1H8XXX2Q")
    page.keyboard.press("Enter")
    keys += 1
    FIGURES["keys per correction (plus its characters)"] = keys
    assert keys <= 3 and _focused_field(page) == "buyer_tax_id"
    page.keyboard.press("n")  # the next flagged field: one key
    assert _focused_field(page) == "total_with_tax"
    page.keyboard.press("F2")
    page.keyboard.type("1130.00")
    # an input method's Enter (composing) must not confirm the field
    page.evaluate("""document.activeElement.dispatchEvent(new KeyboardEvent('keydown',
        {key: 'Enter', isComposing: true, bubbles: true, cancelable: true}))""")
    assert page.evaluate("document.activeElement.classList.contains('field-input')")
    page.keyboard.press("Enter")
    assert page.input_value("#f-total_with_tax") == "1130.00"
    page.keyboard.press("Control+Enter")  # 修正后通过; the queue's next task opens (claimed)
    page.wait_for_url(re.compile(rf".*/review/tasks/{second}\?done=pending_approval"))
    assert "上一任务已提交双人复核" in page.content()
    page.keyboard.press("j")  # the next task: one key
    page.wait_for_url(re.compile(rf".*/review/tasks/{third}$"))
    with session_scope(site.settings.effective_database_url) as s:
        assert tasks.get(s, first).status == "pending_approval"
        assert tasks.get(s, second).status == "open"  # skipped: given back
        assert tasks.get(s, third).claimed_by == f"reviewer-{skill}"
    context.close()


def test_two_reviewers_can_never_both_work_one_task(site):
    skill = _skill()
    world = make_world(site.settings)
    _, contested = world.add_invoice()
    _own(site, contested, skill, priority=1)
    others = [_app_task(world, skill, site), _app_task(world, skill, site)]
    a_ctx, a = _signed_in(site, _person(site, "reviewer", skill))
    add_staff(site.settings, f"b-{skill}", "reviewer", skills=[skill])
    b_ctx, b = _signed_in(site, f"b-{skill}")
    a.goto(f"{site.url}/review/tasks/{contested}")
    b.goto(f"{site.url}/review/tasks/{contested}")
    assert a.is_enabled("#f-total_with_tax") and not b.is_enabled("#f-total_with_tax")
    assert "正由" in b.inner_text("#holder-banner") and b.locator("button[value=accepted]").count() == 0
    # even a hand-made POST from B's page is refused while A holds the task
    status = b.evaluate("""async (url) => (await fetch(url, {method: 'POST', headers: {'X-CSRF-Token':
        document.querySelector('meta[name=csrf-token]').content}, body: new URLSearchParams({outcome: 'accepted'})
        })).status""", f"/review/tasks/{contested}/resolve")
    assert status == 409
    # both ask for "next" at the same moment: each gets a different task
    for page in (a, b):
        page.goto(f"{site.url}/review")
    for page in (a, b):
        page.evaluate("setTimeout(() => document.getElementById('next-form').requestSubmit(), 0)")
    for page in (a, b):
        page.wait_for_url(re.compile(r".*/review/tasks/[0-9a-f-]+$"))
    got = [page.url.rsplit("/", 1)[-1] for page in (a, b)]  # (A left the contested task: it is free again)
    assert len(set(got)) == 2 and set(got) <= {contested, *others}
    with session_scope(site.settings.effective_database_url) as s:
        holders = [tasks.get(s, t).claimed_by for t in got]
    assert holders == [f"reviewer-{skill}", f"b-{skill}"]
    a_ctx.close()
    b_ctx.close()


def test_boxes_on_a_photographed_invoice_fall_on_their_text(site):
    from queues.docproc import process_file
    from queues.page_images import render_document

    skill = _skill()
    world = make_world(site.settings)
    processed = process_file(PHOTO, now=utcnow(), content_type="image/jpeg")
    doc = processed[0]
    doc_id = world.add_document(PHOTO.read_bytes(), filename=PHOTO.name, content_type="image/jpeg",
                                extraction=doc.extraction, page_text=doc.pages)
    _, key = FileStore(site.settings.files_dir).put(PHOTO.read_bytes())
    render_document(site.settings, doc_id, FileStore(site.settings.files_dir).path(key), doc.pages, now=utcnow())
    fields = [n for n, f in doc.extraction.fields.items() if f.bbox and f.value and len(f.value) >= 4]
    reason = Reason(code="field.low_confidence", message="请核对", fields=fields[:3], document_id=doc_id)
    task_id = _own(site, world.add_task([reason], document_id=doc_id), skill)
    context, page = _signed_in(site, _person(site, "reviewer", skill))
    page.goto(f"{site.url}/review/tasks/{task_id}")
    page.wait_for_function("() => { const i = document.querySelector('.page:not([hidden]) img');"
                           " return i && i.complete && i.naturalWidth > 0; }")
    centres = page.evaluate("""() => {
        const img = document.querySelector('.page:not([hidden]) img').getBoundingClientRect();
        return Array.from(document.querySelectorAll('.page:not([hidden]) .box')).map(b => {
            const r = b.getBoundingClientRect();
            return [b.dataset.field, (r.left + r.width / 2 - img.left) / img.width,
                    (r.top + r.height / 2 - img.top) / img.height];
        });
    }""")
    image = _stored_page(site, doc_id)
    errors = _alignment_errors(image, centres, doc.extraction)
    FIGURES["box alignment error on a photo (max, share of page width)"] = round(max(errors.values()), 4)
    assert len(errors) >= 5, errors
    assert max(errors.values()) <= 0.01, errors
    context.close()


def _stored_page(site: Site, doc_id: str) -> np.ndarray:
    from idp.storage import page_images

    with session_scope(site.settings.effective_database_url) as s:
        key = page_images.get(s, doc_id, 1).storage_key
    rgb = np.asarray(Image.open(io.BytesIO(FileStore(site.settings.files_dir).read(key))).convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _alignment_errors(image: np.ndarray, centres: list, extraction) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """For each box whose value OCR finds again on the stored page: how far (share of the page width) its
    centre lies from that text's box (0 when inside)."""
    from extractors.readers.ocr import get_engine

    h, w = image.shape[:2]
    lines = get_engine().recognize(image)

    def norm(text: str) -> str:
        return re.sub(r"[\s¥￥,，:：]", "", text)

    out = {}
    for name, cx, cy in centres:
        field = extraction.fields.get(name)
        value = norm(field.value or "") if field else ""
        if len(value) < 4:
            continue
        best = None
        for line in lines:
            if value not in norm(line.text):
                continue
            xs, ys = [p[0] / w for p in line.box], [p[1] / w for p in line.box]  # both in page widths
            px, py = cx, cy * h / w
            dx = max(min(xs) - px, 0, px - max(xs))
            dy = max(min(ys) - py, 0, py - max(ys))
            distance = (dx * dx + dy * dy) ** 0.5
            best = distance if best is None else min(best, distance)
        if best is not None:
            out[name] = best
    return out


def test_a_supervisor_reassigns_a_task_from_the_dashboard(site):
    skill = _skill()
    world = make_world(site.settings)
    task_id = _app_task(world, skill, site, due=timedelta(hours=-2))
    holder, target = _person(site, "reviewer", skill), f"t-{skill}"
    add_staff(site.settings, target, "reviewer", skills=[skill])
    _own(site, task_id, skill, sla_level="red", sla_rank=9, priority=1)
    taskqueue.claim(site.settings, task_id, holder, now=utcnow())
    context, page = _signed_in(site, _person(site, "supervisor", skill))
    page.goto(f"{site.url}/review/dashboard")
    cell = page.locator(f'td.task-actions[data-task="{task_id}"]')
    cell.locator("select[name=to]").select_option(target)
    cell.locator("form.reassign button").click()
    page.wait_for_url(re.compile(r".*/review/dashboard\?done=reassigned"))
    assert "任务已转派" in page.content()
    assert page.locator("canvas").count() >= 4  # the four charts were drawn (ECharts from the package)
    with session_scope(site.settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        assert (row.assignee, row.status, row.claimed_by) == (target, "open", None)
    context.close()


def test_four_eyes_the_checker_sees_value_proposal_and_reason_and_approves(site):
    skill = _skill()
    world = make_world(site.settings)
    _, task_id = world.add_invoice()
    _own(site, task_id, skill, priority=2)
    maker_ctx, maker = _signed_in(site, _person(site, "reviewer", skill))
    maker.goto(f"{site.url}/review/tasks/{task_id}")
    maker.fill("#comment", "按原件更正")
    maker.fill("#f-total_with_tax", "1130.00")
    maker.click("button[value=corrected]")
    maker.wait_for_url(re.compile(r".*done=pending_approval"))
    checker_name = f"c-{skill}"
    add_staff(site.settings, checker_name, "reviewer", skills=[skill])
    checker_ctx, checker = _signed_in(site, checker_name)
    checker.goto(f"{site.url}/review/tasks/{task_id}")
    row = checker.locator("tr.correction").first
    text = row.inner_text()
    assert "1180.00" in text and "1130.00" in text and "按原件更正" in text and f"reviewer-{skill}" in text
    row.locator("button.accept").click()
    checker.wait_for_url(re.compile(r".*done=approved"))
    with session_scope(site.settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        assert row.status == "resolved" and row.resolution["approved_by"] == checker_name
    maker_ctx.close()
    checker_ctx.close()


def test_sign_in_sign_out_and_a_forged_form_is_refused(site):
    skill = _skill()
    name = _person(site, "reviewer", skill)
    context = site.browser.new_context()
    page = context.new_page()
    page.goto(f"{site.url}/review")
    assert "员工登录" in page.content()
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "not-the-password")
    page.click("#login-form button[type=submit]")
    assert "用户名或密码错误" in page.content()
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{site.url}/review")
    page.evaluate("document.querySelector('#next-form input[name=csrf_token]').value = 'forged'")
    page.click("#next-form button")
    assert "请刷新页面后重试" in page.content()
    page.goto(f"{site.url}/review")
    page.click("form.logout button")
    page.wait_for_url(re.compile(r".*/review/login$"))
    page.goto(f"{site.url}/review")
    assert "员工登录" in page.content()
    with session_scope(site.settings.effective_database_url) as s:
        assert staff.require(s, name).last_login_at is not None
    context.close()
