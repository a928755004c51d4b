"""``idp read``, ``idp eval read`` and ``idp bench read``: the reading engine from the command line.

Plain typer-annotated functions (wired into the main CLI) plus ``read_app`` to run them on their own.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from idp.errors import InputRejected

logger = logging.getLogger(__name__)
#: Reports are wide tables: piped to a file they keep their columns (a terminal keeps its own width).
console = Console(width=None if sys.stdout.isatty() else 160)

#: Lines read with less confidence than this are highlighted (the review threshold measured in ocr.md).
_LOW_CONFIDENCE = 0.9
_DEFAULT_CONDITIONS = "clean,rot90,rot180,rot270,skew,seal,shadow,jpeg40,photo"

read_app = typer.Typer(help="读取文档文字 (read documents)", no_args_is_help=True)


@read_app.command("read")
def read(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="PDF, OFD or image file")],
    as_json: Annotated[bool, typer.Option("--json", help="print PageText JSON")] = False,
) -> None:
    """Print each page's lines with confidences, the steps taken, and the documents found in the file."""
    from extractors.classify import split_documents
    from extractors.readers.dispatch import read_document

    try:
        pages = read_document(file)
    except InputRejected as exc:
        console.print(f"[red]无法读取 {file.name}: {exc.message} ({exc.code})[/]")
        raise typer.Exit(2) from exc
    spans = split_documents(pages)
    if as_json:
        payload = {
            "file": file.name,
            "pages": [p.model_dump(mode="json") for p in pages],
            "documents": [
                {"kind": s.kind.value, "subtype": s.subtype, "confidence": s.confidence, "pages": s.pages}
                for s in spans
            ],
        }
        console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    for page in pages:
        steps = ", ".join(page.preprocessing) or "无"
        console.rule(
            f"第 {page.page_no} 页 · {page.source.value} · 旋转 {page.rotation_applied}° · 步骤: {steps}"
        )
        for line in page.lines:
            style = "yellow" if line.confidence < _LOW_CONFIDENCE else ""
            console.print(f"{line.confidence:.3f}  {line.text}", style=style, markup=False, highlight=False)
    for span in spans:
        label = (
            "未能确定类型 (unclassified)"
            if span.unsure
            else f"{span.kind.value} {span.subtype or ''}".strip()
        )
        console.print(f"[bold]文档[/] 页 {span.pages}: {label} (置信度 {span.confidence:.2f})")


@read_app.command("eval")
def eval_read(
    directory: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="folder of files (recursive)")
    ],
    conditions: Annotated[str, typer.Option(help="comma-separated degradations")] = _DEFAULT_CONDITIONS,
    limit: Annotated[int | None, typer.Option(help="at most this many files")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write all scores to this file")] = None,
) -> None:
    """Character error rate and key-token recall, per file and condition, with a summary per condition.

    ``CER`` matches OCR lines to the truth words under them and leaves out text no reader should be charged
    for (密码区, text the render does not draw, seal text, overprinted glyphs), each counted in ``excluded``;
    ``all`` is the same match with nothing left out; ``flex`` is the earlier order-free measure.
    """
    from dataclasses import asdict

    from idp.evaluation.read_eval import evaluate_dir, summarize

    try:
        scores = evaluate_dir(directory, [c.strip() for c in conditions.split(",") if c.strip()], limit=limit)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    columns = ("file", "condition", "pages", "CER", "all", "flex", "密码区", "excluded", "recall", "ms/page")
    table = Table(*columns)
    for s in scores:
        excluded = sum(n for cls, n in s.chars.items() if cls not in ("text", "cipher"))
        table.add_row(
            s.file[:40],
            s.condition,
            str(s.pages),
            _pct(s.cer, 2),
            _pct(s.cer_all, 2),
            _pct(s.cer_flexible, 2),
            _pct(s.cipher_cer, 1),
            str(excluded) if s.chars else "",
            _pct(s.recall, 1),
            f"{s.ms_per_page:.0f}",
        )
    console.print(table)
    summary = summarize(scores)
    console.print_json(json.dumps(summary, ensure_ascii=False))
    for s in scores:
        for truth, read_text in s.examples[:3]:
            line = f"{s.file[:30]} [{s.condition}] {truth!r} → {read_text!r}"
            console.print(line, markup=False, highlight=False)
    missed = [(s.file, s.condition, s.missed) for s in scores if s.missed]
    for name, condition, tokens in missed:
        console.print(f"[yellow]{name} [{condition}] 未读到: {tokens}[/]", markup=True, highlight=False)
    if json_out:
        json_out.write_text(
            json.dumps(
                {"summary": summary, "scores": [asdict(s) for s in scores]}, ensure_ascii=False, indent=2
            ),
            encoding="utf-8",
        )


def _pct(value: float | None, digits: int) -> str:
    return "" if value is None else f"{100 * value:.{digits}f}%"


@read_app.command("bench")
def bench_read(
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures to this file")] = None,
    repeat: Annotated[int, typer.Option(help="repetitions for the fast readers (text PDF, OFD)")] = 5,
    ocr_repeat: Annotated[int, typer.Option(help="repetitions of each OCR path per page")] = 2,
    sources: Annotated[list[Path] | None, typer.Option("--source", help="text PDFs to start from")] = None,
) -> None:
    """Per-page p50/p95 (text PDF, OFD, scan, photo), cold start, peak RSS, overhead vs bare OCR."""
    from idp.synth.bench import run_bench

    real_ofds = sorted((Path(__file__).resolve().parents[3] / "shared" / "real").rglob("*.ofd"))
    figures = run_bench(sources or None, repeat=repeat, ocr_repeat=ocr_repeat, ofds=real_ofds or None)
    table = Table("figure", "value")
    for key, value in figures.items():
        table.add_row(key, str(value))
    console.print(table)
    if json_out:
        json_out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def register(app: typer.Typer) -> None:
    """Add ``read``, ``eval read`` and ``bench read`` to the main CLI."""
    from idp.app.cli_eval import group

    app.command("read")(read)
    group(app, "eval", "评估抽取准确率 (evaluate against truth files)", default=True).command("read")(eval_read)
    group(app, "bench", "性能基准 (benchmarks)").command("read")(bench_read)


if __name__ == "__main__":
    read_app()
