"""Schemathesis against the published OpenAPI schema: every operation, generated requests (valid and not),
a bounded number of examples each; no request may answer 5xx (SQLite and PostgreSQL)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from idp.app.main import create_app
from idp.settings import StaffEntry
from tests.helpers import make_client

#: Examples per operation (CI time: about 25 operations).
EXAMPLES = 12


def test_no_generated_request_answers_a_server_error(db_settings):
    _, key, _ = make_client(db_settings)
    # staff speak through a trusted proxy (the bank's SSO gateway) naming a supervisor: every route is reachable
    settings_ = db_settings.model_copy(update={"trusted_proxies": ["testclient"],
                                               "staff": {"schemathesis": StaffEntry(role="supervisor")}})
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings_, migrate=False))
    headers = {"X-API-Key": key, "X-Reviewer": "schemathesis"}
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            response = case.call(headers={**(case.headers or {}), **headers})  # authenticated: reach the handlers
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

        run()
    assert failures == [], failures[:10]
    assert len(statuses) > 100 and any(s < 300 for s in statuses)
    assert sum(1 for s in statuses if s not in (401, 403)) > len(statuses) // 2  # the handlers were reached
