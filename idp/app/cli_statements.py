"""``idp synth statements``: bank statements of every layout family (text PDFs and scans) with truth files.

The set is what ``idp eval run OUT --develop <families>`` scores by family; the developed families are listed in
``idp.synth.statement.DEVELOPED``, the rest are held out.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def register(app: typer.Typer) -> None:
    """Add ``synth statements`` to ``app``."""
    from idp.app.cli_eval import group

    group(app, "synth", "生成合成样本 (synthetic documents)").command("statements")(synth_statements)


def synth_statements(
    out: Annotated[Path, typer.Argument(help="folder to write the statements and their truth JSON into")],
    count: Annotated[int, typer.Option(help="statements per family and form")] = 3,
    seed: Annotated[int, typer.Option()] = 1,
    forms: Annotated[str, typer.Option(help="comma-separated: text, scan, photo")] = "text,scan",
    families: Annotated[str, typer.Option(help="comma-separated family ids (default: every family)")] = "",
) -> None:
    """Statements of each layout family in each form; lengths vary with the seed (scans stay short)."""
    from idp.synth import statement

    wanted = [f.strip() for f in families.split(",") if f.strip()] or list(statement.FAMILIES)
    unknown = sorted(set(wanted) - set(statement.FAMILIES))
    if unknown:
        raise typer.BadParameter(f"unknown families {unknown}; known: {', '.join(statement.FAMILIES)}")
    written = 0
    for form in [f.strip() for f in forms.split(",") if f.strip()]:
        for family in wanted:
            for i in range(count):
                doc_seed = seed * 1000 + i
                rng = random.Random(f"synth-statements:{family}:{form}:{doc_seed}")
                short = form != "text"  # scans and photos: one or two pages (OCR time)
                months = 1 if short else rng.randint(1, 4)
                per_month = rng.randint(8, 16) if short else rng.randint(8, 30)
                path = statement.write_sample(
                    out, f"{form}_{family}_{i:02d}", family, doc_seed, condition=form, months=months,
                    per_month=per_month,
                )
                written += 1
                console.print(f"{path.name}", highlight=False)
    console.print(f"wrote {written} statements under {out}")
