"""Write foreign documents to disk in their forms (text PDF, scan, phone photo), each with its truth JSON
beside it; and whole evaluation sets that cycle through every family and form, deterministically by seed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from idp.synth.degrade_docs import degrade_pdf
from idp.synth.foreign import contract_model, contract_pdf, statement_model, statement_pdf
from idp.synth.foreign.family import contract_families, statement_families

#: Forms a document may be written in, and how the truth names them.
FORMS = {"text": "text_pdf", "scan": "scan", "photo": "photo"}


def _check_forms(forms: list[str]) -> None:
    unknown = [f for f in forms if f not in FORMS]
    if unknown or not forms:
        raise ValueError(f"unknown forms {unknown}; expected some of {sorted(FORMS)}")


def write_document(pdf: bytes, truth: Callable[[str, str], dict[str, Any]], directory: Path, stem: str,
                   form: str, seed: int) -> Path:
    """``pdf`` in ``form`` as ``directory/stem.<ext>`` with ``<file>.truth.json``; returns the document path."""
    _check_forms([form])
    directory.mkdir(parents=True, exist_ok=True)
    data, ext = (pdf, "pdf") if form == "text" else degrade_pdf(pdf, form, seed)
    path = directory / f"{stem}.{ext}"
    path.write_bytes(data)
    body = json.dumps(truth(path.name, FORMS[form]), ensure_ascii=False, indent=2) + "\n"
    path.with_name(path.name + ".truth.json").write_text(body, encoding="utf-8")
    return path


def write_contract(contract: contract_model.Contract, directory: Path, form: str = "text") -> Path:
    stem = f"{contract.family.short}_{form}_{contract.seed:05d}"
    return write_document(contract_pdf.render(contract), contract.truth, directory, stem, form, contract.seed)


def write_statement(statement: statement_model.Statement, directory: Path, form: str = "text") -> Path:
    stem = f"{statement.family.short}_{form}_{statement.seed:05d}"
    return write_document(statement_pdf.render(statement), statement.truth, directory, stem, form, statement.seed)


def _plan(count: int, seed: int, forms: list[str], n_families: int) -> list[tuple[int, str, int]]:
    """(family index, form, document seed) for ``count`` documents: families in turn, forms in turn within
    each family's share, so every family appears in every form as soon as count allows."""
    _check_forms(forms)
    return [(i % n_families, forms[(i // n_families) % len(forms)], seed * 1000 + i) for i in range(count)]


def write_contracts(out: Path, *, count: int, seed: int = 1, forms: list[str] | None = None,
                    planted_every: int = 0) -> list[Path]:
    """``count`` contracts over every family and form; every ``planted_every``-th carries a planted error."""
    families = contract_families()
    paths = []
    for n, (fam, form, doc_seed) in enumerate(_plan(count, seed, forms or ["text", "scan", "photo"], len(families))):
        planted: tuple[str, ...] = ()
        if planted_every and n % planted_every == planted_every - 1:
            planted = (sorted(contract_model.PLANTS)[(n // planted_every) % len(contract_model.PLANTS)],)
        contract = contract_model.build(families[fam], doc_seed, planted=planted)
        paths.append(write_contract(contract, out, form))
    return paths


def write_statements(out: Path, *, count: int, seed: int = 1, forms: list[str] | None = None,
                     planted_every: int = 0) -> list[Path]:
    """``count`` statements over every family and form (scans and photos are kept to at most 2 months)."""
    families = statement_families()
    paths = []
    for n, (fam, form, doc_seed) in enumerate(_plan(count, seed, forms or ["text", "scan", "photo"], len(families))):
        planted = ("balance_break",) if planted_every and n % planted_every == planted_every - 1 else ()
        months = None if form == "text" else min(2, families[fam].months[0])
        statement = statement_model.build(families[fam], doc_seed, months=months, planted=planted)
        paths.append(write_statement(statement, out, form))
    return paths
