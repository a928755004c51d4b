"""The bundle evaluation report on a console: per-kind and per-family tables, the bundles that went wrong and
why, the headline figures, and the reliability curve after the case's confirmations."""

from __future__ import annotations

from typing import Any


def print_report(report: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    table = Table("种类 kind", "应检出", "检出", "漏检", "误报", "误报(干净包)", "误放行",
                  title="申请包交叉校验 (bundles)")
    for kind, v in report["by_kind"].items():
        table.add_row(kind, str(v["expected"]), str(v["detected"]), str(v["missed"]), str(v["false_alarms"]),
                      str(v["false_alarms_on_clean"]), f"[red]{v['passed']}[/]" if v["passed"] else "0")
    console.print(table)
    for key, heading, title in (("by_family", "版式族 family", "按族 (by family)"),
                                ("by_document_family", "文档版式族 document family",
                                 "按文档版式族 (by document family)")):
        if report.get(key):
            families = Table(heading, "申请包", "干净包直通", "检出率", "误报(干净包)", "误放行", title=title)
            for name, v in report[key].items():
                families.add_row(name, str(v["bundle_count"]), f"{v['clean_straight_through']}/{v['clean_bundles']}",
                                 f"{v['detection_rate']:.1%}", str(v["false_alarms_on_clean"]),
                                 str(v["false_accepts"]))
            console.print(families)
    for b in report["bundles"]:
        if b["missed"] or b["false_alarms"] or not b["decision_correct"] or b["errors"]:
            console.print(
                f"[yellow]{b['bundle']}[/]: 漏检 {b['missed']} 误报 {b['false_alarms']} "
                f"决策 {b['decision']} (应为 {b['expected_decision']}) {'; '.join(b['errors'])}"
            )
            if b["decision"] != b["expected_decision"] and not b["false_alarms"]:
                console.print(f"    原因 reasons: {'; '.join(b['held_by'])}", highlight=False)
    console.print(
        f"干净申请包直通 clean straight through {report['clean_straight_through']}/{report['clean_bundles']} "
        f"({report['straight_through_rate']:.1%}); 检出率 detection {report['detection_rate']:.1%} "
        f"({report['detected_inconsistencies']}/{report['expected_inconsistencies']}); 误报 false alarms "
        f"{report['false_alarms']} (其中干净申请包 {report['false_alarms_on_clean']}); 误放行 false accepts "
        f"{report['false_accepts']}; 决策准确率 decision accuracy {report['decision_accuracy']:.1%}; "
        f"{report['bundle_count']} 个申请包; 策略 policy {report['policy_version']}"
    )
    for name in report["false_accept_bundles"]:
        console.print(f"[red]误放行 false accept: {name}[/]")
    _print_fields(report, console)


def _print_fields(report: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    by_type = report.get("confidence_buckets_by_type") or {}
    if not by_type:
        return
    table = Table("置信度 confidence", *(f"{t} 字段/准确率" for t in by_type),
                  title="可靠性曲线 (reliability, after the case's confirmations)")
    rows = zip(*by_type.values(), strict=True)
    for cells in rows:
        if any(c["fields"] for c in cells):
            table.add_row(f"[{cells[0]['from']:.3f}, {cells[0]['to']:.3f})",
                          *(f"{c['fields']} / {100 * c['accuracy']:.2f}%" if c["fields"] else "—" for c in cells))
    console.print(table)
    accuracy = 100 * report["field_accuracy"]
    console.print(f"字段准确率 field accuracy {accuracy:.2f}% ({report['fields_scored']} 个字段); "
                  f"直通申请中的错误值 wrong values passed straight through {len(report['wrong_values_passed'])} "
                  f"(其中置信度达阈值 asserted sure: {sum(1 for w in report['wrong_values_passed'] if w['asserted'])})")
    for w in report["wrong_values_passed"][:20]:
        console.print(f"[red]{w['bundle']}/{w['file']} {w['name']}: 期望 {w['expected']!r} 实得 {w['got']!r} "
                      f"(置信度 {w['confidence']:.3f})[/]", highlight=False)
