"""``idp bench statement``, ``idp synth docs`` and ``idp eval checks``: contracts and bank statements.

``synth docs`` writes evaluation sets (text PDFs, scans, photos, with truth) that ``idp eval`` scores;
``eval checks`` measures the rules on planted errors (each must fire) and on clean documents (none may).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

logger = logging.getLogger(__name__)
console = Console()

#: Rules whose findings are data-driven checks (not red flags or date/clock rules) counted as false alarms.
_IGNORED_ON_CLEAN = ("contract.expired", "contract.date_too_old", "pdf.")


def register(app: typer.Typer) -> None:
    """Add ``bench statement``, ``synth docs`` and ``eval checks`` to ``app``."""
    from idp.app.cli_eval import group

    group(app, "bench", "性能基准 (benchmarks)").command("statement")(bench_statement)
    group(app, "synth", "生成合成样本 (synthetic documents)").command("docs")(synth_docs)
    group(app, "eval", "评估抽取准确率 (evaluate against truth files)", default=True).command("checks")(
        eval_checks
    )


def bench_statement(
    pages: Annotated[int, typer.Option(help="pages of the generated statement")] = 30,
    repeat: Annotated[int, typer.Option(help="timed runs (the best and the median are shown)")] = 3,
    one_core: Annotated[bool, typer.Option(help="pin the process to one CPU core")] = True,
    limit_s: Annotated[float, typer.Option(help="exit 1 when the median CPU time is above this")] = 2.0,
) -> None:
    """Read and extract a long text-PDF statement (read → split → extract → validate), seconds per file."""
    from idp.synth.statement import write_sample
    from queues.docproc import process_file

    if one_core and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    work = Path(tempfile.mkdtemp(prefix="idp-bench-stmt-"))
    per_month = 100
    path = write_sample(
        work, "bench", "icbc", 7, months=max(1, round(pages * 30 / per_month)), per_month=per_month
    )
    times, cpu, docs = [], [], []
    for _ in range(max(1, repeat)):
        started, started_cpu = time.perf_counter(), time.process_time()
        docs = process_file(path, now=datetime.now(UTC))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    items = docs[0].extraction.items if docs else []
    ordered, ordered_cpu = sorted(times), sorted(cpu)
    median = ordered_cpu[len(ordered_cpu) // 2]  # CPU time: other processes on the machine do not count
    table = Table("figure", "value")
    from extractors.readers.pdf_text import page_count

    table.add_row("pages", str(page_count(path)))
    table.add_row("transactions (truth / read)", f"{len(truth['transactions'])} / {len(items)}")
    table.add_row("wall s (best / median)", f"{ordered[0]:.2f} / {ordered[len(ordered) // 2]:.2f}")
    table.add_row("CPU s (best / median)", f"{ordered_cpu[0]:.2f} / {median:.2f}")
    table.add_row("findings", ", ".join(sorted({f.rule_id for d in docs for f in d.findings})) or "无")
    console.print(table)
    if median > limit_s:
        console.print(f"[red]慢于 {limit_s}s[/]")
        raise typer.Exit(1)


def synth_docs(
    out: Annotated[Path, typer.Argument(help="folder to write the files and their truth JSON into")],
    contracts: Annotated[int, typer.Option(help="clean contracts per condition")] = 8,
    statements: Annotated[int, typer.Option(help="clean statements per condition")] = 8,
    conditions: Annotated[str, typer.Option(help="comma-separated: text, scan, photo")] = "text,scan,photo",
    planted: Annotated[
        bool, typer.Option(help="also write documents with planted errors and red flags")
    ] = True,
    seed: Annotated[int, typer.Option()] = 1000,
) -> None:
    """Synthetic contracts and statements (every layout in turn) with truth, for ``idp eval``."""
    from idp.synth import contract, statement

    wanted = [c.strip() for c in conditions.split(",") if c.strip()]
    written = 0
    for condition in wanted:
        for i in range(contracts):
            layout = contract.LAYOUTS[i % len(contract.LAYOUTS)]
            contract.write_sample(
                out / "purchase_contract",
                f"{condition}_{layout}_{i:02d}",
                layout,
                seed + i,
                condition=condition,
            )
            written += 1
        for i in range(statements):
            style = statement.STYLES[i % len(statement.STYLES)]
            months = 1 if condition != "text" else 2
            statement.write_sample(
                out / "bank_statement",
                f"{condition}_{style}_{i:02d}",
                style,
                seed + i,
                condition=condition,
                months=months,
                per_month=12 if condition != "text" else 14,
            )
            written += 1
    if planted:
        for i, error in enumerate(contract.PLANTED_ERRORS):
            layout = contract.LAYOUTS[i % len(contract.LAYOUTS)]
            contract.write_sample(
                out / "planted", f"contract_{error}", layout, seed + 500 + i, planted=(error,)
            )
            written += 1
        for i, error in enumerate(statement.PLANTED_ERRORS):
            style = ("icbc", "ccb", "abc", "icbc")[i % 4]
            statement.write_sample(
                out / "planted", f"statement_{error}", style, seed + 600 + i, planted=(error,), months=3
            )
            written += 1
        for i, flag in enumerate(statement.RED_FLAGS):
            style = statement.STYLES[i % len(statement.STYLES)]
            statement.write_sample(
                out / "planted", f"statement_flag_{flag}", style, seed + 700 + i, flags=(flag,)
            )
            written += 1
    console.print(f"wrote {written} documents under {out}")


def eval_checks(
    directory: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="folder with truth files")],
    json_out: Annotated[Path | None, typer.Option("--json", help="write per-file results here")] = None,
) -> None:
    """Planted errors and red flags must each raise their rule; clean documents none of theirs."""
    from idp.evaluation.truth import find_truth_files
    from queues.docproc import process_file

    rows = []
    for item in find_truth_files(directory):
        if item.doc_type not in ("purchase_contract", "bank_statement"):
            continue
        expected = set(item.truth.get("planted_errors") or []) | set(item.truth.get("red_flags") or [])
        now = _clock(item.truth)
        docs = process_file(item.path, now=now)
        fired = {f.rule_id for d in docs if d.kind.value == item.doc_type for f in d.findings}
        missed = sorted(expected - fired)
        extra = sorted(r for r in fired - expected if not r.startswith(_IGNORED_ON_CLEAN))
        rows.append(
            {
                "file": item.path.name,
                "expected": sorted(expected),
                "fired": sorted(fired),
                "missed": missed,
                "false_alarms": extra,
            }
        )
    table = Table("file", "expected", "missed", "false alarms")
    for r in rows:
        table.add_row(
            r["file"],
            ", ".join(r["expected"]) or "-",
            ", ".join(r["missed"]) or "",
            ", ".join(r["false_alarms"]) or "",
        )
    console.print(table)
    planted = sum(len(r["expected"]) for r in rows)
    caught = planted - sum(len(r["missed"]) for r in rows)
    clean = [r for r in rows if not r["expected"]]
    alarms = sum(1 for r in rows if r["false_alarms"])
    console.print(
        f"planted errors/flags caught: {caught}/{planted}; files with false alarms: {alarms}/{len(rows)} "
        f"(clean files: {len(clean)})"
    )
    if json_out:
        json_out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    if caught < planted or alarms:
        raise typer.Exit(1)


def _clock(truth: dict[str, object]) -> datetime:
    """Shortly after the document's own date, so date rules judge it as the pipeline would then."""
    for key in ("sign_date", "period_end"):
        value = truth.get(key)
        if isinstance(value, str):
            return datetime.combine(
                date.fromisoformat(value) + timedelta(days=30), datetime.min.time(), tzinfo=UTC
            )
    return datetime.now(UTC)
