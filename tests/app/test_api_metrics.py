"""Queue measures over a window: straight-through rate, backlog by level and kind, handle times, people."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from fastapi.testclient import TestClient

from idp.adapters.notify import RecordingNotifier
from idp.app.main import create_app
from idp.models import TaskKind
from idp.settings import StaffEntry
from idp.storage import applications
from idp.storage.db import session_scope
from queues import sla, taskqueue
from queues.review import resolve_task
from tests.queue_world import local, make_queue_world

START = local(2026, 3, 2, 9, 0)


def test_metrics_over_a_window(db_settings):
    world = make_queue_world(db_settings, START)
    with session_scope(db_settings.effective_database_url) as s:  # one application passed straight through
        app_id = world.application(status="completed")
        app = applications.get(s, app_id)
        app.decision, app.finalized_at = {"outcome": "straight_through"}, START + timedelta(minutes=5)
    app_id = world.application()
    first = world.task(app_id)
    second = world.task(app_id, kind=TaskKind.CROSS_CHECK, document_id=world.document(app_id))
    world.task(kind=TaskKind.VERIFICATION_FAILED)  # stays open and breaches
    taskqueue.claim(db_settings, first, "张三", now=START + timedelta(minutes=10))
    resolve_task(db_settings, first, reviewer="张三", outcome="accepted", now=START + timedelta(minutes=40))
    resolve_task(db_settings, second, reviewer="李四", outcome="corrected", corrections={"seller_name": "新名称"},
                 now=START + timedelta(hours=1))
    sla.sweep(db_settings, local(2026, 3, 2, 12, 0), notifier=RecordingNotifier())
    trusted = db_settings.model_copy(update={"trusted_proxies": ["testclient"],
                                             "staff": {"王组长": StaffEntry(role="team_lead")}})
    with TestClient(create_app(trusted)) as http:
        r = http.get("/v1/metrics", headers={"X-Reviewer": quote("王组长")},
                     params={"since": START.isoformat(), "until": local(2026, 3, 3, 0, 0).isoformat()})
        bad = http.get("/v1/metrics", headers={"X-Reviewer": quote("王组长")},
                       params={"since": "2026-03-03T00:00:00+08:00", "until": "2026-03-02T00:00:00+08:00"})
    assert r.status_code == 200 and bad.status_code == 422
    m = r.json()
    assert m["applications"]["finalised"] == 2 and m["applications"]["straight_through_rate"] == 0.5
    assert m["backlog"] == {"total": 1, "by_level": {"red": 1},
                            "by_kind": {"verification_failed": {"red": 1}}}
    assert m["time_to_first_touch"]["count"] == 2 and m["time_to_first_touch"]["untouched"] == 1
    assert m["time_to_first_touch"]["p50_s"] == 600.0
    # claimed at 9:10 and resolved at 9:40; the other resolved at its first touch
    assert m["handle_time"] == {"count": 2, "mean_s": 900.0, "p50_s": 0.0, "p90_s": 1800.0}
    assert m["breaches"]["entered_red"] == 1 and m["escalations"] == {"orange": 1, "red": 1}
    assert m["reviewers"]["张三"] == {"resolved": 1, "corrected": 0, "checked": 0, "correction_rate": 0.0}
    assert m["reviewers"]["李四"]["correction_rate"] == 1.0
