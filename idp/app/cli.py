"""The ``idp`` command: demo, serve, worker, submit, db, client (and read/eval/bench as they land)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from idp.settings import get_settings

app = typer.Typer(help="idp: 智能文档处理与人工审核队列 (intelligent document processing)", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
client_app = typer.Typer(help="API clients (lending systems).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(client_app, name="client")
console = Console()


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply Alembic migrations to the configured database."""
    from idp.storage.migrate import current_revision, upgrade

    settings = get_settings()
    upgrade(settings.effective_database_url, revision)
    console.print(f"database at revision [bold]{current_revision(settings.effective_database_url)}[/]")


@client_app.command("create")
def client_create(
    name: str,
    webhook_url: Annotated[str | None, typer.Option(help="where results are POSTed")] = None,
) -> None:
    """Create an API client; prints its API key and webhook secret once."""
    from idp.storage import clients
    from idp.storage.db import session_scope
    from idp.storage.migrate import upgrade
    from queues.clock import utcnow

    settings = get_settings()
    upgrade(settings.effective_database_url)
    with session_scope(settings.effective_database_url) as s:
        row, key = clients.create_client(s, name=name, webhook_url=webhook_url, now=utcnow())
        console.print_json(json.dumps({"client_id": row.id, "api_key": key, "webhook_secret": row.webhook_secret}))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Run the API and the review UI (migrates the database first)."""
    import uvicorn

    from idp.app.main import create_app
    from idp.storage.migrate import upgrade
    from queues.connection import redis_url

    settings = get_settings()
    upgrade(settings.effective_database_url)
    redis_url(settings)
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port, log_level="warning")


@app.command()
def worker(
    burst: Annotated[bool, typer.Option(help="exit when the queues are empty")] = False,
    name: Annotated[str | None, typer.Option()] = None,
    queues: Annotated[str | None, typer.Option(help="only these queues, comma-separated (e.g. webhooks)")] = None,
) -> None:
    """Run one worker (reads documents, decides applications; webhooks in IDP_WEBHOOK_WORKERS processes)."""
    from queues.worker import run_worker

    only = [q.strip() for q in queues.split(",") if q.strip()] if queues else None
    run_worker(get_settings(), burst=burst, name=name, queues=only)


@app.command()
def submit(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    api_key: Annotated[str, typer.Option(envvar="IDP_API_KEY", help="the client's API key")],
    borrower_name: Annotated[str, typer.Option(help="借款人名称")],
    borrower_uscc: Annotated[str, typer.Option(help="借款人统一社会信用代码")],
    product: Annotated[str, typer.Option()] = "供应链订单贷",
    api_url: Annotated[str | None, typer.Option(help="defaults to IDP_PUBLIC_URL")] = None,
    external_id: Annotated[str | None, typer.Option()] = None,
    period_start: Annotated[str | None, typer.Option(help="流水需覆盖的起始日期 YYYY-MM-DD")] = None,
    period_end: Annotated[str | None, typer.Option(help="流水需覆盖的截止日期 YYYY-MM-DD")] = None,
    wait: Annotated[bool, typer.Option(help="wait for the decision and print it")] = True,
    timeout: Annotated[float, typer.Option()] = 300.0,
) -> None:
    """Submit files as one application through the HTTP API (as a lending system would)."""
    from idp.app.client import ApiClient

    if (period_start is None) != (period_end is None):
        raise typer.BadParameter("--period-start 与 --period-end 须同时给出 (give both or neither)")
    api = ApiClient(api_url or get_settings().public_url, api_key)
    period = (period_start, period_end) if period_start and period_end else None
    app_id = api.create_application(borrower_name=borrower_name, borrower_uscc=borrower_uscc, product=product,
                                    external_id=external_id, statement_period=period)
    for doc in api.upload(app_id, files):
        dup = " (重复上传 duplicate)" if doc["duplicate"] else ""
        console.print(f"stored {doc['filename']} → document {doc['id']}{dup}")
    api.submit(app_id)
    console.print(f"application [bold]{app_id}[/] submitted")
    if wait:
        state = api.wait(app_id, timeout=timeout)
        console.print_json(json.dumps(state.get("decision"), ensure_ascii=False))


@app.command()
def demo(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="exit after printing the outcomes")] = False,
    samples: Annotated[Path, typer.Option(help="folder of sample documents")] = Path("samples"),
    port: Annotated[int | None, typer.Option()] = None,
    timeout: Annotated[float, typer.Option()] = 600.0,
) -> None:
    """Run everything on the embedded defaults, submit every sample, print the outcomes and the review URL."""
    from idp.app.demo import run_demo

    raise typer.Exit(run_demo(get_settings(), samples_dir=samples, serve=not no_serve, port=port,
                              timeout=timeout, console=console))


#: Modules adding commands to ``idp``; each has ``register(app: typer.Typer) -> None``.
COMMAND_MODULES = ("idp.app.cli_read", "idp.app.cli_eval", "idp.app.cli_standins", "idp.app.cli_tasks",
                   "idp.app.cli_docs", "idp.app.cli_bundles", "idp.app.cli_policy", "idp.app.cli_staff",
                   "idp.app.cli_pages", "idp.app.cli_foreign",
                   "idp.app.cli_contracts", "idp.app.cli_reliability",
                   "idp.app.cli_statements")


def _register_optional() -> None:
    """Reading, evaluation and benchmark commands live in their own modules (explicit list, no discovery)."""
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_optional()

if __name__ == "__main__":
    app()
