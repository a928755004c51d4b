"""``idp demo``: the whole path on embedded defaults — API, worker, webhook receiver — over every sample."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from idp.app.client import SETTLED, ApiClient
from idp.app.main import create_app
from idp.app.webhook_receiver import WebhookReceiver
from idp.settings import Settings
from idp.standins.runner import BackgroundServer, PortTaken
from idp.storage import clients
from idp.storage.db import session_scope
from idp.storage.migrate import upgrade
from queues.clock import utcnow
from queues.connection import redis_url, stop_embedded_redis

#: Files the demo submits.
_SUFFIXES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"}
#: Borrower used when a sample has no truth file naming its buyer.
_DEFAULT_BORROWER = ("示例借款企业有限公司", "91110000600037341L")


def _demo_client(settings: Settings, webhook_url: str) -> tuple[str, str]:
    """(api_key, webhook_secret) of a fresh demo client (a new key every run; old demo clients stay)."""
    name = f"demo-{utcnow().strftime('%Y%m%d%H%M%S%f')}"
    with session_scope(settings.effective_database_url) as s:
        row, key = clients.create_client(s, name=name, webhook_url=webhook_url, now=utcnow())
        return key, str(row.webhook_secret)


def _borrower_for(path: Path, registry: dict[str, str]) -> tuple[str, str]:
    """The borrower a lending system would submit the sample under: the invoice's or contract's buyer, the
    statement's holder (with the code the registry holds for that name)."""
    truth = path.with_name(path.name + ".truth.json")
    if truth.exists():
        data = json.loads(truth.read_text(encoding="utf-8"))
        buyer = data.get("buyer") or {}
        if buyer.get("name") and buyer.get("tax_id"):
            return str(buyer["name"]), str(buyer["tax_id"])
        holder = data.get("account_holder")
        if holder and holder in registry:
            return str(holder), registry[holder]
    return _DEFAULT_BORROWER


def _api_server(settings: Settings, port: int | None, console: Console) -> BackgroundServer | None:
    """The API's server, its port bound now and held until it serves. A port the user asked for that is
    taken is an error naming it; the default port, when taken, gives way to a free one, and the demo says so."""
    app = create_app(settings)
    try:
        return BackgroundServer(app, port=port or settings.port, lifespan="on")
    except PortTaken as exc:
        if port:
            console.print(f"[red]{exc}; 请换一个端口 (choose another with --port)[/]")
            return None
        server = BackgroundServer(app, lifespan="on")
        console.print(f"[yellow]{exc}; 改用端口 (using port) {server.port}[/]")
        return server


def _start_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = dict(os.environ, IDP_DATA_DIR=str(settings.data_dir), IDP_TAX_BASE_URL=settings.tax_base_url,
               IDP_REGISTRY_BASE_URL=settings.registry_base_url)
    return subprocess.Popen([sys.executable, "-m", "idp.app.cli", "worker"], env=env)


def merged_authority(samples_dir: Path, out: Path) -> Path:
    """One authority.json for the stand-ins: every authority file under the samples (the demo invoices'
    own and each bundle's), companies once per USCC, invoices once per code+number."""
    invoices: dict[str, Any] = {}
    companies: dict[str, Any] = {}
    for path in sorted(samples_dir.rglob("authority.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for inv in data.get("tax_invoices", []):
            invoices.setdefault(f"{inv.get('invoice_code') or ''}-{inv.get('invoice_number')}", inv)
        for company in data.get("companies", []):
            companies.setdefault(str(company.get("tax_id")), company)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"tax_invoices": list(invoices.values()), "companies": list(companies.values())},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _start_standins(settings: Settings, samples_dir: Path, console: Console) -> tuple[Settings, list[Any]]:
    """The tax and registry stand-ins (the real adapters talk to them over HTTP), on the configured ports
    if free, else on free ones; returns settings pointing at them."""
    from idp.standins.runner import start_for

    data = merged_authority(samples_dir, settings.data_dir / "demo-authority.json")
    servers = list(start_for(settings, data, any_port_if_taken=True))
    live = settings.model_copy(update={"tax_base_url": servers[0].url, "registry_base_url": servers[1].url})
    console.print(f"发票查验替身 tax stand-in: {live.tax_base_url}   工商替身 registry stand-in: "
                  f"{live.registry_base_url}")
    return live, servers


def _reason_text(state: dict[str, Any]) -> str:
    decision = state.get("decision") or {}
    reasons = decision.get("reasons") or []
    return "; ".join(f"{r['code']}: {r['message']}" for r in reasons[:3]) + (" …" if len(reasons) > 3 else "")


def run_demo(settings: Settings, *, samples_dir: Path, serve: bool, port: int | None, timeout: float,
             console: Console) -> int:
    bundles = sorted(p.parent for p in samples_dir.rglob("application.json"))
    files = sorted(p for p in samples_dir.rglob("*") if p.suffix.lower() in _SUFFIXES
                   and not any(b in p.parents for b in bundles))
    if not files and not bundles:
        console.print(f"[red]没有找到样例文件 (no samples) in {samples_dir}[/]")
        return 2
    console.print(f"数据目录 data dir: {settings.data_dir}")
    upgrade(settings.effective_database_url)
    redis_url(settings)
    receiver = WebhookReceiver("whsec_placeholder").start()
    api_key, secret = _demo_client(settings, receiver.url)
    receiver.secret = secret
    settings, standins = _start_standins(settings, samples_dir, console)
    server = _api_server(settings, port, console)
    if server is None:
        receiver.stop()
        for standin in standins:
            standin.stop()
        return 2
    server.start()
    base = server.url
    worker = _start_worker(settings)
    api = ApiClient(base, api_key)
    rows: list[tuple[Path, str]] = []
    authority = json.loads((settings.data_dir / "demo-authority.json").read_text(encoding="utf-8"))
    registry = {str(c["name"]): str(c["tax_id"]) for c in authority.get("companies", [])}
    try:
        for path in files:
            name, uscc = _borrower_for(path, registry)
            app_id = api.create_application(borrower_name=name, borrower_uscc=uscc, product="供应链订单贷",
                                            external_id=f"demo-{path.relative_to(samples_dir).as_posix()}"[:100])
            api.upload(app_id, [path])
            api.submit(app_id)
            rows.append((path, app_id))
        for bundle in bundles:  # an application bundle is one application with all its documents
            data = json.loads((bundle / "application.json").read_text(encoding="utf-8"))
            borrower, period = data["borrower"], data.get("statement_period")
            app_id = api.create_application(borrower_name=borrower["name"], borrower_uscc=borrower["tax_id"],
                                            product=data.get("product", "供应链订单贷"),
                                            external_id=f"demo-bundle-{bundle.name}",
                                            statement_period=(period["start"], period["end"]) if period else None)
            api.upload(app_id, sorted(p for p in bundle.iterdir() if p.suffix.lower() in _SUFFIXES))
            api.submit(app_id)
            rows.append((bundle, app_id))
        states = _wait_all(api, rows, timeout, console)
        _print_table(console, rows, states, samples_dir)
        done = receiver.wait_for(sum(1 for s in states.values() if s["status"] == "completed"), timeout=30)
        console.print(f"已收到并验签的 webhook (verified webhooks received): {len(done)}")
        console.print(f"\n审核页面 review UI: [bold link={base}/review]{base}/review[/]   API 文档: {base}/docs")
        _print_accounts(console, demo_accounts(settings))
        if serve:
            console.print("按 Ctrl-C 退出 (Ctrl-C to stop)")
            try:
                while worker.poll() is None:
                    time.sleep(0.5)
            except KeyboardInterrupt:
                pass
        unfinished = [p for p, a in rows if states[a]["status"] not in SETTLED]
        unexpected = _unexpected_bundles(rows, states)
        for bundle, expected, got in unexpected:
            console.print(f"[red]申请包 {bundle.name} 应为 {expected}，实为 {got} (bundle decided against its "
                          f"expected.json)[/]")
        return 1 if unfinished or unexpected else 0
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.stop()
        receiver.stop()
        for standin in standins:
            standin.stop()
        if settings.uses_embedded_redis:
            stop_embedded_redis(settings.redis_dir)


#: Demo staff: user name, display name, role.
DEMO_STAFF = (("reviewer", "张审核", "reviewer"), ("reviewer2", "李复核", "reviewer"),
              ("lead", "王组长", "team_lead"), ("supervisor", "赵主管", "supervisor"),
              ("risk", "钱风控", "risk_officer"))


def demo_accounts(settings: Settings) -> list[tuple[str, str, str, str]]:
    """The demo's staff accounts with fresh passwords (created, or their passwords reset, on each run)."""
    from idp.app.auth import accounts
    from idp.storage import staff
    from idp.storage.db import session_scope
    from queues.clock import utcnow

    out = []
    with session_scope(settings.effective_database_url) as s:
        for username, display, role in DEMO_STAFF:
            password = accounts.new_password()
            row = staff.find(s, username)
            if row is None:
                accounts.create(s, username=username, role=role, password=password, now=utcnow(),
                                display_name=display)
            else:
                accounts.set_password(s, row, password, now=utcnow())
            out.append((username, display, role, password))
    return out


def _print_accounts(console: Console, rows: list[tuple[str, str, str, str]]) -> None:
    from idp.models import ROLE_LABELS, Role

    table = Table(title="演示账号 demo staff accounts (登录 sign in at /review/login)")
    for column in ("用户名 user", "姓名 name", "角色 role", "密码 password"):
        table.add_column(column)
    for username, display, role, password in rows:
        table.add_row(username, display, ROLE_LABELS[Role(role)], password)
    console.print(table)


def _wait_all(api: ApiClient, rows: list[tuple[Path, str]], timeout: float, console: Console) -> dict[str, Any]:
    states: dict[str, Any] = {}
    deadline = time.monotonic() + timeout
    with Progress(TextColumn("处理中 processing"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console) as progress:
        bar = progress.add_task("docs", total=len(rows))
        while True:
            states = {a: api.get(a) for _, a in rows}
            settled = sum(1 for s in states.values() if s["status"] in SETTLED)
            progress.update(bar, completed=settled)
            if settled == len(rows) or time.monotonic() > deadline:
                return states
            time.sleep(0.3)


def _unexpected_bundles(rows: list[tuple[Path, str]], states: dict[str, Any]) -> list[tuple[Path, str, str]]:
    """Bundles whose decision is not the one their ``expected.json`` states: the demo fails on them, so a clean
    application that stops passing straight through (or a planted one that passes) is never shown as fine."""
    out = []
    for path, app_id in rows:
        expected_file = path / "expected.json"
        if not expected_file.is_file():
            continue
        expected = json.loads(expected_file.read_text(encoding="utf-8")).get("decision")
        got = (states[app_id].get("decision") or {}).get("outcome") or states[app_id]["status"]
        if expected and got != expected:
            out.append((path, str(expected), str(got)))
    return out


def _print_table(console: Console, rows: list[tuple[Path, str]], states: dict[str, Any], root: Path) -> None:
    table = Table(title="样例处理结果 (outcomes)", show_lines=True)
    table.add_column("样例 sample")
    table.add_column("申请 application")
    table.add_column("结果 outcome")
    table.add_column("原因 reasons")
    for path, app_id in rows:
        state = states[app_id]
        outcome = (state.get("decision") or {}).get("outcome")
        label = {"straight_through": "[green]直通 straight through[/]", "review": "[yellow]人工复核 review[/]"}.get(
            outcome or "", f"[red]{state['status']}[/]"
        )
        table.add_row(str(path.relative_to(root)), app_id[:8], label, _reason_text(state))
    console.print(table)
