"""The HTTP API: keys, client isolation, idempotency, uploads, and JSON errors with stable codes."""

from __future__ import annotations

from tests.helpers import api, make_client, new_application, upload

PDF = b"%PDF-1.4\n% not really a pdf body\n"


def test_missing_or_wrong_api_key_is_401_json(db_settings):
    http = api(db_settings)
    r = http.post("/v1/applications", json={})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"
    r = http.get("/v1/applications/x", headers={"X-API-Key": "nope"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_a_client_can_never_read_another_clients_application(db_settings):
    _, key_a, _ = make_client(db_settings, "bank-a")
    _, key_b, _ = make_client(db_settings, "bank-b")
    with api(db_settings) as http:
        app_a = new_application(http, key_a)
        assert http.get(f"/v1/applications/{app_a['id']}", headers={"X-API-Key": key_a}).status_code == 200
        for method, path in [
            ("get", f"/v1/applications/{app_a['id']}"),
            ("get", f"/v1/applications/{app_a['id']}/result"),
            ("get", f"/v1/applications/{app_a['id']}/webhooks"),
            ("post", f"/v1/applications/{app_a['id']}/submit"),
        ]:
            r = getattr(http, method)(path, headers={"X-API-Key": key_b})
            assert r.status_code == 404, (method, path, r.text)
            assert r.json()["code"] == "application_not_found"
        r = http.post(f"/v1/applications/{app_a['id']}/documents", headers={"X-API-Key": key_b},
                      files=[("files", ("a.pdf", PDF, "application/pdf"))])
        assert r.status_code == 404


def test_same_idempotency_key_returns_the_first_application(db_settings):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        body = {"borrower": {"name": "甲公司", "uscc": "91110000600037341L"}, "product": "订单贷"}
        h = {"X-API-Key": key, "Idempotency-Key": "req-1"}
        first = http.post("/v1/applications", json=body, headers=h)
        again = http.post("/v1/applications", json=body, headers=h)
        other = http.post("/v1/applications", json=body, headers={"X-API-Key": key, "Idempotency-Key": "req-2"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] != other.json()["id"]


def test_invalid_body_is_a_json_validation_error(db_settings):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        r = http.post("/v1/applications", json={"borrower": {"name": ""}}, headers={"X-API-Key": key})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error" and body["detail"]["errors"]


def test_duplicate_upload_in_one_application_is_recognised(db_settings):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        app = new_application(http, key)
        first = upload(http, key, app["id"], ("a.pdf", PDF))
        second = upload(http, key, app["id"], ("renamed.pdf", PDF))
        state = http.get(f"/v1/applications/{app['id']}", headers={"X-API-Key": key}).json()
    assert first[0]["duplicate"] is False and second[0]["duplicate"] is True
    assert first[0]["id"] == second[0]["id"]
    assert len(state["documents"]) == 1


def test_upload_is_stored_before_it_is_queued(db_settings):
    from idp.storage.blobstore import FileStore

    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        app = new_application(http, key)
        doc = upload(http, key, app["id"], ("a.pdf", PDF))[0]
    path = FileStore(db_settings.files_dir).path(f"{doc['sha256'][:2]}/{doc['sha256'][2:4]}/{doc['sha256']}")
    assert path.read_bytes() == PDF
    assert doc["status"] in ("queued", "stored")


def test_result_before_completion_is_409_and_submit_without_documents_is_422(db_settings):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        app = new_application(http, key)
        r = http.get(f"/v1/applications/{app['id']}/result", headers={"X-API-Key": key})
        assert r.status_code == 409 and r.json()["code"] == "result_not_ready"
        r = http.post(f"/v1/applications/{app['id']}/submit", headers={"X-API-Key": key})
        assert r.status_code == 422 and r.json()["code"] == "no_documents"


def test_openapi_is_published(db_settings):
    with api(db_settings) as http:
        spec = http.get("/openapi.json").json()
        assert "/v1/applications/{application_id}/documents" in spec["paths"]
        assert http.get("/docs").status_code == 200
