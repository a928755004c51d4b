"""The bounded child: a time budget, a memory ceiling, death by signal and hostile-input library errors all
come back as input failures; anything else is re-raised (and so retried)."""

from __future__ import annotations

import pytest

from idp.errors import InputRejected
from idp.settings import Settings
from queues.sandbox import run_bounded
from tests.queues import sandbox_fixtures as fx


def test_a_call_past_its_time_budget_is_an_input_failure_and_the_child_is_replaced():
    with pytest.raises(InputRejected) as caught:
        run_bounded(fx.sleep_for, 30, settings=Settings(), timeout_s=1)
    assert caught.value.code == "processing_timeout"
    assert run_bounded(fx.sleep_for, 0, settings=Settings(), timeout_s=30) == "woke"


def test_memory_over_the_ceiling_is_an_input_failure():
    with pytest.raises(InputRejected) as caught:
        run_bounded(fx.allocate, 2048, settings=Settings(), timeout_s=60, memory_mb=512)
    assert caught.value.code == "memory_limit"
    assert run_bounded(fx.allocate, 64, settings=Settings(), timeout_s=60, memory_mb=512) == 64 * 1024 * 1024


def test_a_child_killed_by_a_signal_is_an_input_failure():
    with pytest.raises(InputRejected) as caught:
        run_bounded(fx.crash, settings=Settings(), timeout_s=30)
    assert caught.value.code == "reader_crashed"


def test_a_reader_library_error_maps_to_an_input_code():
    with pytest.raises(InputRejected) as caught:
        run_bounded(fx.pdfium_refuses, settings=Settings(), timeout_s=30)
    assert caught.value.code == "corrupt_pdf"


def test_a_transient_error_is_raised_as_it_is_for_a_retry():
    with pytest.raises(ConnectionError):
        run_bounded(fx.fail_transiently, settings=Settings(), timeout_s=30)


def test_the_child_sees_the_callers_settings(monkeypatch):
    monkeypatch.setenv("IDP_MAX_PAGES", "7")
    assert run_bounded(fx.setting, "max_pages", settings=Settings(), timeout_s=30) == 7
    monkeypatch.delenv("IDP_MAX_PAGES")
    assert run_bounded(fx.setting, "max_pages", settings=Settings(), timeout_s=30) == 100


def test_without_the_sandbox_the_same_limits_and_error_mapping_apply(tmp_path):
    from datetime import UTC, datetime

    from idp.synth.hostile import pdf
    from queues.reading import process_upload

    settings = Settings(job_sandbox=False)
    for name, data, code in (("tree.pdf", pdf.self_referencing_tree(), "corrupt_pdf"),
                             ("box.pdf", pdf.pages_pdf(1, box=(14400, 14400)), "page_too_large")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputRejected) as caught:
            process_upload(settings, path, None, now=datetime(2026, 1, 1, tzinfo=UTC))
        assert caught.value.code == code


def test_the_time_budget_grows_with_pages_up_to_the_job_timeout():
    from queues.reading import time_budget

    settings = Settings(job_seconds_base=20, job_seconds_per_page=6, job_timeout_s=300)
    assert time_budget(settings, 1) == 26 and time_budget(settings, 10) == 80
    assert time_budget(settings, 1000) == 270
