"""``idp bench hostile|load|workers``: the reliability benches of the hardening work (loopback only, bounded)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def bench_hostile(
    fast: Annotated[bool, typer.Option(help="leave out the files that are slow to generate")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="write every outcome here")] = None,
    keep: Annotated[Path | None, typer.Option(help="write the corpus to this folder (else a temp dir)")] = None,
) -> None:
    """The hostile corpus through the API and one worker: unhandled errors, retries, files kept, peak memory."""
    from idp.app.bench_hostile import bench_hostile as run

    raise typer.Exit(run(fast=fast, json_out=json_out, keep=keep, console=console))


def bench_load(
    rate: Annotated[float, typer.Option(help="requests per second (rounds of create, upload, submit)",
                                        min=1, max=300)] = 50,
    seconds: Annotated[float, typer.Option(help="how long to send", min=1, max=600)] = 60,
    workers: Annotated[int, typer.Option(min=1, max=8)] = 1,
    json_out: Annotated[Path | None, typer.Option("--json")] = None,
) -> None:
    """A steady rate against the API on loopback: errors, p50/p95 latency, backlog drain time."""
    from idp.app.bench_load import run_load

    result = run_load(rate=rate, seconds=seconds, workers=workers)
    console.print_json(json.dumps(result, ensure_ascii=False))
    if json_out:
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1))


def bench_workers(
    count: Annotated[int, typer.Option(help="applications in the backlog", min=2, max=500)] = 24,
    kind: Annotated[str, typer.Option(help="pdf | scan | photo (the invoice each holds)")] = "photo",
) -> None:
    """The same backlog drained by one worker process, then by two (one OCR thread each): the speed-up."""
    from idp.app.bench_load import run_backlog

    one = run_backlog(workers=1, count=count, kind=kind)
    two = run_backlog(workers=2, count=count, kind=kind)
    console.print_json(json.dumps({"backlog": count, "kind": kind, "one_worker_s": round(one, 1),
                                   "two_workers_s": round(two, 1), "speedup": round(one / max(two, 1e-9), 2)}))


def bench_failover(rounds: Annotated[int, typer.Option(min=1, max=10)] = 3) -> None:
    """Kill -9 the worker reading a document: seconds until another worker takes it again."""
    from idp.app.bench_failover import run_failover

    console.print_json(json.dumps(run_failover(rounds=rounds)))


def register(app: typer.Typer) -> None:
    from idp.app.cli_eval import group

    bench = group(app, "bench", "性能基准 (benchmarks)")
    bench.command("hostile")(bench_hostile)
    bench.command("load")(bench_load)
    bench.command("workers")(bench_workers)
    bench.command("failover")(bench_failover)
