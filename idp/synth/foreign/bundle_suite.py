"""Write foreign application bundles (docs bundles.md): the documents, application.json, authority.json and
expected.json; and suites of clean bundles (with traps) followed by one bundle per planted kind.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from idp.synth.degrade_docs import degrade_pdf
from idp.synth.foreign import contract_pdf, statement_model, statement_pdf
from idp.synth.foreign.bundle_build import CONTRACT, KINDS, PLANTERS, STATEMENT, Planted, build_deal, invoice_file
from idp.synth.foreign.bundle_deal import Deal, authority_invoice
from idp.synth.foreign.family import statement_families

__all__ = ["KINDS", "Bundle", "generate", "write_bundle", "write_suite"]
PRODUCT = "供应链订单贷"
#: Statement families a bundle's statement is drawn from: 对公, with the counterparty printed (a lender
#: matching payments to invoices needs the payer; 个人 and counterparty-less exports are not bundled).
BUNDLE_STATEMENTS = tuple(f for f in statement_families()
                          if not f.personal and {"counterparty_name", "counterparty"} & set(f.column_keys))
_CLEAN_TRAPS = (("brackets", "company_form"), ("company_form", "renamed"), ("renamed", "brackets"),
                ("plain", "brackets"), ("brackets", "renamed"), ("plain", "company_form"))


@dataclass
class Bundle:
    name: str
    deal: Deal
    statement: statement_model.Statement
    planted: list[Planted]
    form: str = "text"

    def application(self) -> dict[str, object]:
        d = self.deal
        return {"application_id": d.application_id, "product": PRODUCT,
                "borrower": {"name": d.borrower.company.name, "tax_id": d.borrower.company.tax_id},
                "requested_amount": f"{d.requested:.2f}",
                "statement_period": {"start": d.start.isoformat(), "end": d.end.isoformat()},
                "submitted_at": d.submitted.isoformat()}

    def authority(self) -> dict[str, object]:
        d = self.deal
        invoices = [{**authority_invoice(inv, d.invoice_status.get(k, "normal")), **d.authority_override.get(k, {})}
                    for k, inv in enumerate(d.invoices) if k not in d.missing_from_authority]
        firms = [d.seller, d.buyer, *d.extra_firms]
        return {"tax_invoices": invoices, "companies": [f.registry() for f in firms]}

    def expected(self, names: dict[str, str]) -> dict[str, object]:
        return {"decision": "review" if self.planted else "straight_through",
                "inconsistencies": [{**p.as_dict(), "documents": [names.get(x, x) for x in p.documents]}
                                    for p in self.planted],
                "traps": self.deal.traps, "generator": "foreign",
                "families": {"contract": self.deal.contract.family.name, "statement": self.statement.family.name}}


def _statement(deal: Deal, seed: int) -> statement_model.Statement:
    rng = random.Random(f"foreign-bundle-statement:{seed}")
    family = rng.choice(BUNDLE_STATEMENTS)
    months = (deal.end.year - deal.statement_start.year) * 12 + deal.end.month - deal.statement_start.month + 1
    extra = [p for _, p in deal.payments]
    stmt = statement_model.build(family, seed, holder=deal.seller.company, start=deal.statement_start,
                                 months=months, extra=extra)
    # clean business: the borrower's own rows never end after the last payment (the last-day trap stays last)
    stmt.txns = [t for t in stmt.txns if t.when.date() < deal.end or t in extra]
    statement_model.chain(stmt.txns, stmt.opening)
    note = _split_mid_day(stmt, extra)
    if note:
        deal.traps.append(note)
    if deal.balance_break:
        k = rng.choice([i for i, t in enumerate(stmt.txns) if i > 2 and t not in extra][:-1])
        stmt.printed_balance[k] = stmt.txns[k].balance + Decimal(rng.choice((100, 1000)))
        stmt.planted = ("balance_break",)
    return stmt


def _split_mid_day(stmt: statement_model.Statement, protected: list[statement_model.Txn]) -> str | None:
    """Make one page break fall inside a day: the rows either side of it get the same date (order and
    balances unchanged). Returns the trap's note, or None when no break could be moved."""
    pages = statement_pdf.page_rows(stmt)
    for p in range(len(pages) - 1):
        if not pages[p] or not pages[p + 1]:
            continue
        a, b = sorted((pages[p][-1], pages[p + 1][0]))
        older, newer = stmt.txns[a], stmt.txns[b]
        if older.when.date() != newer.when.date():
            if newer not in protected:
                newer.when = older.when + timedelta(minutes=1)
            elif older not in protected:
                older.when = newer.when - timedelta(minutes=1)
        if older.when.date() == newer.when.date() and older.when <= newer.when:
            return f"流水第{p + 1}页与第{p + 2}页在同一天（{older.when.date()}）内分页"
    return None


def generate(seed: int, *, kind: str | None = None, name: str = "", traps: tuple[str, str] | None = None,
             form: str = "text") -> Bundle:
    """One bundle from ``seed``: clean (``kind`` None) or with the planted inconsistency ``kind``."""
    if kind is not None and kind not in PLANTERS:
        raise ValueError(f"unknown or suite-only kind {kind!r}; expected one of {sorted(PLANTERS)}")
    rng = random.Random(f"foreign-bundle-plant:{seed}:{kind}")
    traps = traps or (rng.choice(("plain", "brackets", "company_form")), rng.choice(("plain", "renamed")))
    sign_after = (35, 45) if kind == "statement_period_short" else (20, 40)
    deal = build_deal(seed, traps, sign_after=sign_after)
    planted = [PLANTERS[kind](deal, rng)] if kind else []
    return Bundle(name or f"bundle-{seed}", deal, _statement(deal, seed), planted, form)


def _write_pdf(pdf: bytes, folder: Path, stem: str, form: str, seed: int) -> str:
    data, ext = (pdf, "pdf") if form == "text" else degrade_pdf(pdf, form, seed)
    (folder / f"{stem}.{ext}").write_bytes(data)
    return f"{stem}.{ext}"


def write_bundle(bundle: Bundle, directory: Path, *, invoices: list[int] | None = None) -> Path:
    """Write ``directory/bundle.name``; ``invoices`` limits which invoices are submitted (default: all)."""
    from idp.synth._invoice_pdf import render as render_invoice

    out = directory / bundle.name
    out.mkdir(parents=True, exist_ok=True)
    d = bundle.deal
    names = {CONTRACT: _write_pdf(contract_pdf.render(d.contract), out, CONTRACT, bundle.form, d.seed),
             STATEMENT: _write_pdf(statement_pdf.render(bundle.statement), out, STATEMENT, bundle.form, d.seed + 1)}
    for k, inv in enumerate(d.invoices):
        if invoices is None or k in invoices:
            render_invoice(inv, out / invoice_file(k))
    for filename, data in (("application.json", bundle.application()), ("authority.json", bundle.authority()),
                           ("expected.json", bundle.expected(names))):
        (out / filename).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


def write_suite(directory: Path, *, count: int = 12, seed: int = 1, kinds: tuple[str, ...] = KINDS,
                per_kind: int = 1, forms: list[str] | None = None) -> list[Path]:
    """``count`` clean bundles then ``per_kind`` bundles of each planted kind, named so that name order puts
    every duplicate after the clean bundle whose invoice it resubmits."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; expected some of {list(KINDS)}")
    if "duplicate_invoice" in kinds and count < 1:
        raise ValueError("duplicate_invoice needs at least one clean bundle (--count ≥ 1)")
    forms = forms or ["text"]
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        traps = _CLEAN_TRAPS[i % len(_CLEAN_TRAPS)]
        bundle = generate(seed * 1000 + i, name=f"{i:03d}-clean", traps=traps, form=forms[i % len(forms)])
        paths.append(write_bundle(bundle, directory))
    n = count
    for round_ in range(per_kind):
        for kind in kinds:
            job_seed = seed * 1000 + n
            if kind == "duplicate_invoice":
                i = round_ % count
                bundle = generate(seed * 1000 + i, name=f"{n:03d}-{kind}", traps=_CLEAN_TRAPS[i % len(_CLEAN_TRAPS)])
                bundle.deal.application_id = f"F-DUP-{job_seed:05d}"
                bundle.deal.submitted += timedelta(days=20)
                bundle.planted = [Planted(kind, [invoice_file(0)], f"发票 {bundle.deal.invoices[0].number} "
                                                                   f"已在申请包 {i:03d}-clean 中提交")]
                paths.append(write_bundle(bundle, directory, invoices=[0]))
            else:
                bundle = generate(job_seed, kind=kind, name=f"{n:03d}-{kind}", form=forms[n % len(forms)])
                paths.append(write_bundle(bundle, directory))
            n += 1
    return paths
