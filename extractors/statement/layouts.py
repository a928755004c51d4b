"""Bank statement layouts as data: one TOML file per bank under ``extractors/statement/banks/``.

The vocabulary every layout starts from is the document schema's (column and header label synonyms, period
labels, 借/贷 marks, opening and total row words: :mod:`idp.models.schema.bank_statement`); the generic file adds
what is not vocabulary (date formats, the inferred sign convention) and a bank file only its quirks (how to
recognise it, its name, an alias or sign convention the schema does not know). :func:`choose_layout` picks the
file whose ``detect`` cues the first page matches, else the generic fallback.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from idp.models.schema import bank_statement as vocabulary
from idp.models.schema import schema_for

logger = logging.getLogger(__name__)

#: Where the layout files live (every ``*.toml`` in it is loaded).
LAYOUT_DIR = Path(__file__).resolve().parent / "banks"
#: Column keys a layout may name; anything else in a file is ignored with a warning.
COLUMN_KEYS = (
    "date", "time", "description", "debit", "credit", "amount", "dc_flag", "balance",
    "counterparty_name", "counterparty_account", "counterparty_bank", "voucher", "channel", "currency", "seq",
)  # fmt: skip
#: Sign conventions: one signed amount, separate debit/credit columns, an amount plus a 借/贷 flag.
STYLES = ("signed", "debit_credit", "flag", "infer")


@dataclass(frozen=True)
class BankLayout:
    """One bank's statement layout, read from its TOML file."""

    id: str
    bank: str
    detect: tuple[re.Pattern[str], ...]
    columns: dict[str, tuple[str, ...]]
    style: str
    debit_flags: tuple[str, ...]
    credit_flags: tuple[str, ...]
    date_formats: tuple[str, ...]
    time_formats: tuple[str, ...]
    header: dict[str, tuple[str, ...]]
    opening_rows: tuple[str, ...]
    skip_rows: tuple[str, ...]
    carry_rows: tuple[str, ...] = ()
    fallback: bool = False
    source: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def detect_score(self, text: str) -> int:
        """How many of the layout's cues ``text`` matches; 0 when any cue is missing."""
        if not self.detect or not all(p.search(text) for p in self.detect):
            return 0
        return len(self.detect)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def parse_layout(data: dict[str, object], source: str = "", base: BankLayout | None = None) -> BankLayout:
    """A layout from a TOML document; missing tables (``[header]``, ``[rows]``) come from ``base``."""
    columns_raw = data.get("columns") or {}
    amounts = data.get("amounts") or {}
    dates = data.get("dates") or {}
    header_raw = data.get("header") or {}
    rows = data.get("rows") or {}
    if not isinstance(columns_raw, dict) or not isinstance(amounts, dict) or not isinstance(dates, dict):
        raise ValueError(f"{source}: [columns], [amounts] and [dates] must be tables")
    columns: dict[str, tuple[str, ...]] = {}
    for key, aliases in columns_raw.items():
        if key not in COLUMN_KEYS:
            logger.warning("%s: unknown column key %r ignored", source, key)
            continue
        columns[key] = tuple(_compact(a) for a in aliases)
    style = str(amounts.get("style", "infer"))
    if style not in STYLES:
        raise ValueError(f"{source}: amounts.style must be one of {STYLES}, not {style!r}")
    header = {k: tuple(_compact(a) for a in v) for k, v in dict(header_raw).items()}  # type: ignore[arg-type]
    if base is not None:
        header = _merged(base.header, header)
        columns = _merged(base.columns, columns)
    return BankLayout(
        id=str(data.get("id") or Path(source).stem),
        bank=str(data.get("bank", "")),
        detect=tuple(re.compile(p) for p in data.get("detect", []) or []),  # type: ignore[union-attr]
        columns=columns,
        style=style if "style" in amounts or base is None else base.style,
        debit_flags=tuple(amounts.get("debit_flags") or (base.debit_flags if base else ("借",))),
        credit_flags=tuple(amounts.get("credit_flags") or (base.credit_flags if base else ("贷",))),
        date_formats=tuple(dates.get("formats") or (base.date_formats if base else ("%Y-%m-%d",))),
        time_formats=tuple(dates.get("time_formats") or (base.time_formats if base else ("%H:%M:%S",))),
        header=header,
        opening_rows=tuple(rows.get("opening") or (base.opening_rows if base else ())),  # type: ignore[union-attr]
        skip_rows=tuple(rows.get("skip") or (base.skip_rows if base else ())),  # type: ignore[union-attr]
        carry_rows=tuple(rows.get("carry") or (base.carry_rows if base else ())),  # type: ignore[union-attr]
        fallback=bool(data.get("fallback", False)),
        source=source,
    )


@lru_cache(maxsize=4)
def load_layouts(directory: Path = LAYOUT_DIR) -> tuple[BankLayout, ...]:
    """Every layout file in ``directory``, the fallback (``fallback = true``) first; header labels, row
    words and date formats a bank file leaves out come from the fallback."""
    docs = []
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as fh:
            docs.append((path.name, tomllib.load(fh)))
    fallbacks = [(name, d) for name, d in docs if d.get("fallback")]
    if not fallbacks:
        raise ValueError(f"{directory}: no fallback layout (a file with fallback = true)")
    base = parse_layout(_with_vocabulary(fallbacks[0][1]), fallbacks[0][0])
    return (base, *(parse_layout(d, name, base) for name, d in docs if not d.get("fallback")))


def _merged(base: dict[str, tuple[str, ...]], own: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A bank file's aliases first, then the base's (matching prefers longer aliases anyway)."""
    keys = list(base) + [k for k in own if k not in base]
    return {k: own.get(k, ()) + tuple(a for a in base.get(k, ()) if a not in own.get(k, ())) for k in keys}


def _with_vocabulary(data: dict[str, object]) -> dict[str, object]:
    """The generic file's tables completed with the schema's vocabulary (the file's own entries first)."""
    schema = schema_for("bank_statement")
    assert schema is not None
    columns = {spec.name: list(spec.synonyms) for spec in schema.items}
    columns["dc_flag"] = list(vocabulary.DIRECTION_LABELS)
    columns.update({k: list(v) for k, v in vocabulary.OTHER_COLUMNS.items()})
    header = {name: list(schema.field(name).synonyms) for name in _HEADER_FIELDS}  # type: ignore[union-attr]
    header["period"] = list(vocabulary.PERIOD_LABELS)
    amounts = {"debit_flags": list(vocabulary.DEBIT_MARKS), "credit_flags": list(vocabulary.CREDIT_MARKS)}
    rows = {
        "opening": list(vocabulary.OPENING_ROW_WORDS),
        "carry": list(vocabulary.CARRY_ROW_WORDS),
        "skip": list(vocabulary.TOTAL_ROW_WORDS),
    }
    out = dict(data)
    for table, words in (("columns", columns), ("header", header), ("amounts", amounts), ("rows", rows)):
        own = dict(data.get(table) or {})  # type: ignore[call-overload]
        merged = {k: list(own.get(k, [])) + [a for a in v if a not in own.get(k, [])] for k, v in words.items()}
        out[table] = {**own, **merged}
    return out


#: Header fields read by their schema synonyms.
_HEADER_FIELDS = ("account_holder", "account_number", "bank_branch", "currency", "opening_balance",
                  "closing_balance", "total_debit", "total_credit")


def choose_layout(text: str, layouts: tuple[BankLayout, ...] | None = None) -> BankLayout:
    """The layout whose cues ``text`` matches best (ties: the first file by name); else the fallback."""
    layouts = layouts or load_layouts()
    fallback = next(lay for lay in layouts if lay.fallback)
    compact = _compact(text)
    scored = [(lay.detect_score(compact), i, lay) for i, lay in enumerate(layouts) if not lay.fallback]
    best = max(scored, key=lambda t: (t[0], -t[1]), default=(0, 0, fallback))
    return best[2] if best[0] > 0 else fallback


def fallback_layout(layouts: tuple[BankLayout, ...] | None = None) -> BankLayout:
    """The generic layout, with every bank file's column aliases added (longest aliases win when matching)."""
    layouts = layouts or load_layouts()
    base = next(lay for lay in layouts if lay.fallback)
    columns = {k: list(v) for k, v in base.columns.items()}
    for lay in layouts:
        for key, aliases in lay.columns.items():
            columns.setdefault(key, [])
            columns[key] += [a for a in aliases if a not in columns[key]]
    return BankLayout(**{**base.__dict__, "columns": {k: tuple(v) for k, v in columns.items()}})
