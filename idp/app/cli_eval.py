"""``idp eval DIR``, ``idp bench invoice`` and ``idp synth invoices``: field accuracy, decisions and timing.

``eval`` is a group whose default command is ``run``: ``idp eval DIR`` means ``idp eval run DIR``, so other
modules can add subcommands (``idp eval read DIR`` from the reading engine) through :func:`group`. A later
``idp eval DIR`` over application bundles can dispatch on ``application.json`` inside ``run``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.core import TyperGroup

logger = logging.getLogger(__name__)
#: Reports are wide tables: piped to a file they keep their columns (a terminal keeps its own width).
console = Console(width=None if sys.stdout.isatty() else 160)


class DefaultCommandGroup(TyperGroup):
    """A group that runs ``default_command`` when the first argument names no subcommand."""

    default_command = "run"

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default_command, *args]
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def group(app: typer.Typer, name: str, help_text: str, *, default: bool = False) -> typer.Typer:
    """The sub-typer ``name`` of ``app``, created if no module registered it yet (modules share groups)."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            if default:
                info.cls = DefaultCommandGroup
            return info.typer_instance
    sub = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(sub, name=name, cls=DefaultCommandGroup if default else None)
    return sub


def register(app: typer.Typer) -> None:
    """Add ``eval run`` (the default of ``eval``), ``bench invoice`` and ``synth invoices`` to ``app``."""
    group(app, "eval", "评估抽取准确率 (evaluate against truth files)", default=True).command("run")(eval_run)
    group(app, "bench", "性能基准 (benchmarks)").command("invoice")(bench_invoice)
    group(app, "synth", "生成合成样本 (synthetic documents)").command("invoices")(synth_invoices)


def _parse_now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(12, 0), tzinfo=UTC)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError as exc:
            raise typer.BadParameter(f"--now 需为日期 YYYY-MM-DD: {text}") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def eval_run(
    directory: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="folder with <file>.truth.json")
    ],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the full report to this file")
    ] = None,
    fail_under: Annotated[
        float | None, typer.Option(help="exit 1 if field accuracy (0-1) is below this, or any false accept")
    ] = None,
    now: Annotated[
        str | None, typer.Option(help="the clock (YYYY-MM-DD); default: each document's date + 30 days")
    ] = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", exists=True, dir_okay=False,
                                  help="decision-policy TOML file (default: the shipped policy)")
    ] = None,
    develop: Annotated[
        str | None, typer.Option(help="leave-family-out: comma-separated families (or prefixes, e.g. "
                                      "purchase_contract/jiayi) developed on; the rest are reported as held out")
    ] = None,
) -> None:
    """Process every document with truth as the pipeline does, decide, and score every field (by form, kind
    and layout family)."""
    # --- application bundles (bundles.md, issue 7): a folder of bundles is scored as bundles ---
    from idp.app.cli_bundles import eval_bundles, holds_bundles

    if holds_bundles(directory):
        eval_bundles(directory, json_out=json_out, fail_under=fail_under, now=now, policy_file=policy_file)
        return
    # --- end of the bundle dispatch ---
    from idp.evaluation.report import build_report, print_report
    from idp.evaluation.run import count_documents, evaluate_dir
    from idp.settings import get_settings
    from queues.policies import check_file

    clock = _parse_now(now)
    policy = check_file(get_settings(), policy_file) if policy_file else None
    total = count_documents(directory)
    if total == 0:
        console.print(f"[red]{directory} 下没有带 .truth.json 的文档 (no documents with truth)[/]")
        raise typer.Exit(2)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("评估中 evaluating", total=total)
        results = evaluate_dir(
            directory,
            now=clock,
            policy=policy,
            on_result=lambda r: progress.update(task, advance=1, description=f"评估中 {r.file[:40]}"),
        )
    report = build_report(results, develop=tuple(f.strip() for f in (develop or "").split(",") if f.strip()))
    print_report(report, console)
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"report written to {json_out}")
    if fail_under is not None and (report["field_accuracy"] < fail_under or report["false_accepts"]):
        console.print(
            f"[red]不达标: 字段准确率 {report['field_accuracy']:.4f} < {fail_under} "
            f"或误放行 {report['false_accepts']} > 0[/]"
        )
        raise typer.Exit(1)


def bench_invoice(
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures to this file")] = None,
    repeat: Annotated[int, typer.Option(help="runs per document (after one warm-up)")] = 5,
) -> None:
    """Worker time per invoice from file to decision (text PDF, letter-spaced PDF, OFD, scan, photo, viewer
    screenshot, 4800 px render, rotated low-resolution photo): p50/p95 in ms, images also as × a photo."""
    from rich.table import Table

    from idp.evaluation.bench import run_invoice_bench

    real = Path(__file__).resolve().parents[3] / "shared" / "real" / "invoices"
    figures = run_invoice_bench(repeat=repeat, ofds=sorted(real.glob("*.ofd")) or None)
    table = Table("form", "documents", "runs", "p50 ms", "p95 ms", "target ms", "× photo", title="read → decision")
    for form, f in figures["forms"].items():
        target = f.get("target_ms")
        table.add_row(
            form,
            str(f["documents"]),
            str(f["runs"]),
            f"{f['p50_ms']:.0f}",
            f"{f['p95_ms']:.0f}",
            "" if target is None else str(target),
            "" if f.get("vs_photo") is None else f"{f['vs_photo']:.2f}",
        )
    console.print(table)
    console.print(f"OCR threads: {figures['ocr_threads']}")
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def synth_invoices(
    out: Annotated[Path, typer.Argument(file_okay=False, help="output folder")],
    count: Annotated[int, typer.Option(help="invoices per form")] = 20,
    seed: Annotated[int, typer.Option(help="first seed; the set is the same for the same seed")] = 1,
    forms: Annotated[str, typer.Option(help="comma-separated: pdf,scan,photo")] = "pdf,scan,photo",
    kinds: Annotated[str | None, typer.Option(help="comma-separated kind codes (default: all)")] = None,
    families: Annotated[
        str | None,
        typer.Option(help="layout families (comma-separated, or 'all'): each in the forms it comes in, "
                     "count per family and form; --forms then filters"),
    ] = None,
) -> None:
    """Synthetic invoices of every kind with truth JSON beside each (deterministic by seed)."""
    from idp.synth.invoice_families import FAMILIES
    from idp.synth.invoice_set import FORMS, write_family_set, write_set

    wanted = [f.strip() for f in forms.split(",") if f.strip()]
    unknown = set(wanted) - set(FORMS)
    if unknown:
        raise typer.BadParameter(f"unknown forms {sorted(unknown)}; expected {FORMS}")
    kind_list = [k.strip() for k in kinds.split(",")] if kinds else None
    family_list = None
    if families:
        family_list = list(FAMILIES) if families == "all" else [f.strip() for f in families.split(",") if f.strip()]
        if set(family_list) - set(FAMILIES):
            raise typer.BadParameter(f"unknown families {sorted(set(family_list) - set(FAMILIES))}; "
                                     f"expected {sorted(FAMILIES)}")
    with console.status("生成中 generating"):
        if family_list is not None:
            all_forms = forms == "pdf,scan,photo"
            paths = write_family_set(out, count=count, seed=seed, families=family_list,
                                     forms=None if all_forms else wanted)
        else:
            paths = write_set(out, count=count, seed=seed, forms=wanted, kinds=kind_list)
    console.print(f"{len(paths)} files written to {out}")
