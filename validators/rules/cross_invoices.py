"""Invoices against their contract: dated on or after signing and within validity, goods that the contract
covers (every line: a similar name in the same unit), and a total (net of red invoices) no larger than the
contract's (domain.md §6.1)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from difflib import SequenceMatcher

from idp.models import DocumentKind, ExtractedDocument, Finding, Severity
from idp.models.case import CaseFile
from idp.policy import CrossCheckParams
from validators.rules._cross import day, finding, invoice_total, money, text

RULE_IDS = (
    "cross.invoice_before_contract",
    "cross.invoice_after_contract",
    "cross.invoice_exceeds_contract",
    "cross.invoice_goods_mismatch",
)

_CATEGORY = re.compile(r"^\*[^*]*\*")
_NOISE = re.compile(r"[\s()（）\[\]【】·,，.。/-]+")


#: A dimension's times sign as printed (4×35), typed (4*35) or read (4x35, 4X35): one sign in a matching key.
_TIMES = str.maketrans({"×": "x", "*": "x", "X": "x", "✕": "x"})


def goods_name(name: str | None) -> str:
    """An item name (or spec) without the *类别* prefix, brackets and spaces, its times signs as one."""
    return _NOISE.sub("", _CATEGORY.sub("", (name or "").strip())).translate(_TIMES)


#: Units written differently for the same measure (compared after NFKC and lower-casing).
_UNITS = {"吨": "t", "公吨": "t", "千克": "kg", "公斤": "kg", "克": "g", "米": "m", "千米": "km",
          "公里": "km", "升": "l", "pcs": "个"}


#: What a Chinese unit may carry beside it: an English gloss (套/SET, 个 PCS, 千克(kg)).
_GLOSS = re.compile(r"[A-Za-z\s/()（）.\-]+")


def unit_key(unit: str | None) -> str:
    """A unit in one spelling (empty when none was read); a Chinese unit printed with an English gloss is the
    Chinese unit."""
    text = unicodedata.normalize("NFKC", unit or "").strip().lower()
    chinese = _GLOSS.sub("", text)
    text = chinese if chinese and chinese != text else text
    return _UNITS.get(text, text)


def same_unit(a: str | None, b: str | None) -> bool:
    """Same unit of measure; a unit that was not read does not contradict one that was."""
    ka, kb = unit_key(a), unit_key(b)
    return not ka or not kb or ka == kb


def _goods(doc: ExtractedDocument, unsure_below: float = 0.0) -> list[tuple[str, str | None]]:
    """(name, unit) of every line item with a name; a unit read with less confidence than ``unsure_below`` is
    left out (None), as if not read."""
    out = []
    for item in doc.items:
        name = goods_name(item["name"].value) if "name" in item else ""
        unit = item.get("unit")
        if name:
            out.append((name, unit.value if unit is not None and unit.confidence >= unsure_below else None))
    return out


def goods_match(a: str, b: str, threshold: float) -> bool:
    """Same goods: one name contains the other, or they are similar enough character by character."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return SequenceMatcher(None, a, b).ratio() >= threshold


def check(case: CaseFile, params: CrossCheckParams | None = None) -> list[Finding]:
    params = params or CrossCheckParams()
    contracts = case.of_kind(DocumentKind.PURCHASE_CONTRACT)
    invoices = case.of_kind(DocumentKind.VAT_INVOICE)
    if not contracts or not invoices:
        return []
    contract = contracts[0]
    c = contract.extraction
    out: list[Finding] = []
    signed, valid_until = day(text(c, "sign_date")), day(text(c, "valid_until"))
    contract_goods = _goods(c, params.unsure_unit_below)
    contract_names = [g for g, _ in contract_goods]
    total = Decimal("0")
    counted = []
    for inv in invoices:
        ex = inv.extraction
        issued = day(text(ex, "issue_date"))
        if issued and signed and issued < signed:
            out.append(finding("cross.invoice_before_contract", Severity.WARNING,
                               f"发票开票日期 {issued} 早于合同签订日期 {signed}", [inv, contract],
                               fields=["issue_date", "sign_date"],
                               values={"issue_date": str(issued), "sign_date": str(signed)}))
        if issued and valid_until and issued > valid_until:
            out.append(finding("cross.invoice_after_contract", Severity.WARNING,
                               f"发票开票日期 {issued} 晚于合同有效期 {valid_until}", [inv, contract],
                               fields=["issue_date", "valid_until"],
                               values={"issue_date": str(issued), "valid_until": str(valid_until)}))
        # every line must be goods of the contract (similar name and the same unit), not just one of them
        foreign = [n for n, unit in _goods(ex, params.unsure_unit_below) if not any(
            goods_match(n, g, params.goods_similarity) and same_unit(unit, u) for g, u in contract_goods)]
        if contract_goods and foreign:
            out.append(finding("cross.invoice_goods_mismatch", Severity.WARNING,
                               f"发票货物「{'、'.join(foreign[:3])}」不在合同标的「{'、'.join(contract_names[:3])}」之内"
                               "(名称或单位不符)", [inv, contract], fields=["items"],
                               values={"invoice_goods": "、".join(foreign),
                                       "contract_goods": "、".join(contract_names)}))
        amount = invoice_total(ex)
        if amount is not None:
            total += amount
            counted.append(inv)
    contract_total = money(text(c, "total_amount"))
    if contract_total is not None and counted:
        limit = contract_total * (1 + params.invoice_over_contract_tolerance)
        if total > limit:
            out.append(finding("cross.invoice_exceeds_contract", Severity.ERROR,
                               f"发票价税合计之和 {total} 超过合同总金额 {contract_total}", [*counted, contract],
                               fields=["total_with_tax", "total_amount"],
                               values={"invoices_total": str(total), "contract_total": str(contract_total)}))
    return out
