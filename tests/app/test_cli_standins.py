"""``idp stand-in tax|registry`` serve the demo data, and the adapters built from settings talk to them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from idp.adapters.factory import business_registry, tax_verifier
from idp.models.authority import CompanyStatus, InvoiceQuery, VerificationStatus
from idp.settings import Settings
from idp.standins.runner import free_port, start_for

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "samples" / "authority" / "authority.json"
ENV = {"IDP_TENCENT_SECRET_ID": "cli-id", "IDP_TENCENT_SECRET_KEY": "cli-key",
       "IDP_TIANYANCHA_TOKEN": "cli-token"}


@contextmanager
def stand_in(kind: str) -> Iterator[str]:
    port = free_port()
    idp = Path(sys.executable).with_name("idp")
    proc = subprocess.Popen([str(idp), "stand-in", kind, "--data", str(DATA), "--port", str(port)], cwd=REPO,
                            env=os.environ | ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "stand-in did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_tax_stand_in_from_the_cli_answers_the_configured_verifier() -> None:
    with stand_in("tax") as url:
        settings = Settings(tax_base_url=url, tencent_secret_id="cli-id", tencent_secret_key="cli-key")
        query = InvoiceQuery.build(kind="10", code="042002562511", number="41678993",
                                   issue_date=date(2025, 11, 9), check_code="54679366021354323148")
        outcome = tax_verifier(settings).verify(query, now=datetime.now(UTC))
        assert outcome.status is VerificationStatus.FOUND and outcome.provider == "tencent"
        assert outcome.record is not None and outcome.record.seller_name == "武汉市嘉禾电子有限责任公司"


def test_registry_stand_in_from_the_cli_answers_the_configured_registry() -> None:
    with stand_in("registry") as url:
        settings = Settings(registry_base_url=url, tianyancha_token="cli-token")
        record = business_registry(settings).lookup(name="天津启明贸易有限公司", now=datetime.now(UTC))
        assert record is not None and record.name == "天津启明贸易有限责任公司"
        assert record.status is CompanyStatus.ACTIVE and record.uscc == "91120116631QK7ER97"


def test_start_for_serves_both_stand_ins_where_the_settings_point() -> None:
    tax_port, registry_port = free_port(), free_port()
    settings = Settings(tax_base_url=f"http://127.0.0.1:{tax_port}", tax_provider="baidu",
                        registry_base_url=f"http://127.0.0.1:{registry_port}")
    servers = start_for(settings, DATA)
    try:
        query = InvoiceQuery.build(kind="31", code=None, number="25440010307430371341",
                                   issue_date=date(2025, 11, 4), total_with_tax="60525.94")
        outcome = tax_verifier(settings).verify(query, now=datetime.now(UTC))
        assert outcome.status is VerificationStatus.FOUND and outcome.provider == "baidu"
        assert outcome.record is not None and outcome.record.seller_tax_id == "91440106762B25NLXE"
        record = business_registry(settings).lookup(uscc="91440106762B25NLXE", now=datetime.now(UTC))
        assert record is not None and record.name == "广州市华信贸易有限公司"
    finally:
        for server in servers:
            server.stop()
