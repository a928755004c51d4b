"""Rebuild ``samples/authority/authority.json``: what the tax authority and registry hold for the samples.

The authority knows the real values, so planted errors are undone here: a tax ID with a broken check digit
is registered with the right one, and the blue invoice a red one reverses is on file as red-flushed.
Usage: ``python samples/authority/build.py`` (after ``python samples/generate.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pdfplumber
from stdnum.cn import uscc

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "samples" / "authority" / "authority.json"
#: Deterministic registry details, assigned to companies in order of first appearance.
_REPS = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强",
         "周杰", "吴婷", "徐明", "孙丽", "马超", "朱红", "胡军", "郭亮")
_ESTABLISHED = ("2012-03-15", "2015-07-01", "2009-11-20", "2018-05-08", "2016-03-02", "2011-09-27",
                "2014-12-12", "2019-04-18", "2013-06-06", "2017-10-10", "2010-01-25", "2020-08-19",
                "2008-02-14", "2016-11-30", "2012-12-03", "2015-05-21")
_ITEM_KEYS = ("name", "spec", "unit", "quantity", "price", "amount", "tax_rate", "tax")
_BLUE = re.compile(r"被红冲蓝字发票号码[：:]\s*(\d{8,20})")


def _registered(tax_id: str) -> str:
    """The tax ID as registered: a planted bad check digit is corrected."""
    return tax_id if uscc.is_valid(tax_id) else tax_id[:17] + uscc.calc_check_digit(tax_id[:17])


def holder_uscc(name: str) -> str:
    """A stable, valid USCC for a statement holder the samples name without one (from the name's hash)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    body = "9111" + "0000" + "".join(alphabet[(digest >> (5 * i)) % 31] for i in range(9))
    return body + uscc.calc_check_digit(body)


def _blue_number(pdf: Path) -> str | None:
    with pdfplumber.open(pdf) as doc:
        found = _BLUE.search("".join((page.extract_text() or "") for page in doc.pages))
    return found[1] if found else None


def build() -> dict[str, object]:
    invoices: list[dict[str, object]] = []
    companies: dict[str, str] = {}
    folders = ("vat_invoice", "vat_invoice_scan", "vat_invoice_photo")
    for path in sorted(p for folder in folders for p in (ROOT / "samples" / folder).glob("*.truth.json")):
        t = json.loads(path.read_text(encoding="utf-8"))
        seller, buyer = _registered(t["seller"]["tax_id"]), t["buyer"]["tax_id"]
        invoice = {
            "invoice_code": t["invoice_code"], "invoice_number": t["invoice_number"],
            "issue_date": t["issue_date"], "kind": t["invoice_kind_code"], "check_code": t["check_code"],
            "machine_no": t["machine_no"],
            "seller_tax_id": seller, "buyer_tax_id": buyer, "seller_name": t["seller"]["name"],
            "buyer_name": t["buyer"]["name"], "amount_without_tax": t["amount_without_tax"],
            "tax_amount": t["tax_amount"], "total_with_tax": t["total_with_tax"], "status": "normal",
            "items": [{k: item[k] for k in _ITEM_KEYS} for item in t["line_items"]],
        }
        invoices.append(invoice)
        red = t["total_with_tax"].startswith("-") and t["file"].endswith(".pdf")
        blue = _blue_number(path.with_name(t["file"])) if red else None
        if blue:
            invoices.append({
                "invoice_code": None, "invoice_number": blue, "issue_date": t["issue_date"][:8] + "01",
                "kind": t["invoice_kind_code"], "seller_tax_id": seller, "buyer_tax_id": buyer,
                "seller_name": t["seller"]["name"], "buyer_name": t["buyer"]["name"],
                "amount_without_tax": t["amount_without_tax"].lstrip("-"),
                "tax_amount": t["tax_amount"].lstrip("-"),
                "total_with_tax": t["total_with_tax"].lstrip("-"), "status": "red_flushed"})
        for party, tax_id in (("buyer", buyer), ("seller", seller)):
            companies.setdefault(tax_id, t[party]["name"])
    reps: dict[str, str] = {}
    for path in sorted((ROOT / "samples" / "purchase_contract").glob("*.truth.json")):
        t = json.loads(path.read_text(encoding="utf-8"))
        for party in ("buyer", "seller"):
            tax_id = _registered(t[party]["tax_id"])
            companies.setdefault(tax_id, t[party]["name"])
            if t[party].get("legal_rep"):
                reps.setdefault(tax_id, t[party]["legal_rep"])
    for path in sorted((ROOT / "samples" / "bank_statement").glob("*.truth.json")):
        holder = json.loads(path.read_text(encoding="utf-8"))["account_holder"]
        if holder not in companies.values():  # statements print no code: the registry's is made up here
            companies.setdefault(holder_uscc(holder), holder)
    registry = []
    for i, (tax_id, name) in enumerate(companies.items()):
        registry.append({
            "name": name, "tax_id": tax_id, "legal_rep": reps.get(tax_id, _REPS[i % len(_REPS)]),
            "status": "存续（在营、开业、在册）", "established": _ESTABLISHED[i % len(_ESTABLISHED)],
            # the bundles.md trap: 有限公司 and 有限责任公司 name one company when the registry says so
            "former_names": [name.replace("有限责任公司", "有限公司")] if name.endswith("有限责任公司")
            else [],
            "reg_capital": f"{(i % 9 + 1) * 100}万人民币", "address": None, "scope": None})
    return {"_note": "What the tax authority and the registry hold for samples/vat_invoice*, the sample "
                     "contracts' parties and the statements' holders (bundles.md format); rebuilt by "
                     "samples/authority/build.py.",
            "tax_invoices": invoices, "companies": registry}


def main() -> None:
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(OUT.relative_to(ROOT), file=sys.stderr)  # noqa: T201 - a script's output


if __name__ == "__main__":
    main()
