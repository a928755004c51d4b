"""``idp synth foreign contracts|statements|bundles OUT``: documents from the independent ("foreign")
generator, for held-out evaluation of the extractors on layouts they were not tuned on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()
foreign_app = typer.Typer(help="独立生成器的合成样本 (held-out layouts: contracts, statements, bundles)",
                          no_args_is_help=True)

_Out = Annotated[Path, typer.Argument(file_okay=False, help="output folder")]
_Count = Annotated[int, typer.Option(help="documents to write (families and forms in turn)")]
_Seed = Annotated[int, typer.Option(help="the same seed writes the same files")]
_Forms = Annotated[str, typer.Option(help="comma-separated forms: text, scan, photo")]
_Planted = Annotated[int, typer.Option(help="every Nth document carries a planted error (0: none)")]


def register(app: typer.Typer) -> None:
    from idp.app.cli_eval import group

    group(app, "synth", "生成合成样本 (synthetic documents)").add_typer(foreign_app, name="foreign")


def _forms(text: str) -> list[str]:
    return [f.strip() for f in text.split(",") if f.strip()]


@foreign_app.command("contracts")
def contracts(out: _Out, count: _Count = 16, seed: _Seed = 1, forms: _Forms = "text,scan,photo",
              planted_every: _Planted = 0) -> None:
    """Purchase-sale contracts (购销合同) over every layout family, with truth JSON."""
    from idp.synth.foreign.output import write_contracts

    try:
        with console.status("生成中 generating"):
            paths = write_contracts(out, count=count, seed=seed, forms=_forms(forms), planted_every=planted_every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"{len(paths)} 份合同已写入 {out} (contracts written)")


@foreign_app.command("statements")
def statements(out: _Out, count: _Count = 14, seed: _Seed = 1, forms: _Forms = "text,scan",
               planted_every: _Planted = 0) -> None:
    """Bank statements (银行流水) over every bank-style family, with truth JSON."""
    from idp.synth.foreign.output import write_statements

    try:
        with console.status("生成中 generating"):
            paths = write_statements(out, count=count, seed=seed, forms=_forms(forms), planted_every=planted_every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"{len(paths)} 份流水已写入 {out} (statements written)")


@foreign_app.command("bundles")
def bundles(
    out: _Out,
    count: Annotated[int, typer.Option(help="clean bundles (with the traps)")] = 12,
    seed: _Seed = 1,
    per_kind: Annotated[int, typer.Option(help="planted bundles per inconsistency kind")] = 1,
    kinds: Annotated[str | None, typer.Option(help="comma-separated kinds to plant (default: all)")] = None,
    forms: _Forms = "text",
) -> None:
    """Application bundles (bundles.md): clean ones with traps, then one per planted inconsistency kind."""
    from idp.synth.foreign.bundle_suite import KINDS, write_suite

    wanted = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
    try:
        with console.status("生成中 generating"):
            paths = write_suite(out, count=count, seed=seed, kinds=wanted, per_kind=per_kind, forms=_forms(forms))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console.print(f"{len(paths)} 个申请包已写入 {out} (bundles written)")
