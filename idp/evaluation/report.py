"""Aggregates of an evaluation run: accuracy per field, part, kind and form, straight-through, false accepts,
accuracy per confidence bucket (the calibration), and timing; as a JSON-able dict and as rich tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from statistics import median
from typing import Any

from rich.console import Console
from rich.table import Table

from idp.evaluation.run import DocResult
from idp.evaluation.scoring import FieldResult
from idp.models.schema import KIND_NAMES

#: Lower edges of the confidence buckets (the last one closes at 1.0).
BUCKETS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995)
_ITEM_INDEX = re.compile(r"\[\d+\]")


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def summarize(results: Iterable[DocResult]) -> dict[str, Any]:
    """Counts and rates over some documents (the same shape at top level, per kind and per form)."""
    docs = list(results)
    fields = [f for d in docs for f in d.fields]
    correct = sum(1 for f in fields if f.correct)
    times = sorted(d.ms for d in docs)
    return {
        "documents": len(docs),
        "fields": len(fields),
        "fields_correct": correct,
        "field_accuracy": _rate(correct, len(fields)),
        "exact_match_rate": _rate(sum(1 for d in docs if d.exact), len(docs)),
        "straight_through": sum(1 for d in docs if d.straight_through),
        "straight_through_rate": _rate(sum(1 for d in docs if d.straight_through), len(docs)),
        "false_accepts": sum(1 for d in docs if d.false_accept),
        "errors": sum(1 for d in docs if d.error),
        "by_group": _accuracy_by(fields, lambda f: f.group),
        "ms_p50": round(median(times), 1) if times else 0.0,
        "ms_p95": round(_percentile(times, 0.95), 1) if times else 0.0,
    }


def build_report(results: list[DocResult], *, develop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The full report: the summary plus ``by_kind``, ``by_form``, ``by_family``, per-field accuracy, buckets,
    documents; with ``develop`` (family names or prefixes) also ``leave_family_out``: the families developed on
    against the others, and the gap between them."""
    report = summarize(results)
    fields = [f for d in results for f in d.fields]
    report["by_kind"] = _summaries(results, lambda r: r.kind)
    report["by_form"] = _summaries(results, lambda r: r.form)
    report["by_family"] = _summaries(results, lambda r: r.family)
    if develop:
        dev = [r for r in results if _in_families(r.family, develop)]
        held = [r for r in results if not _in_families(r.family, develop)]
        report["leave_family_out"] = {
            "develop": list(develop), "developed": summarize(dev), "held_out": summarize(held),
            "held_out_families": sorted({r.family for r in held}),
            "gap": summarize(dev)["field_accuracy"] - summarize(held)["field_accuracy"] if dev and held else None,
        }
    report["per_field"] = _accuracy_by(fields, lambda f: _ITEM_INDEX.sub("[]", f.name))
    report["confidence_buckets"] = confidence_buckets(fields)
    # the reliability curve of each document type: invoices, contracts and statements are calibrated apart
    report["confidence_buckets_by_type"] = {
        doc_type: confidence_buckets([f for d in results if d.doc_type == doc_type for f in d.fields])
        for doc_type in sorted({d.doc_type for d in results})
    }
    report["false_accept_files"] = [r.file for r in results if r.false_accept]
    report["results"] = [r.as_dict() for r in results]
    return report


def _summaries(results: list[DocResult], key: Any) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[DocResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {k: summarize(v) for k, v in sorted(groups.items())}


def _in_families(family: str, names: tuple[str, ...]) -> bool:
    """``family`` is one of ``names`` or under one of them (``contract/`` names every contract family)."""
    return any(family == n or family.startswith(n.rstrip("/") + "/") or (n.endswith("*") and
                                                                           family.startswith(n[:-1]))
               for n in names)


def confidence_buckets(fields: list[FieldResult]) -> list[dict[str, Any]]:
    """Accuracy of the fields whose confidence falls in each bucket (calibrated: it rises with it)."""
    out = []
    edges = [*BUCKETS, 1.0000001]
    for low, high in zip(edges, edges[1:], strict=False):
        inside = [f for f in fields if low <= f.confidence < high]
        right = sum(1 for f in inside if f.correct)
        out.append(
            {
                "from": low,
                "to": min(high, 1.0),
                "fields": len(inside),
                "correct": right,
                "accuracy": _rate(right, len(inside)) if inside else None,
            }
        )
    return out


def _accuracy_by(fields: list[FieldResult], key: Any) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[FieldResult]] = defaultdict(list)
    for f in fields:
        groups[key(f)].append(f)
    return {
        name: {
            "fields": len(group),
            "correct": sum(1 for f in group if f.correct),
            "accuracy": _rate(sum(1 for f in group if f.correct), len(group)),
        }
        for name, group in sorted(groups.items())
    }


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return sorted(values)[index]


def print_report(report: dict[str, Any], console: Console) -> None:
    """The summary table by form and by kind, the accuracy per part, the buckets and the wrong values."""
    table = Table(title="抽取评估 (extraction evaluation)")
    table.add_column("集合 set", no_wrap=True)
    for header in ("文档", "字段", "准确率", "全对", "直通", "误放行", "p50ms", "p95ms"):
        table.add_column(header, justify="right", no_wrap=True)
    rows = [("全部 all", report)]
    rows += [(f"形式 {k}", v) for k, v in report["by_form"].items()]
    rows += [(f"种类 {k} {KIND_NAMES.get(k, '')}", v) for k, v in report["by_kind"].items()]
    rows += [(f"版式族 {k}", v) for k, v in report.get("by_family", {}).items()]
    lofo = report.get("leave_family_out")
    if lofo:
        rows += [("开发族 developed", lofo["developed"]), ("留出族 held out", lofo["held_out"])]
    for name, s in rows:
        table.add_row(
            name,
            str(s["documents"]),
            str(s["fields"]),
            f"{100 * s['field_accuracy']:.2f}%",
            f"{100 * s['exact_match_rate']:.1f}%",
            f"{100 * s['straight_through_rate']:.1f}%",
            f"[red]{s['false_accepts']}[/]" if s["false_accepts"] else "0",
            f"{s['ms_p50']:.0f}",
            f"{s['ms_p95']:.0f}",
        )
    console.print(table)
    if lofo and lofo["gap"] is not None:
        console.print(f"留出族差距 generalisation gap (developed − held out): {100 * lofo['gap']:.2f} 个百分点")
    parts = Table("部分 part", "字段", "准确率", title="按部分 (by part)")
    for name, s in report["by_group"].items():
        parts.add_row(name, str(s["fields"]), f"{100 * s['accuracy']:.2f}%")
    console.print(parts)
    by_type = report.get("confidence_buckets_by_type") or {"all": report["confidence_buckets"]}
    buckets = Table("置信度 confidence", *(f"{t} 字段/准确率" for t in by_type), title="可靠性曲线 (reliability)")
    for i, b in enumerate(report["confidence_buckets"]):
        cells = [f"{c[i]['fields']} / {100 * c[i]['accuracy']:.2f}%" if c[i]["fields"] else "—"
                 for c in by_type.values()]
        if b["fields"]:
            buckets.add_row(f"[{b['from']:.3f}, {b['to']:.3f})", *cells)
    console.print(buckets)
    wrong = [(r["file"], w) for r in report["results"] for w in r["wrong"]]
    for file, w in wrong[:40]:
        console.print(
            f"[yellow]{file}[/] {w['name']}: 期望 {w['expected']!r} 实得 {w['got']!r} "
            f"(置信度 {w['confidence']:.3f})",
            highlight=False,
        )
    if len(wrong) > 40:
        console.print(f"… 另有 {len(wrong) - 40} 个错误值 (more wrong values in --json)")
    for file in report["false_accept_files"]:
        console.print(f"[red]误放行 false accept: {file}[/]")
