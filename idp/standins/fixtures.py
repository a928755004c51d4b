"""The stand-ins' data: ``authority.json`` (bundles.md format) indexed as the real services look things up.

Invoices by (code, number), and by number alone for 20-digit 数电 numbers; companies by USCC, by exact
name and by exact former name. Extra optional keys (``kind``, ``check_code``, ``items``, ``reg_capital``)
are accepted.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from idp.models.authority import verification_key


class AuthorityItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    spec: str | None = None
    unit: str | None = None
    quantity: str | None = None
    price: str | None = None
    amount: str | None = None
    tax_rate: str | None = None
    tax: str | None = None


class AuthorityInvoice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    invoice_code: str | None = None
    invoice_number: str
    issue_date: date
    kind: str | None = Field(default=None, description="发票种类代码; else the kind the caller names")
    check_code: str | None = None
    seller_tax_id: str | None = None
    buyer_tax_id: str | None = None
    seller_name: str | None = None
    buyer_name: str | None = None
    amount_without_tax: Decimal
    tax_amount: Decimal
    total_with_tax: Decimal
    status: str = "normal"
    machine_no: str | None = None
    remark: str | None = None
    items: list[AuthorityItem] = Field(default_factory=list)

    def key_matches(self, kind: str, *, check_code: str | None, amount: Decimal | None) -> bool:
        """The §1.6 per-kind rule: last 6 of the check code, or the amount, must equal the authority's."""
        try:
            want_check, want_amount = verification_key(
                self.kind or kind, check_code=self.check_code, amount_without_tax=self.amount_without_tax,
                total_with_tax=self.total_with_tax)
        except ValueError:
            return self.check_code is None  # a fixture without a check code cannot contradict one
        if want_check is not None:
            return (check_code or "")[-6:] == want_check
        return amount is not None and want_amount == amount


class AuthorityCompany(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    tax_id: str
    legal_rep: str | None = None
    status: str = "存续"
    established: date | None = None
    former_names: list[str] = Field(default_factory=list)
    reg_capital: str | None = None
    scope: str | None = None
    address: str | None = None
    term_from: date | None = None
    term_to: date | None = None


class AuthorityData(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tax_invoices: list[AuthorityInvoice] = Field(default_factory=list)
    companies: list[AuthorityCompany] = Field(default_factory=list)


def load_authority(path: Path) -> AuthorityData:
    return AuthorityData.model_validate_json(Path(path).read_bytes())


class AuthorityIndex:
    """Lookups over one authority.json, as the tax and registry services answer them."""

    def __init__(self, data: AuthorityData) -> None:
        self.data = data
        self._invoices: dict[tuple[str, str], AuthorityInvoice] = {}
        for inv in data.tax_invoices:
            self._invoices[(inv.invoice_code or "", inv.invoice_number)] = inv
            if len(inv.invoice_number) == 20:
                self._invoices[("", inv.invoice_number)] = inv
        self._companies: dict[str, AuthorityCompany] = {}
        for company in data.companies:  # current names win over former names, codes over both
            for former in company.former_names:
                self._companies.setdefault(former, company)
        for company in data.companies:
            self._companies[company.name] = company
        for company in data.companies:
            self._companies[company.tax_id.upper()] = company

    @classmethod
    def from_file(cls, path: Path) -> AuthorityIndex:
        return cls(load_authority(path))

    def invoice(self, code: str | None, number: str) -> AuthorityInvoice | None:
        found = self._invoices.get((code or "", number))
        if found is None and len(number) == 20:
            found = self._invoices.get(("", number))
        return found

    def company(self, keyword: str) -> AuthorityCompany | None:
        keyword = keyword.strip()
        return self._companies.get(keyword.upper()) or self._companies.get(keyword)


class DailyCounter:
    """Checks per invoice per day, as the authority counts them (the limit is 5)."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, date], int] = {}
        self._lock = threading.Lock()

    def add(self, key: str, day: date) -> int:
        with self._lock:
            self._counts[(key, day)] = self._counts.get((key, day), 0) + 1
            return self._counts[(key, day)]


class CallLog:
    """Every request a stand-in received: lets tests and the demo see what was spent."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()

    def record(self, at: datetime, action: str, key: str) -> None:
        with self._lock:
            self.calls.append((at.timestamp(), action, key))

    def count(self, action: str | None = None, key: str | None = None) -> int:
        with self._lock:
            return sum(1 for _, a, k in self.calls
                       if (action is None or a == action) and (key is None or k == key))


class Verdict(StrEnum):
    """What the tax authority answers, before each provider words it its own way."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    MISMATCH = "mismatch"
    SAME_DAY = "same_day"
    TOO_OLD = "too_old"
    COUNT_LIMIT = "count_limit"


def decide(
    index: AuthorityIndex, counter: DailyCounter, *, code: str | None, number: str, kind: str,
    issue_date: date, check_code: str | None, amount: Decimal | None, today: date, daily_limit: int,
    allow_today: bool = False,
) -> tuple[Verdict, AuthorityInvoice | None]:
    """One check: counted per invoice per day, then same day / too old / unknown / key mismatch / found."""
    if counter.add(f"{code or ''}:{number}", today) > daily_limit:
        return Verdict.COUNT_LIMIT, None
    if issue_date >= today and not allow_today:
        return Verdict.SAME_DAY, None
    if issue_date < date(today.year - 5, today.month, min(today.day, 28)):
        return Verdict.TOO_OLD, None
    found = index.invoice(code, number)
    if found is None:
        return Verdict.NOT_FOUND, None
    if found.issue_date != issue_date or not found.key_matches(kind, check_code=check_code, amount=amount):
        return Verdict.MISMATCH, None
    return Verdict.FOUND, found


def is_red(invoice: AuthorityInvoice) -> bool:
    """A red (负数) invoice: negative totals."""
    return invoice.total_with_tax < 0
