"""Every odd request gets a 4xx problem body with a stable code, never a 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from idp.storage import documents
from idp.storage.db import session_scope
from queues.intake import clean_content_type, clean_filename
from tests.helpers import api, make_client, new_application

_HEADERS_REVIEWER = {"X-Reviewer": "alice"}


def staff_api(settings):
    """The API as the bank's SSO gateway (a trusted proxy) calls it, naming the person in X-Reviewer."""
    return api(settings.model_copy(update={"trusted_proxies": ["testclient"]}))


def _problem(resp, status: int, code: str | None = None) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"code", "message", "detail"}
    if code:
        assert body["code"] == code


@pytest.mark.parametrize("bad_id", ["x", "1", "%00", "a" * 300, "00000000-0000-0000-0000-00000000000G",
                                    "../../etc/passwd", "%E4%B8%AD"])
def test_a_malformed_application_id_is_404_or_422_never_500(db_settings, bad_id):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        for method, suffix in (("get", ""), ("get", "/result"), ("post", "/submit"), ("get", "/webhooks")):
            resp = getattr(http, method)(f"/v1/applications/{bad_id}{suffix}", headers={"X-API-Key": key})
            assert resp.status_code in (404, 422), (suffix, resp.text)
            _problem(resp, resp.status_code)


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**31), str(2**63), str(2**64 + 5), "1e3", "abc"])
def test_correction_ids_out_of_range_are_404_or_422(db_settings, bad_id):
    with staff_api(db_settings) as http:
        resp = http.post(f"/v1/corrections/{bad_id}/approve", headers=_HEADERS_REVIEWER)
        assert resp.status_code in (404, 422), resp.text
        _problem(resp, resp.status_code)


@pytest.mark.parametrize("bad_id", [str(2**63), "nope", "%00"])
def test_malformed_task_ids_are_404_or_422(db_settings, bad_id):
    with staff_api(db_settings) as http:
        for path in (f"/v1/tasks/{bad_id}", f"/v1/tasks/{bad_id}/history"):
            resp = http.get(path, headers=_HEADERS_REVIEWER)
            assert resp.status_code in (404, 422), resp.text


def test_an_empty_or_blank_external_id_is_422(db_settings):
    _, key, _ = make_client(db_settings)
    body = {"borrower": {"name": "示例借款企业有限公司", "uscc": "91110000600037341L"}, "product": "p"}
    with api(db_settings) as http:
        for external_id in ("", "   "):
            resp = http.post("/v1/applications", json={**body, "external_id": external_id},
                             headers={"X-API-Key": key})
            _problem(resp, 422, "validation_error")


def test_a_nul_in_a_json_body_or_query_is_422(db_settings):
    _, key, _ = make_client(db_settings)
    with staff_api(db_settings) as http:
        resp = http.post("/v1/applications", headers={"X-API-Key": key},
                         json={"borrower": {"name": "示例\u0000公司", "uscc": "91110000600037341L"}, "product": "p"})
        _problem(resp, 422, "invalid_characters")
        resp = http.get("/v1/tasks?product=a%00b", headers=_HEADERS_REVIEWER)
        _problem(resp, 422, "invalid_characters")


def test_a_huge_json_body_is_413(db_settings):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        resp = http.post("/v1/applications", headers={"X-API-Key": key, "content-type": "application/json"},
                         content=b'{"product": "' + b"x" * (2 * 1024 * 1024) + b'"}')
        _problem(resp, 413, "body_too_large")


def test_an_empty_idempotency_key_is_422(db_settings):
    _, key, _ = make_client(db_settings)
    body = {"borrower": {"name": "示例借款企业有限公司", "uscc": "91110000600037341L"}, "product": "p"}
    with api(db_settings) as http:
        resp = http.post("/v1/applications", json=body, headers={"X-API-Key": key, "Idempotency-Key": ""})
        _problem(resp, 422)


def test_an_upload_with_a_nul_in_its_name_and_a_long_content_type_is_kept(db_settings):
    _, key, _ = make_client(db_settings)
    with api(db_settings) as http:
        app = new_application(http, key)
        parts = [("files", ("bad\x00name" + "x" * 600 + ".pdf", b"%PDF-1.4 junk", "application/" + "p" * 150))]
        resp = http.post(f"/v1/applications/{app['id']}/documents", files=parts, headers={"X-API-Key": key})
    assert resp.status_code == 201, resp.text
    (doc,) = resp.json()["documents"]
    assert "\x00" not in doc["filename"] and len(doc["filename"]) <= 255
    with session_scope(db_settings.effective_database_url) as s:
        row = documents.get(s, doc["id"])
        assert row.content_type is None and row.size == len(b"%PDF-1.4 junk")


def test_file_names_and_content_types_are_cleaned_not_refused():
    assert clean_filename("C:\\scans\\发票\x00.pdf") == "发票 .pdf"
    assert clean_filename("") == "upload" and clean_filename("\x00\x01") == "upload"
    assert len(clean_filename("a" * 1000)) == 255
    assert clean_content_type("Application/PDF; charset=binary") == "application/pdf"
    assert clean_content_type("x" * 300) is None and clean_content_type("text/plain\r\nX-Evil: 1") is None
