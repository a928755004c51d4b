"""The bank's SSO: a real OpenID Connect round trip (Authlib client ↔ a local provider stand-in)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from idp.app.main import create_app
from idp.standins.runner import BackgroundServer
from idp.storage import staff
from idp.storage.db import session_scope
from tests.app.auth.oidc_standin import oidc_standin

PERSON = {"sub": "u-1001", "preferred_username": "zhangwei", "name": "张伟", "roles": ["IDP_LEADS", "OTHER"]}


@pytest.fixture
def provider():
    app = oidc_standin(client_id="idp", client_secret="s3cret", person=dict(PERSON))
    server = BackgroundServer(app).start()
    yield app, server.url
    server.stop()


def _sso(client: TestClient) -> httpx.Response:
    start = client.get("/review/login/sso", follow_redirects=False)
    assert start.status_code == 302, start.text
    back = httpx.get(start.headers["location"], follow_redirects=False)  # the browser at the bank's SSO
    assert back.status_code == 302
    target = urlsplit(back.headers["location"])
    return client.get(f"{target.path}?{target.query}", follow_redirects=False)


def test_a_person_signs_in_through_the_sso_with_the_role_their_claim_names(db_settings, provider):
    app, url = provider
    settings = db_settings.model_copy(update={
        "oidc_issuer": url, "oidc_client_id": "idp", "oidc_client_secret": SecretStr("s3cret"),
        "public_url": "http://testserver", "oidc_role_map": {"IDP_LEADS": "team_lead"}})
    with TestClient(create_app(settings)) as client:
        assert "使用行内统一认证登录" in client.get("/review/login").text
        done = _sso(client)
        assert done.status_code == 303 and done.headers["location"] == "/review"
        page = client.get("/review")
        assert page.status_code == 200 and "张伟" in page.text and "组长" in page.text
        assert client.get("/review/dashboard").status_code == 200  # a team lead's page
    with session_scope(settings.effective_database_url) as s:
        account = staff.require(s, "zhangwei")
        assert (account.role, account.source, account.password_hash) == ("team_lead", "oidc", None)
        assert account.oidc_subject == f"{url}|u-1001"


def test_a_person_without_an_idp_role_is_refused(db_settings, provider):
    app, url = provider
    app.state.person = {**PERSON, "roles": ["OTHER"]}
    settings = db_settings.model_copy(update={
        "oidc_issuer": url, "oidc_client_id": "idp", "oidc_client_secret": SecretStr("s3cret"),
        "public_url": "http://testserver"})
    with TestClient(create_app(settings)) as client:
        refused = _sso(client)
        assert refused.status_code == 403 and "未分配审核系统角色" in refused.text
        assert client.get("/review").status_code == 401
