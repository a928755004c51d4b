"""The delivery date (交货日期) among the other dates of the clauses (signing, payment, validity, acceptance).

Candidates: a date after a delivery label (交货日期：…, beside or under it), a date in running text tied to the
nearest action word of its sentence (于2024年5月20日前交货; 本合同于3月1日签订，乙方于3月15日前交货，甲方于
3月20日前付款 gives the delivery verb only the second date), a goods table's 交货期 column, and a relative term
(合同签订后30日内交货 → 签订日期 + 30日). The choice says how sure it is: a labelled date with no rival keeps high
confidence; a date among other dates of its sentence, several delivery dates, a guessed year or a computed
relative date are marked for review, with the reason in the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.contract.found import AMBIGUOUS, DERIVED, SURE, Found
from extractors.contract.lines import GoodsRow
from extractors.contract.number import value_below
from extractors.contract.prose import Prose, prose
from extractors.contract.text import ContractText, Segment
from idp.models.schema import schema_for
from idp.models.schema.purchase_contract import DATE_ACTIONS, RELATIVE_FROM_SIGNING
from idp.models.schema.values import parse_date
from idp.models.schema.words import cjk_digits_to_int

_SPEC = schema_for("purchase_contract")
assert _SPEC is not None
_LABELS = tuple(_SPEC.field("delivery_date").synonyms)  # type: ignore[union-attr]
_SEP = r"[\t ]*(?:[:：]|为|是)?[\t ]*"
_DATE = (r"(?:19|20)\d{2}\s*[年\-./]\s*\d{1,2}\s*[月\-./]\s*\d{1,2}\s*[日号]?"
         r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]")
#: A month and day without a year (5月20日前交货): the year is the signing year (or the next one).
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})[日号]")
_DATES = re.compile(rf"{_DATE}|(?<![\d年])\d{{1,2}}月\d{{1,2}}[日号]")
_LABEL = re.compile("(?:" + "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True)) + rf"){_SEP}"
                    rf"(?:({_DATE})|(?=[\t\n]|$))")
_ACTION = re.compile("|".join(sorted((re.escape(w) for ws in DATE_ACTIONS.values() for w in ws), key=len,
                                      reverse=True)))
_KIND = {w: k for k, ws in DATE_ACTIONS.items() for w in ws}
#: A label form of an action word (交货日期：…) points only at the date after it.
_LABEL_FORM = re.compile(r"(?:日期|时间|期限|期|日)?\s*[:：]")
_NAMES = {"sign": "签订", "payment": "付款", "validity": "生效", "acceptance": "验收", "delivery": "交货"}
#: Weight of a comma (or cell gap) between a date and its action word, in characters.
_COMMA = 12
_RELATIVE = re.compile(
    rf"(?P<from>{'|'.join(RELATIVE_FROM_SIGNING)})(?:本?合同)?(?:之日起|之日后|日起|后|起)[^，,。；;\d]{{0,4}}?"
    r"(?P<n>\d{1,3}|[一二三四五六七八九十百]{1,4})\s*(?:个)?(?P<unit>工作日|日历日|日|天|周|个月|月)(?:内|之内|以内)?")


@dataclass(frozen=True)
class _Candidate:
    day: date
    how: str  #: label, clause, table, relative
    seg: Segment | None
    note: str = ""
    sentence: int = -1  #: start of the sentence it was read in (clause candidates)


def delivery_date(text: ContractText, *, signed: date | None, table_dates: list[tuple[str, Segment]],
                  skip: set[tuple[int, int]]) -> Found | None:
    """The delivery date and why it is believed; ``table_dates`` are a goods table's 交货期 cells, ``skip``
    the (page, row) of goods lines (their dates are read as the table's)."""
    found = _labelled(text, signed)
    doc = prose(text, skip)
    clause, others = _in_clauses(doc, signed)
    relative = _relative(doc, signed)
    table = _one_per_line([c for c in found if c.how == "table"] + _from_table(table_dates, signed))
    labelled = [c for c in found if c.how == "label"]
    return _choose(labelled, clause, others, relative, table, signed)


def _labelled(text: ContractText, signed: date | None) -> list[_Candidate]:
    stream = text.stream
    out = []
    for m in _LABEL.finditer(stream.text):
        if m.group(1):
            day, seg = _day(m.group(1), signed), stream.segment_at(m.start(1))
            if day is not None:
                out.append(_Candidate(day, "label", seg))
            continue
        label = stream.segment_at(m.start())
        below = value_below(text, label) if label.compact.rstrip(":：") in _LABELS else None
        day = _day(below.compact, signed) if below is not None and _DATES.match(below.compact) else None
        if day is not None and below is not None:  # a column of dates under its header: the table's
            out.append(_Candidate(day, "table", below))
    return out


def _in_clauses(doc: Prose, signed: date | None) -> tuple[list[_Candidate], list[tuple[date, str, int]]]:
    """(dates tied to a delivery word, other dates sharing a sentence with a delivery word: what they are and
    the sentence's start)."""
    delivery, others = [], []
    for start, sentence in doc.sentences():
        actions = [(m.start(), m.end(), _KIND[m.group(0)], bool(_LABEL_FORM.match(sentence, m.end())))
                   for m in _ACTION.finditer(sentence)]
        if not any(kind == "delivery" for _, _, kind, _ in actions):
            continue
        for m in _DATES.finditer(sentence):
            day = _day(m.group(0), signed)
            if day is None:
                continue
            kind, crossed = _nearest(sentence, m.start(), m.end(), actions)
            note = "年份按签订日期推定" if _MONTH_DAY.fullmatch(m.group(0)) else ""
            if kind == "delivery":
                delivery.append(_Candidate(day, "clause", doc.segment_at(start + m.start()),
                                           "隔逗号归属交货" if crossed else note, start))
            elif kind is not None:
                others.append((day, kind, start))
    return delivery, others


def _nearest(sentence: str, start: int, end: int, actions: list[tuple[int, int, str, bool]]) -> tuple[str | None, bool]:
    """The kind of the action word nearest the date at ``start:end`` (commas count extra) and whether a comma
    stands between them; a label form (付款日期：) only reaches forward."""
    best: tuple[float, str, bool] | None = None
    for a_start, a_end, kind, label_form in actions:
        if a_start >= end:
            if label_form:
                continue
            between = sentence[end:a_start]
        else:
            between = sentence[a_end:start]
        commas = len(re.findall(r"[，,\t]", between))
        cost = len(between) + _COMMA * commas
        if best is None or cost < best[0]:
            best = (cost, kind, commas > 0)
    return (best[1], best[2]) if best else (None, False)


def _relative(doc: Prose, signed: date | None) -> list[_Candidate]:
    out = []
    for start, sentence in doc.sentences():
        if not any(w in sentence for w in DATE_ACTIONS["delivery"]):
            continue
        for m in _RELATIVE.finditer(sentence):
            n = int(m.group("n")) if m.group("n").isdigit() else cjk_digits_to_int(m.group("n"))
            if signed is None or not n:
                continue
            day = _add(signed, n, m.group("unit"))
            out.append(_Candidate(day, "relative", doc.segment_at(start + m.start()),
                                  f"相对期限「{m.group(0)}」= 签订日期 {signed.isoformat()} + {n}{m.group('unit')}"))
    return out


def _add(start: date, n: int, unit: str) -> date:
    if unit == "工作日":
        day, left = start, n
        while left:
            day += timedelta(days=1)
            left -= day.weekday() < 5
        return day
    if unit in ("个月", "月"):
        month = start.month - 1 + n
        year, month = start.year + month // 12, month % 12 + 1
        for d in range(start.day, 27, -1):
            try:
                return date(year, month, d)
            except ValueError:
                continue
        return date(year, month, min(start.day, 28))
    return start + timedelta(days=n * (7 if unit == "周" else 1))


def _one_per_line(found: list[_Candidate]) -> list[_Candidate]:
    """Table dates without the same cell twice (read under its header and as its goods line's column)."""
    seen: dict[tuple[int, int], _Candidate] = {}
    for c in found:
        if c.seg is not None:
            seen.setdefault((c.seg.page, round(c.seg.y0)), c)
    return list(seen.values())


def _from_table(cells: list[tuple[str, Segment]], signed: date | None) -> list[_Candidate]:
    out = []
    for raw, seg in cells:
        day = _day(raw, signed)
        if day is not None:
            out.append(_Candidate(day, "table", seg))
    return out


def _day(raw: str, signed: date | None) -> date | None:
    day = parse_date(raw)
    if day is not None:
        return day
    m = _MONTH_DAY.search(raw)
    if m is None or signed is None:
        return None
    for year in (signed.year, signed.year + 1):
        try:
            found = date(year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        if found >= signed:
            return found
    return None


def _choose(labelled: list[_Candidate], clause: list[_Candidate], others: list[tuple[date, str, int]],
            relative: list[_Candidate], table: list[_Candidate], signed: date | None) -> Found | None:
    """The best candidate (label, clause, table, relative in that order) and an honest confidence."""
    absolute = labelled or clause or table
    pool = absolute or relative
    if not pool:
        return None
    if absolute is table and len({c.day for c in table}) > 1:
        best = max(table, key=lambda c: c.day)  # every line delivered: the last line's date
    else:
        best = pool[0]
    evidence = [{"label": "交货日期标签", "clause": "交货条款", "table": "货物表交货期列",
                 "relative": "相对交货期限"}[best.how]]
    confidence = SURE if best.how == "label" else 0.97 if best.how == "clause" else AMBIGUOUS
    if best.how == "table" and len(table) >= 2 and len({c.day for c in table}) == 1:
        confidence = 0.97
        evidence.append(f"{len(table)} 行交货期一致")
    if best.how == "relative":
        confidence = DERIVED
    if best.note:
        evidence.append(best.note)
        confidence = min(confidence, AMBIGUOUS)
    rivals = sorted({c.day for c in (*labelled, *clause, *table) if c.day != best.day})
    if rivals:
        confidence = min(confidence, AMBIGUOUS)
        evidence.append("另有交货日期候选: " + "、".join(d.isoformat() for d in rivals[:3]))
    beside = [(d, k) for d, k, at in others if best.how == "clause" and at == best.sentence and d != best.day]
    if beside:
        confidence = min(confidence, AMBIGUOUS)
        evidence.append("同句另有日期: " + "、".join(f"{_NAMES[k]} {d.isoformat()}" for d, k in beside[:3]))
    if best.how != "relative" and relative:
        if any(r.day == best.day for r in relative):
            evidence.append("与相对期限一致")
        else:
            confidence = min(confidence, AMBIGUOUS)
            evidence.append(f"与相对期限不一致: {relative[0].day.isoformat()}")
    elif best.how == "relative":
        evidence.append(best.note)
    if signed is not None and best.day < signed:
        confidence = min(confidence, 0.6)
        evidence.append(f"早于签订日期 {signed.isoformat()}")
    return Found(best.day.isoformat(), best.seg, confidence, tuple(evidence))


def table_dates(rows: list[GoodsRow], sizes: dict[int, tuple[float, float]]) -> list[tuple[str, Segment]]:
    """The text of each goods line's delivery column (交货期, 到货时间 …) and where it is printed."""
    out = []
    for row in rows:
        for key, cells in row.cells.items():
            if not key.startswith("other:") or not cells or not _is_delivery_column(key.split(":", 1)[1]):
                continue
            w, h = sizes.get(row.page, (1.0, 1.0))
            raw = "".join(c.text for c in sorted(cells, key=lambda c: (c.cy, c.x0)))
            seg = Segment(row.page, -1, raw, min(c.x0 for c in cells), min(c.y0 for c in cells),
                          max(c.x1 for c in cells), max(c.y1 for c in cells), min(c.conf for c in cells), w, h)
            out.append((raw, seg))
    return out


def _is_delivery_column(header: str) -> bool:
    return header in _LABELS or any(w in header for w in DATE_ACTIONS["delivery"])
