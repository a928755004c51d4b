"""Truth files (``<file>.truth.json`` beside each document) and the normal forms values are compared in.

Amounts compare as Decimals, dates as ISO strings, identifiers upper-case without spaces, texts after NFKC
without whitespace; a key that is absent or null is not scored.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

#: Suffixes of the documents the harness reads.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"})
_IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp"})
_DATE = re.compile(r"(\d{4})\D{0,3}(\d{1,2})\D{0,3}(\d{1,2})")
_MONEY_NOISE = re.compile(r"[¥￥,，\s]")
_WORDS_NOISE = re.compile(r"[⊗ⓧ⒳Ⓧ✕×\s]")


@dataclass(frozen=True)
class TruthFile:
    """A document and its truth."""

    path: Path
    truth: dict[str, Any]

    @property
    def doc_type(self) -> str:
        return str(self.truth.get("doc_type") or "unknown")

    @property
    def form(self) -> str:
        """``text_pdf``, ``ofd``, ``scan`` or ``photo``: the truth's ``form`` if given, else from the file."""
        given = self.truth.get("form")
        if given:
            return str(given)
        suffix = self.path.suffix.lower()
        if suffix == ".ofd":
            return "ofd"
        if suffix in _IMAGE_SUFFIXES:
            return "photo" if "photo" in self.path.name.lower() else "scan"
        return "text_pdf"


def find_truth_files(directory: Path) -> list[TruthFile]:
    """Every document under ``directory`` (recursive) that has a truth file beside it, sorted by path."""
    out = []
    for truth_path in sorted(Path(directory).rglob("*.truth.json")):
        doc = truth_path.with_name(truth_path.name[: -len(".truth.json")])
        if doc.suffix.lower() in DOCUMENT_SUFFIXES and doc.is_file():
            out.append(TruthFile(doc, load_truth(truth_path)))
    return out


def load_truth(path: Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a truth file holds one JSON object")
    return data


def amount(value: object) -> Decimal | None:
    """``"¥1,234.5"`` → ``Decimal("1234.5")``; None if absent or not a number (compares 1234.50 == 1234.5)."""
    if value is None:
        return None
    text = _MONEY_NOISE.sub("", str(value)).replace("−", "-").replace("－", "-")
    try:
        result = Decimal(text)
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def iso_date(value: object) -> str | None:
    """``"2019年07月20日"``, ``"20190720"`` or ``"2019-07-20"`` → ``"2019-07-20"``."""
    if value is None:
        return None
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text) or _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def identifier(value: object) -> str | None:
    """Codes, numbers and taxpayer ids: NFKC, upper case, no whitespace."""
    if value is None:
        return None
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper() or None


def text(value: object) -> str | None:
    """Names, addresses, remarks: NFKC (folds （） to ()), no whitespace."""
    if value is None:
        return None
    return "".join(unicodedata.normalize("NFKC", str(value)).split()) or None


def words(value: object) -> str | None:
    """An amount in words as printed, without the ⊗ mark and spaces."""
    found = text(value)
    return _WORDS_NOISE.sub("", found) if found else None


def rate(value: object) -> str | None:
    """``"13%"``, ``"0.13"`` → ``"0.13"``; 免税/不征税 as they are."""
    found = text(value)
    if found is None:
        return None
    if not any(ch.isdigit() for ch in found):
        return found
    number = amount(found.rstrip("%"))
    if number is None:
        return found
    if found.endswith("%") or number >= 1:
        number = number / 100
    return str(number.normalize())
