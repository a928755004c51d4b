"""Label patterns of invoice fields built from the schema's printed synonyms (idp.models.schema.vat_invoice):
the extractor never keeps its own label table. Labels are matched in a row's space-free text, so ``校 验 码``
and ``校验码`` are one synonym; brackets match in either width.
"""

from __future__ import annotations

import re
from functools import cache

from idp.models.schema import schema_for

_SCHEMA = schema_for("vat_invoice")
_BRACKETS = {"(": "[(（]", ")": "[)）]", "（": "[(（]", "）": "[)）]"}


def synonym_pattern(words: tuple[str, ...]) -> str:
    """A regex alternation of printed label words, longest first, spaces dropped, brackets of either width."""
    compact = sorted({"".join(w.split()) for w in words if w.strip()}, key=len, reverse=True)
    return "|".join("".join(_BRACKETS.get(ch, re.escape(ch)) for ch in word) for word in compact)


@cache
def label(name: str, *, without: tuple[str, ...] = ()) -> re.Pattern[str]:
    """The label pattern of a header field: its schema synonyms (less ``without``, those a caller reads by a
    rule of its own, such as the paper invoice's ``No``)."""
    spec = _SCHEMA.field(name) if _SCHEMA else None
    if spec is None or not spec.synonyms:
        raise KeyError(f"the vat_invoice schema has no printed label for {name!r}")
    return re.compile(synonym_pattern(tuple(s for s in spec.synonyms if s not in without)))


@cache
def column(name: str, *, ocr: str = "") -> re.Pattern[str]:
    """The header pattern of a line-item column: its schema synonyms, then ``ocr``, a regex of the ways OCR
    misreads them (under a seal, 税率 comes back as 兑率 or 脱率)."""
    spec = _SCHEMA.item(name) if _SCHEMA else None
    if spec is None:
        raise KeyError(f"the vat_invoice schema has no item column {name!r}")
    return re.compile("|".join(p for p in (synonym_pattern(spec.synonyms), ocr) if p))
