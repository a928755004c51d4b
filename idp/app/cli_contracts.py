"""``idp synth contracts``: purchase-sale contracts of every layout family (text PDF, scan, photo) with truth, for
``idp eval run DIR --develop FAMILIES`` (accuracy by family and the leave-family-out gap)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    from idp.app.cli_eval import group

    group(app, "synth", "生成合成样本 (synthetic documents)").command("contracts")(synth_contracts)


def synth_contracts(
    out: Annotated[Path, typer.Argument(help="folder to write the files (one sub-folder per family)")],
    count: Annotated[int, typer.Option(help="contracts per family and form")] = 4,
    seed: Annotated[int, typer.Option(help="seed of the first contract of each family")] = 1,
    forms: Annotated[str, typer.Option(help="comma-separated: text, scan, photo")] = "text",
    families: Annotated[str, typer.Option(help="comma-separated family names (default: every family)")] = "",
) -> None:
    """合成购销合同 (synthetic contracts by layout family, with truth files carrying ``family``)."""
    from idp.synth.contract import write_set
    from idp.synth.contract_layout.family import families as known
    from idp.synth.degrade_docs import CONDITIONS

    wanted = tuple(f.strip() for f in forms.split(",") if f.strip())
    names = tuple(f.strip() for f in families.split(",") if f.strip())
    bad_forms = [f for f in wanted if f not in CONDITIONS]
    bad_names = [n for n in names if n not in known()]
    if bad_forms or bad_names or not wanted or count < 1:
        console.print(f"[red]未知形式 {bad_forms} 或版式族 {bad_names}[/]; 形式: {list(CONDITIONS)}; "
                      f"版式族: {sorted(known())}")
        raise typer.Exit(2)
    paths = write_set(out, count=count, seed=seed, forms=wanted, names=names)
    console.print(f"wrote {len(paths)} contracts of {len(names) or len(known())} families under {out}")
