"""Layout families as data: ``families/contracts.toml`` and ``families/statements.toml`` loaded into frozen
dataclasses (unknown or missing keys are errors, so a typo in a family never silently changes a layout).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

_DIR = Path(__file__).parent / "families"


@dataclass(frozen=True)
class ContractFamily:
    name: str
    titles: tuple[str, ...]
    seller_role: str
    buyer_role: str
    seller_short: str
    buyer_short: str
    seller_first: bool
    party_style: str
    party_fields: tuple[str, ...]
    labels: dict[str, str]
    tax_id_absent: str
    number_label: str
    number_formats: tuple[str, ...]
    number_place: str
    date_style: str
    sign_date_label: str
    sign_date_place: str
    sign_place_label: str
    sign_place_style: str
    clause_style: str
    clauses: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    total_row: str
    total_phrase: str
    thousands: bool
    table_yen: bool
    phrase_yen: str
    phrase_thousands: bool
    yuan: str
    whole: str
    header: str
    footer: str
    title_size: float
    body_size: float
    table_size: float
    digit_font: str
    bold_title: bool
    signature_block: str
    lines: tuple[int, int]
    seal_rate: float
    signature_rate: float
    industries: tuple[str, ...]

    @property
    def short(self) -> str:
        """The family's file-name stem: ``foreign-contract/grid-parties-v1`` → ``grid-parties-v1``."""
        return self.name.rsplit("/", 1)[-1]

    def label_set(self) -> frozenset[str]:
        """Every label word the family prints (what makes two families look different to an extractor)."""
        return frozenset([self.seller_role, self.buyer_role, self.number_label, self.sign_date_label,
                          self.sign_place_label, *self.labels.values(), *(c[1] for c in self.columns)])


@dataclass(frozen=True)
class StatementFamily:
    name: str
    banks: tuple[str, ...]
    titles: tuple[str, ...]
    personal: bool
    header_fields: tuple[tuple[str, str], ...]
    period_format: str
    columns: tuple[tuple[str, str], ...]
    date_style: str
    time_style: str
    newest_first: bool
    opening_label: str
    closing_label: str
    page_totals: bool
    thousands: bool
    debit_sign: str
    mask_account: bool
    rows_per_page: int
    font_size: float
    landscape: bool
    footer: str
    repeat_header: bool
    months: tuple[int, int]
    per_month: tuple[int, int]
    digit_font: str
    stamp: bool

    @property
    def short(self) -> str:
        return self.name.rsplit("/", 1)[-1]

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(c[0] for c in self.columns)

    def label_set(self) -> frozenset[str]:
        return frozenset([*(h[1] for h in self.header_fields), *(c[1] for c in self.columns),
                          self.opening_label, self.closing_label])


def _coerce(cls: type, raw: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    unknown, missing = set(raw) - names, names - set(raw)
    if unknown or missing:
        raise ValueError(f"family {raw.get('name')!r}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
    values = {}
    for key, value in raw.items():
        if isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[key] = value
    return cls(**values)


@lru_cache(maxsize=1)
def contract_families() -> tuple[ContractFamily, ...]:
    raw = tomllib.loads((_DIR / "contracts.toml").read_text(encoding="utf-8"))
    return tuple(_coerce(ContractFamily, f) for f in raw["family"])


@lru_cache(maxsize=1)
def statement_families() -> tuple[StatementFamily, ...]:
    raw = tomllib.loads((_DIR / "statements.toml").read_text(encoding="utf-8"))
    return tuple(_coerce(StatementFamily, f) for f in raw["family"])


def contract_family(name: str) -> ContractFamily:
    """A family by full name or short name."""
    for f in contract_families():
        if name in (f.name, f.short):
            return f
    raise ValueError(f"unknown contract family {name!r}; expected one of {[f.short for f in contract_families()]}")


def statement_family(name: str) -> StatementFamily:
    for f in statement_families():
        if name in (f.name, f.short):
            return f
    raise ValueError(f"unknown statement family {name!r}; expected one of {[f.short for f in statement_families()]}")
