"""Writing synthetic application bundles (docs bundles.md) to folders: one bundle with each document handed in
as a text PDF or a scan, and a suite of clean and planted bundles (see :mod:`idp.synth.bundle` for how a
bundle is made)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from idp.synth._bundle_plant import CONTRACT, STATEMENT, invoice_file
from idp.synth.bundle import CLEAN_TRAPS, KINDS, Bundle, duplicate_of, generate

__all__ = ["FORMS", "suite_plan", "write_bundle", "write_suite"]


#: How a document of a bundle may be handed in: the text PDF as made, or a scan of it (an image-only PDF).
FORMS = ("text", "scan")


def write_bundle(bundle: Bundle, directory: Path, *, forms: tuple[str, ...] = ("text",)) -> Path:
    """Write the bundle folder ``directory/bundle.name`` (documents, application, authority, expected); each
    document is handed in in one of ``forms``, drawn from the bundle's name and the file's."""
    from idp.synth._invoice_pdf import render as render_invoice
    from idp.synth.contract_layout import render as render_contract
    from idp.synth.statement.render import render as render_statement

    unknown = set(forms) - set(FORMS)
    if unknown or not forms:
        raise ValueError(f"unknown forms {sorted(unknown)}; expected some of {FORMS}")
    out = directory / bundle.name
    out.mkdir(parents=True, exist_ok=True)
    d = bundle.deal

    def hand_in(filename: str, pdf: bytes) -> None:
        rng = random.Random(f"form:{bundle.name}:{filename}")
        form = rng.choice(forms)
        if form == "scan":
            from idp.synth.degrade_docs import degrade_pdf

            pdf, _ = degrade_pdf(pdf, "scan", rng.randrange(1 << 16))
        (out / filename).write_bytes(pdf)

    hand_in(CONTRACT, render_contract(d.contract))
    truths: list[tuple[str, dict[str, object]]] = [(f"{CONTRACT}.truth.json", d.contract.truth(CONTRACT))]
    for k, inv in enumerate(d.invoices):
        if k not in bundle.omitted:
            render_invoice(inv, out / invoice_file(k))
            hand_in(invoice_file(k), (out / invoice_file(k)).read_bytes())
            # the invoice's form (its kind code) is its layout family in the bundle reports
            truth = {**inv.truth(invoice_file(k)), "family": f"form-{inv.kind}"}
            truths.append((f"{invoice_file(k)}.truth.json", truth))
    hand_in(STATEMENT, render_statement(d.statement))
    truths.append((f"{STATEMENT}.truth.json", d.statement.truth(STATEMENT)))
    # each document's truth beside it: the bundle evaluation scores the values as the case decided them
    for filename, data in (
        ("application.json", bundle.application()),
        ("authority.json", bundle.authority()),
        ("expected.json", bundle.expected()),
        *truths,
    ):
        (out / filename).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


@dataclass(frozen=True)
class _Job:
    name: str
    seed: int
    kind: str | None
    traps: tuple[str, str] | None
    source: tuple[int, tuple[str, str]] | None = None  #: (seed, traps) of the bundle a duplicate resubmits


def suite_plan(
    *, count: int = 8, seed: int = 1, kinds: tuple[str, ...] = KINDS, per_kind: int = 1
) -> list[_Job]:
    """Which bundles a suite holds: ``count`` clean ones, then ``per_kind`` planted ones of each kind."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; expected some of {KINDS}")
    if "duplicate_invoice" in kinds and count < 1:
        raise ValueError("duplicate_invoice needs at least one clean bundle (--count ≥ 1)")
    jobs = [
        _Job(f"{i:03d}-clean", seed * 1000 + i, None, CLEAN_TRAPS[i % len(CLEAN_TRAPS)])
        for i in range(count)
    ]
    for round_ in range(per_kind):
        for kind in kinds:
            i = len(jobs)
            source = jobs[round_ % count] if kind == "duplicate_invoice" else None
            jobs.append(
                _Job(
                    f"{i:03d}-{kind}",
                    seed * 1000 + i,
                    kind,
                    None,
                    (source.seed, source.traps or ("plain", "plain")) if source else None,
                )
            )
    return jobs


def _write_job(job: _Job, directory: Path, forms: tuple[str, ...] = ("text",)) -> Path:
    if job.source is not None:
        source = generate(job.source[0], traps=job.source[1])
        bundle = duplicate_of(source, name=job.name, application_id=f"A-DUP-{job.seed:05d}")
    else:
        bundle = generate(job.seed, kind=job.kind, name=job.name, traps=job.traps)
    return write_bundle(bundle, directory, forms=forms)


def write_suite(
    directory: Path,
    *,
    count: int = 8,
    seed: int = 1,
    kinds: tuple[str, ...] = KINDS,
    per_kind: int = 1,
    workers: int = 1,
    forms: tuple[str, ...] = ("text",),
) -> list[Path]:
    """Write the suite of :func:`suite_plan` under ``directory`` (bundles are independent: ``workers``
    processes render them side by side; a duplicate regenerates the bundle it resubmits from its seed); each
    document in one of ``forms`` (text PDF or scan)."""
    jobs = suite_plan(count=count, seed=seed, kinds=kinds, per_kind=per_kind)
    directory.mkdir(parents=True, exist_ok=True)
    if workers <= 1:
        return [_write_job(job, directory, forms) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_write_job, jobs, [directory] * len(jobs), [forms] * len(jobs)))
