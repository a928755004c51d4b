"""Statement layout families as data: one TOML file per family under ``families/``, read by the renderer.

A family names what a bank's export looks like (title, header labels and where they sit, how the period is
phrased, the table's columns and their order, the sign convention, date/time/number formats, page breaks,
subtotals, fonts and sizes); the rows' values still vary with the seed. ``[vary]`` lists per-seed choices
inside a family: a dotted key (``"table.newest_first"``) → the values one of which each seed takes.
"""

from __future__ import annotations

import copy
import random
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Where the family files live.
FAMILY_DIR = Path(__file__).resolve().parent / "families"
#: Cell keys a table column may show.
CELL_KEYS = (
    "seq", "date", "time", "datetime", "voucher", "description", "debit", "credit", "amount", "amount_abs",
    "amount_mark", "flag", "balance", "name", "account", "name_account", "account_name", "counterparty_bank", "channel",
    "currency", "note",
)  # fmt: skip
#: Header items a family may print (``period`` is phrased by ``[header.period]``).
HEADER_KEYS = (
    "holder", "account", "branch", "currency", "period", "opening", "closing", "print_date", "customer_no",
    "account_type", "total_debit", "total_credit", "count",
)  # fmt: skip
#: Sign conventions: separate debit/credit columns, one signed amount, an unsigned amount plus a flag, an
#: unsigned amount with a debit/credit mark printed beside it (``1,200.00 DR``).
AMOUNT_STYLES = ("debit_credit", "signed", "flag", "mark")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  #: may hold "\n": a header label on two lines
    width: float
    align: str = ""  #: left, right or center; default right for amounts, left for text


@dataclass(frozen=True)
class Family:
    """One layout family, resolved for one seed (every ``[vary]`` choice made)."""

    id: str
    bank: str
    title: str
    holder: str  #: company | person
    account_digits: int
    account_style: str  #: plain | grouped | masked
    landscape: bool
    margin: float
    title_size: float
    header_size: float
    table_size: float
    line: float
    numbers: str  #: font of amounts and dates: "cjk" or a standard PDF font (Helvetica, Courier, Times-Roman)
    title_bold: bool
    header_rows: tuple[tuple[str, ...], ...]
    labels: dict[str, str]
    separator: str  #: between a header label and its value ("：", ":", "  ")
    header_on_later_pages: str  #: all | first_row | none
    header_style: str  #: inline (label：value side by side) | stacked (labels on one line, values under them)
    period: dict[str, str]
    currency_text: str
    columns: tuple[Column, ...]
    date_format: str
    time_format: str
    amounts: str
    thousands: bool
    negative: str  #: minus | brackets (signed amounts)
    plus_sign: bool  #: signed credits printed with "+"
    currency_mark: str  #: printed before every amount ("", "¥" or "CNY ")
    currency_suffix: str  #: printed after every amount ("" or " CNY")
    mark_words: tuple[str, str]  #: (debit mark, credit mark) beside an ``amount_mark`` amount ("DR", "CR")
    mark_before: bool  #: the mark is printed before the amount ("DR 1,200.00"), else after it
    flag_words: tuple[str, str]  #: (debit word, credit word)
    empty_amount: str  #: what an empty debit/credit cell shows
    newest_first: bool
    opening_row: str  #: the label of a 期初余额 row at the top of the table, "" for none
    repeat_table_header: bool
    page_subtotals: tuple[str, str]  #: labels of per-page debit/credit totals, ("", "") for none
    carry_rows: tuple[str, str]  #: (承前页 label, 过次页 label), ("", "") for none
    grid: str  #: none | rules | full
    shading: bool
    footer: tuple[str, ...]
    footer_labels: dict[str, str]
    page_number: str  #: a format with {n} and {total}
    note: str
    seal: bool
    rows_per_page: int  #: 0 = as many as fit
    channel_words: tuple[str, ...]
    long_descriptions: bool  #: purposes with a reference (合同号…, 发票号…) that wrap in narrow columns
    datetime_lines: bool  #: a 交易时间 column prints the date over the time

    @property
    def page_size(self) -> tuple[float, float]:
        return (842.0, 595.0) if self.landscape else (595.0, 842.0)

    def has(self, key: str) -> bool:
        """The table prints ``key`` (a 对方户名/账号 column prints both the name and the account)."""
        keys = {c.key for c in self.columns}
        if keys & {"name_account", "account_name"}:
            keys |= {"name", "account"}
        return key in keys

    @property
    def prints_time(self) -> bool:
        return self.has("time") or self.has("datetime")

    @property
    def prints_period(self) -> bool:
        return self.period.get("style", "none") != "none" and any("period" in r for r in self.header_rows)


def family_ids(directory: Path = FAMILY_DIR) -> tuple[str, ...]:
    """Every family in ``directory``, in file-name order."""
    return tuple(sorted(p.stem for p in directory.glob("*.toml")))


@lru_cache(maxsize=64)
def _raw(family_id: str, directory: Path = FAMILY_DIR) -> dict[str, Any]:
    path = directory / f"{family_id}.toml"
    if not path.is_file():
        raise ValueError(f"unknown statement family {family_id!r}; expected one of {family_ids(directory)}")
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_family(family_id: str, seed: int = 0, directory: Path = FAMILY_DIR) -> Family:
    """The family ``family_id`` with its ``[vary]`` choices made for ``seed``."""
    data = copy.deepcopy(_raw(family_id, directory))
    rng = random.Random(f"family:{family_id}:{seed}")
    for dotted, options in sorted((data.pop("vary", None) or {}).items()):
        _set(data, dotted, rng.choice(options))
    return _build(data, family_id)


def _set(data: dict[str, Any], dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    node = data
    for part in path:
        node = node.setdefault(part, {})
    node[last] = value


def _build(d: dict[str, Any], family_id: str) -> Family:
    fonts, header, table, footer = (d.get(k, {}) for k in ("fonts", "header", "table", "footer"))
    account = d.get("account", {})
    columns = tuple(
        Column(c["key"], c["label"], float(c["width"]), c.get("align", "")) for c in table.get("columns", ())
    )
    unknown = [c.key for c in columns if c.key not in CELL_KEYS]
    rows = tuple(tuple(r) for r in header.get("rows", ()))
    unknown += [k for r in rows for k in r if k not in HEADER_KEYS]
    amounts = table.get("amounts", "debit_credit")
    if unknown or amounts not in AMOUNT_STYLES:
        raise ValueError(f"family {family_id}: unknown keys {unknown} or amount style {amounts!r}")
    return Family(
        id=d.get("id", family_id),
        bank=d["bank"],
        title=d["title"],
        holder=d.get("holder", "company"),
        account_digits=int(account.get("digits", 19)),
        account_style=account.get("style", "plain"),
        landscape=bool(d.get("landscape", True)),
        margin=float(d.get("margin", 30)),
        title_size=float(fonts.get("title", 14)),
        header_size=float(fonts.get("header", 9)),
        table_size=float(fonts.get("table", 7.5)),
        line=float(fonts.get("line", 10.5)),
        numbers=fonts.get("numbers", "cjk"),
        title_bold=bool(fonts.get("title_bold", False)),
        header_rows=rows,
        labels=dict(header.get("labels", {})),
        separator=header.get("separator", "："),
        header_on_later_pages=header.get("later_pages", "first_row"),
        header_style=header.get("style", "inline"),
        period=dict(header.get("period", {"style": "none"})),
        currency_text=header.get("currency_text", "人民币"),
        columns=columns,
        date_format=table.get("date", "%Y-%m-%d"),
        time_format=table.get("time", "%H:%M:%S"),
        amounts=amounts,
        thousands=bool(table.get("thousands", True)),
        negative=table.get("negative", "minus"),
        plus_sign=bool(table.get("plus_sign", False)),
        currency_mark=table.get("currency_mark", ""),
        currency_suffix=table.get("currency_suffix", ""),
        mark_words=tuple(table.get("mark_words", ("DR", "CR"))),  # type: ignore[arg-type]
        mark_before=table.get("mark_position", "after") == "before",
        flag_words=tuple(table.get("flag_words", ("借", "贷"))),  # type: ignore[arg-type]
        empty_amount=table.get("empty_amount", ""),
        newest_first=bool(table.get("newest_first", False)),
        opening_row=table.get("opening_row", ""),
        repeat_table_header=bool(table.get("repeat_header", True)),
        page_subtotals=tuple(table.get("page_subtotals", ("", ""))),  # type: ignore[arg-type]
        carry_rows=tuple(table.get("carry_rows", ("", ""))),  # type: ignore[arg-type]
        grid=table.get("grid", "rules"),
        shading=bool(table.get("shading", False)),
        footer=tuple(footer.get("items", ())),
        footer_labels=dict(footer.get("labels", {})),
        page_number=footer.get("page_number", "第{n}页/共{total}页"),
        note=footer.get("note", ""),
        seal=bool(footer.get("seal", False)),
        rows_per_page=int(table.get("rows_per_page", 0)),
        channel_words=tuple(table.get("channels", ("网银", "柜面"))),
        long_descriptions=bool(d.get("long_descriptions", False)),
        datetime_lines=bool(table.get("datetime_lines", False)),
    )
