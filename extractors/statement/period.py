"""The period a statement says it covers, from whatever label prints it, never from its rows.

Phrasings read: a period label (the schema's ``PERIOD_LABELS``: 查询期间, 起止日期, 账单周期, 交易日期范围, …) with
two dates after it, on its row or the row below (``查询期间：2024-01-01至2024-06-30``, ``账单周期 2024.01.01-
2024.06.30``); separate start and end labels (the ``period_start`` / ``period_end`` synonyms: 起始日期 … 终止日期 …);
and, with a lower confidence, a date range in the header under a label nobody listed (``查询时间段：…至…``,
``交易日期：自…至…``). A statement that prints no period gets none: its first and last rows are another thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.statement.labelled import labelled_values
from extractors.statement.layouts import BankLayout
from extractors.statement.values import find_dates
from extractors.text.table import Row, row_chars
from idp.models.schema import bank_statement as vocabulary
from idp.models.schema import schema_for

#: Confidence of a ``DATE 至 DATE`` range printed in the header under a label no list has: the one range a
#: statement header prints is its period (rows outside it are reported by the period rule anyway).
UNLABELLED_RANGE = 0.95
#: Confidence of two single dates under unlisted labels that only look like "from" and "to".
UNLABELLED = 0.8
#: What may stand between the two dates of a range (after times are removed).
_JOINER = re.compile(r"^\s*[自从]?\s*(?:至|到|~|～|-|—|－|–|―|to|TO|To)\s*$")
_TIME = re.compile(r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?")
#: Labels of dates that are not the period (printed, opened, generated on …), as a label's first word.
_NOT_PERIOD = re.compile(r"(?:打印|开户|生成|出具|制单|下载|申请)[\u4e00-\u9fff]{0,4}[:：]?\s*$")


@dataclass
class Period:
    """The printed period: ISO dates, the rows they came from, how sure, and why."""

    start: str
    end: str
    confidence: float
    rows: list[Row] = field(default_factory=list)
    raw: str = ""
    evidence: list[str] = field(default_factory=list)


def _labels(layout: BankLayout) -> list[tuple[str, str]]:
    schema = schema_for("bank_statement")
    assert schema is not None
    out = [(a, "period") for a in (*layout.header.get("period", ()), *vocabulary.PERIOD_LABELS)]
    for name in ("period_start", "period_end"):
        out += [(a, name) for a in schema.field(name).synonyms if len(a) >= 2]  # type: ignore[union-attr]
    out += [(a, "") for key, aliases in layout.header.items() if key != "period" for a in aliases]
    out += [(a, "") for a in vocabulary.OTHER_HEADER_LABELS]
    return [(label.replace(" ", ""), key) for label, key in out if label]


def find_period(rows: list[Row], layout: BankLayout, *, base: float) -> Period | None:
    """The period printed in ``rows`` (the rows outside the transaction table, top to bottom)."""
    labels = _labels(layout)
    starts: list[tuple[str, list[Row], str]] = []
    ends: list[tuple[str, list[Row], str]] = []
    for found in labelled_values(rows, labels):
        dates = find_dates(_TIME.sub(" ", found.value), layout.date_formats)
        if found.key == "period" and len(dates) >= 2:
            why = f"标签「{found.label}」后的日期区间"
            return _made(dates[0][0], dates[1][0], base, found.rows, f"{found.label}：{found.value}", why)
        if found.key in ("period_start", "period_end") and dates:
            (starts if found.key == "period_start" else ends).append((dates[0][0], found.rows, found.label))
    if starts and ends:
        (start, srows, slabel), (end, erows, elabel) = starts[0], ends[0]
        used = srows + [r for r in erows if all(r is not s for s in srows)]
        return _made(start, end, base, used, f"{slabel} {start} {elabel} {end}", f"标签「{slabel}」与「{elabel}」")
    return _unlabelled(rows, layout)


def _made(start: str, end: str, conf: float, rows: list[Row], raw: str, why: str) -> Period:
    evidence = [why]
    if start > end:
        conf = min(conf, 0.5)
        evidence.append(f"起始日期{start}晚于截止日期{end}，需核对")
    else:
        evidence.append("起始日期不晚于截止日期")
    cell_conf = min((c.conf for r in rows for c in r.cells), default=1.0)
    return Period(start, end, min(conf, cell_conf), rows, raw, evidence)


#: Labels (before a single date) that say "from" or "to", for start and end labels no list has.
_FROM = re.compile(r"(?:(?:起|始|开始|自|从)[\u4e00-\u9fff]{0,3}|(?i:from|start))[:：]?\s*$")
_TO = re.compile(r"(?:(?:止|终|截|结束|到)[\u4e00-\u9fff]{0,3}|(?<![a-z])(?i:to|until|end))[:：]?\s*$")


def _unlabelled(rows: list[Row], layout: BankLayout) -> Period | None:
    """A ``DATE 至 DATE`` range in a header row under a label no list has (not a print or opening date), or
    two single dates under labels no list has that say from (起/始) and to (止/终/截)."""
    starts: list[tuple[str, Row, str]] = []
    ends: list[tuple[str, Row, str]] = []
    for row in rows:
        text = "".join(ch for ch, _, _ in row_chars(row))
        plain = _TIME.sub(" ", text)
        dates = find_dates(plain, layout.date_formats)
        for (a, a_start, a_end), (b, b_start, _) in zip(dates, dates[1:], strict=False):
            if _JOINER.match(plain[a_end:b_start]) and not _NOT_PERIOD.search(plain[:a_start].rstrip("自从 ")):
                return _made(a, b, UNLABELLED_RANGE, [row], text, f"未列出的标签下的日期区间「{text[:40]}」")
        last = 0
        for day, start, end in dates:
            before = plain[last:start]
            if not _NOT_PERIOD.search(before):
                if _TO.search(before):
                    ends.append((day, row, before.strip(" :：")[-6:]))
                elif _FROM.search(before):
                    starts.append((day, row, before.strip(" :：")[-6:]))
            last = end
    if starts and ends:
        (start, srow, slabel), (end, erow, elabel) = starts[0], ends[0]
        used = [srow] if srow is erow else [srow, erow]
        return _made(start, end, UNLABELLED, used, f"{slabel} {start} {elabel} {end}",
                     f"未列出的起止标签「{slabel}」「{elabel}」")
    return None
