"""Signing in for real: argon2 passwords, signed sessions, CSRF on every form, throttling, logout, tokens,
the trusted proxy's X-Reviewer, and four eyes that a name's spelling cannot get round."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from fastapi.testclient import TestClient

from idp.app.auth import accounts
from idp.app.main import create_app
from idp.storage import staff
from idp.storage.db import session_scope
from queues.clock import utcnow
from tests.app.web.conftest import PASSWORD, add_staff, csrf_of, make_world, sign_in


def _login(client: TestClient, username: str, password: str, token: str | None = None):
    token = token or csrf_of(client.get("/review/login").text)
    return client.post("/review/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


def test_passwords_are_argon2_hashes_never_plain(db_settings):
    add_staff(db_settings, "alice")
    with session_scope(db_settings.effective_database_url) as s:
        stored = staff.require(s, "ALICE").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_sign_in_and_out(db_settings):
    add_staff(db_settings, "alice", "team_lead")
    with TestClient(create_app(db_settings)) as client:
        assert client.get("/review").status_code == 401
        r = _login(client, "Alice", PASSWORD)  # user names are not case-sensitive
        assert r.status_code == 303 and r.headers["location"] == "/review"
        page = client.get("/review")
        assert page.status_code == 200 and "alice" in page.text and "组长" in page.text
        assert "idp_session" in client.cookies and "alice" not in client.cookies["idp_session"].split(".")[-1]
        out = client.post("/review/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert out.status_code == 303 and client.get("/review").status_code == 401


def test_a_wrong_password_or_unknown_name_gets_the_same_answer(db_settings):
    add_staff(db_settings, "alice")
    with TestClient(create_app(db_settings)) as client:
        wrong, unknown = _login(client, "alice", "nope-nope-nope"), _login(client, "mallory", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.text and "用户名或密码错误" in unknown.text


def test_posts_without_the_sessions_csrf_token_are_refused(db_settings):
    world = make_world(db_settings)
    _, task_id = world.add_invoice()
    with TestClient(create_app(db_settings)) as client:
        assert _login(client, "mallory", PASSWORD, token="forged").status_code == 403  # the sign-in form too
        sign_in(client, db_settings, "张三")
        client.headers.pop("X-CSRF-Token")
        r = client.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "accepted"})
        assert r.status_code == 403 and "请刷新页面后重试" in r.text
        r = client.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "accepted", "csrf_token": "forged"})
        assert r.status_code == 403
        token = csrf_of(client.get("/review").text)
        r = client.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "accepted", "csrf_token": token},
                        follow_redirects=False)
        assert r.status_code == 303


def test_repeated_failures_lock_the_account_for_a_while_then_it_opens_again(db_settings):
    settings = db_settings.model_copy(update={"login_max_failures": 3})
    add_staff(settings, "alice")
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            assert _login(client, "alice", "wrong-password").status_code == 401
        locked = _login(client, "alice", PASSWORD)
        assert locked.status_code == 429 and "登录失败次数过多" in locked.text
        assert _login(client, "bob-unrelated", PASSWORD).status_code == 401  # only that account
    later = utcnow() + timedelta(seconds=settings.login_window_s + 1)
    with session_scope(settings.effective_database_url) as s:
        assert accounts.authenticate(s, settings, username="alice", password=PASSWORD, ip="testclient",
                                     now=later).username == "alice"


def test_one_address_trying_many_accounts_is_throttled(db_settings):
    settings = db_settings.model_copy(update={"login_max_failures_per_ip": 4})
    add_staff(settings, "alice")
    with TestClient(create_app(settings)) as client:
        for n in range(4):
            _login(client, f"guess{n}", "wrong-password")
        assert _login(client, "alice", PASSWORD).status_code == 429


def test_a_password_change_ends_every_session_and_token(db_settings):
    add_staff(db_settings, "alice")
    with session_scope(db_settings.effective_database_url) as s:
        token, _ = accounts.issue_token(s, db_settings, staff.require(s, "alice"), now=utcnow())
    with TestClient(create_app(db_settings)) as client:
        sign_in(client, db_settings, "alice")
        bearer = {"Authorization": f"Bearer {token}"}
        assert client.get("/review").status_code == 200 and client.get("/v1/tasks", headers=bearer).status_code == 200
        with session_scope(db_settings.effective_database_url) as s:
            accounts.set_password(s, staff.require(s, "alice"), "another-password-2", now=utcnow())
        assert client.get("/review").status_code == 401
        assert client.get("/v1/tasks", headers=bearer).status_code == 401


def test_the_task_api_takes_a_bearer_token_and_x_reviewer_only_from_a_trusted_proxy(db_settings):
    add_staff(db_settings, "lead", "team_lead")
    with session_scope(db_settings.effective_database_url) as s:
        token, _ = accounts.issue_token(s, db_settings, staff.require(s, "lead"), now=utcnow())
    with TestClient(create_app(db_settings)) as client:
        assert client.get("/v1/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert client.get("/v1/metrics", headers={"Authorization": "Bearer idp_pat_forged"}).status_code == 401
        assert client.get("/v1/metrics", headers={"X-Reviewer": "lead"}).status_code == 401
    proxied = db_settings.model_copy(update={"trusted_proxies": ["testclient"]})
    with TestClient(create_app(proxied)) as client:
        r = client.get("/v1/metrics", headers={"X-Reviewer": quote("LEAD")})  # the account's role applies
        assert r.status_code == 200


def test_four_eyes_cannot_be_bypassed_by_spelling_a_name_differently(db_settings):
    world = make_world(db_settings)
    _, task_id = world.add_invoice()
    add_staff(db_settings, "alice")
    with TestClient(create_app(db_settings)) as client:
        sign_in(client, db_settings, "alice")
        client.post(f"/review/tasks/{task_id}/resolve", data={"outcome": "corrected", "f:total_with_tax": "1130.00"})
    from sqlalchemy import select

    from idp.storage.tables import PendingCorrectionRow
    from queues.foureyes import approve_correction

    with session_scope(db_settings.effective_database_url) as s:
        correction_id = s.scalar(select(PendingCorrectionRow.id))
    for spelling in ("ALICE", " alice ", "ａｌｉｃｅ"):
        try:
            approve_correction(db_settings, correction_id, checker=spelling, now=utcnow())
        except Exception as exc:  # noqa: BLE001 - the refusal is what is tested
            assert getattr(exc, "code", "") == "four_eyes_self", spelling
        else:
            raise AssertionError(f"{spelling!r} approved alice's correction")
