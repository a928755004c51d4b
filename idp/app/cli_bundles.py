"""``idp synth bundles OUT`` and ``idp eval bundles DIR`` (also reached as ``idp eval DIR`` when DIR holds
application bundles): generate and evaluate loan-application bundles in the bundles.md format.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

#: Reports are wide tables: piped to a file they keep their columns (a terminal keeps its own width).
console = Console(width=None if sys.stdout.isatty() else 160)


def register(app: typer.Typer) -> None:
    from idp.app.cli_eval import group

    group(app, "synth", "生成合成样本 (synthetic documents)").command("bundles")(synth_bundles)
    group(app, "eval", "评估抽取准确率 (evaluate against truth files)", default=True).command("bundles")(
        eval_bundles
    )


def holds_bundles(directory: Path) -> bool:
    """True when ``directory`` is an application bundle or has bundle subfolders (with application.json)."""
    from idp.evaluation.bundles import find_bundles

    return bool(find_bundles(directory))


def synth_bundles(
    out: Annotated[Path, typer.Argument(file_okay=False, help="output folder (one subfolder per bundle)")],
    count: Annotated[int, typer.Option(help="clean bundles (with the traps)")] = 8,
    seed: Annotated[int, typer.Option(help="the suite is the same for the same seed")] = 1,
    per_kind: Annotated[int, typer.Option(help="planted bundles per inconsistency kind")] = 1,
    kinds: Annotated[
        str | None, typer.Option(help="comma-separated kinds to plant (default: all 16)")
    ] = None,
    workers: Annotated[int, typer.Option(help="processes rendering bundles side by side")] = 0,
    forms: Annotated[str, typer.Option(help="comma-separated forms each document is drawn from: text, scan")] = "text",
) -> None:
    """Application bundles: ``count`` clean ones, then ``per_kind`` with each planted inconsistency."""
    from idp.synth.bundle import KINDS
    from idp.synth.bundle_suite import write_suite

    wanted = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
    try:
        with console.status("生成中 generating"):
            paths = write_suite(
                out,
                count=count,
                seed=seed,
                kinds=wanted,
                per_kind=per_kind,
                workers=workers or max(1, min(4, os.cpu_count() or 1)),
                forms=tuple(f.strip() for f in forms.split(",") if f.strip()),
            )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"{len(paths)} 个申请包已写入 {out} (bundles written)")


def eval_bundles(
    directory: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="folder of bundles")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="write the full report to this file")
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(help="exit 1 if the detection rate (0-1) is below this, or any false alarm"),
    ] = None,
    now: Annotated[
        str | None, typer.Option(help="the clock (YYYY-MM-DD); default: each application's submitted_at")
    ] = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", exists=True, dir_okay=False, help="decision-policy TOML file")
    ] = None,
) -> None:
    """Run every bundle as production does (stand-ins serve its authority.json) and score the findings."""
    from idp.app.cli_eval import _parse_now
    from idp.evaluation.bundle_print import print_report
    from idp.evaluation.bundles import build_report, evaluate_bundles, find_bundles
    from idp.settings import get_settings
    from queues.policies import check_file

    policy = check_file(get_settings(), policy_file) if policy_file else None

    total = len(find_bundles(directory))
    if total == 0:
        console.print(f"[red]{directory} 下没有申请包 (no folders with application.json)[/]")
        raise typer.Exit(2)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("评估中 evaluating", total=total)
        results = evaluate_bundles(
            directory,
            now=_parse_now(now),
            policy=policy,
            on_result=lambda r: progress.update(task, advance=1, description=f"评估中 {r.name[:40]}"),
        )
    report = build_report(results, policy)
    print_report(report, console)
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"report written to {json_out}")
    if fail_under is not None and (report["detection_rate"] < fail_under or report["false_alarms"]
                                   or report["false_accepts"]):
        console.print(
            f"[red]不达标: 检出率 {report['detection_rate']:.4f} < {fail_under} "
            f"或误报 {report['false_alarms']} > 0 或误放行 {report['false_accepts']} > 0[/]"
        )
        raise typer.Exit(1)
