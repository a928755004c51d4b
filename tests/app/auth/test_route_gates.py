"""Every task, review, correction and metrics route refuses a caller without identity (401) and a wrong role
(403), found by walking the app's routes: a new route without a gate fails here."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from idp.app.auth import accounts
from idp.app.auth.gates import ANYONE, Gate
from idp.app.main import create_app
from idp.models import Reason, Role, TaskKind
from idp.storage import staff, task_records, tasks
from idp.storage.db import session_scope
from queues.clock import utcnow
from tests.app.web.conftest import add_staff, make_world, sign_in, tiny_pdf

GUARDED = ("/v1/tasks", "/v1/corrections", "/v1/metrics", "/review")
#: Routes anyone may call: signing in itself.
PUBLIC = {("GET", "/review/login"), ("POST", "/review/login"), ("GET", "/review/login/sso"),
          ("GET", "/review/login/sso/callback")}
#: Routes open to every staff role and about no one object: what they list is filtered by role instead
#: (tested below), so they have no "wrong role".
EVERY_ROLE = {("GET", "/v1/tasks"), ("POST", "/v1/tasks/next"), ("GET", "/v1/corrections"), ("GET", "/review"),
              ("POST", "/review/next"), ("POST", "/review/logout")}
ORDER = (Role.REVIEWER, Role.RISK_OFFICER, Role.TEAM_LEAD, Role.SUPERVISOR)
NAMES = {Role.REVIEWER: "普通甲", Role.RISK_OFFICER: "风控钱", Role.TEAM_LEAD: "组长王", Role.SUPERVISOR: "主管赵"}


def _routes(app) -> list[APIRoute]:
    out, todo = [], list(app.routes)
    while todo:
        route = todo.pop()
        if isinstance(route, APIRoute):
            out.append(route)
        elif hasattr(route, "original_router"):
            todo.extend(route.original_router.routes)
    return out


def _gate(route: APIRoute) -> Gate | None:
    todo = [route.dependant]
    while todo:
        dep = todo.pop()
        if isinstance(dep.call, Gate):
            return dep.call
        todo.extend(dep.dependencies)
    return None


def _guarded(app) -> list[tuple[str, str, APIRoute]]:
    found = []
    for route in _routes(app):
        if route.path.startswith(GUARDED):
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, route.path, route))
    return sorted(found, key=lambda x: (x[1], x[0]))


@pytest.fixture
def gated(db_settings):
    """A risk officer's task (claimed by them), its document and a correction waiting for a risk officer."""
    world = make_world(db_settings)
    doc_id = world.add_document(tiny_pdf())
    reason = Reason(code="verification.invoice_not_found", message="发票查验不通过", document_id=doc_id)
    task_id = world.add_task([reason], document_id=doc_id, kind=TaskKind.VERIFICATION_FAILED)
    now = utcnow()
    tokens = {}
    with session_scope(db_settings.effective_database_url) as s:
        row = tasks.get(s, task_id)
        row.required_role, row.status = "risk_officer", "claimed"
        row.claimed_by, row.lease_expires_at = NAMES[Role.RISK_OFFICER], now + timedelta(minutes=30)
        correction = task_records.propose_correction(
            s, task_id=task_id, application_id=world.application_id, document_id=doc_id, field="total_with_tax",
            old="1.00", new="2.00", maker="某人", reason="测试", required_role="risk_officer", now=now)
        correction_id = correction.id
    for role, name in NAMES.items():
        add_staff(db_settings, name, role.value)
        with session_scope(db_settings.effective_database_url) as s:
            tokens[role] = accounts.issue_token(s, db_settings, staff.require(s, name), now=now)[0]
    values = {"task_id": task_id, "document_id": doc_id, "correction_id": str(correction_id), "page_no": "1",
              "decision": "approve"}
    return db_settings, values, tokens


def _url(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


#: A well-formed body for each kind of POST (so what refuses is the role, not the body).
BODY = {"comment": {"body": "说明"}, "resolve": {"outcome": "accepted"}, "reopen": {"reason": "复查"},
        "reassign": {"to": "普通甲", "task_ids": ["x"]}, "reject": {"comment": "不同意"}}


def _call(client: TestClient, method: str, url: str, headers: dict[str, str] | None = None):
    if method == "GET":
        return client.get(url, headers=headers or {}, follow_redirects=False)
    body = BODY.get(url.rsplit("/", 1)[-1], {})
    if url.startswith("/v1"):
        return client.request(method, url, headers=headers or {}, json=body, follow_redirects=False)
    form = {k: v for k, v in body.items() if isinstance(v, str)}
    return client.request(method, url, headers=headers or {}, data={"lease": "x", **form}, follow_redirects=False)


def test_every_guarded_route_has_a_gate(db_settings):
    missing = [(m, p) for m, p, route in _guarded(create_app(db_settings))
               if _gate(route) is None and (m, p) not in PUBLIC]
    assert missing == []


def test_nobody_signed_in_gets_401_from_every_guarded_route(gated):
    settings, values, _ = gated
    with TestClient(create_app(settings)) as anonymous:
        for method, path, _ in _guarded(anonymous.app):
            if (method, path) in PUBLIC:
                continue
            r = _call(anonymous, method, _url(path, values), {"X-Reviewer": "%E4%B8%BB"})  # not from a trusted proxy
            assert r.status_code == 401, (method, path, r.status_code, r.text[:200])


def test_a_wrong_role_gets_403_from_every_guarded_route(gated):
    settings, values, tokens = gated
    app = create_app(settings)
    checked = []
    with TestClient(app) as client:
        for method, path, route in _guarded(app):
            gate = _gate(route)
            if gate is None or (method, path) in EVERY_ROLE:
                continue
            # a role the gate does not admit; for gates open to all, a reviewer on the risk officer's task
            role = next((r for r in ORDER if r not in gate.roles), Role.REVIEWER)
            if gate.web:
                sign_in(client, settings, NAMES[role], role.value)
                r = _call(client, method, _url(path, values))
            else:
                r = _call(client, method, _url(path, values), {"Authorization": f"Bearer {tokens[role]}"})
            assert r.status_code == 403, (method, path, role, r.status_code, r.text[:300])
            checked.append((method, path, gate.roles == ANYONE))
    assert len(checked) >= 25 and any(open_to_all for *_, open_to_all in checked)


def test_routes_open_to_every_role_list_only_what_the_role_may_take(gated):
    settings, values, tokens = gated
    with TestClient(create_app(settings)) as client:
        reviewer = {"Authorization": f"Bearer {tokens[Role.REVIEWER]}"}
        risk = {"Authorization": f"Bearer {tokens[Role.RISK_OFFICER]}"}
        assert values["task_id"] not in client.get("/v1/tasks", headers=reviewer).text
        assert values["task_id"] in client.get("/v1/tasks", headers=risk).text
        assert client.post("/v1/tasks/next", headers=reviewer).status_code == 204
        sign_in(client, settings, NAMES[Role.REVIEWER])
        assert values["task_id"] not in client.get("/review?view=all").text
        sign_in(client, settings, NAMES[Role.TEAM_LEAD], "team_lead")
        assert values["task_id"] in client.get("/review?view=all").text
