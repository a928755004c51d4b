"""Layout families of synthetic VAT invoices, as data: which kinds a family draws, its layout and item style,
its label words, column order, letter spacing and font size, and the forms it comes in.

A family is what ``idp eval`` reports by (truth ``family``) and what a leave-family-out run holds out: values
still vary per seed inside a family. ``DEVELOPED`` names the families the extractor was tuned on; the others
were added without looking at their failures, to measure the generalisation gap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from idp.synth.vat_invoice import LineItem, SyntheticInvoice, generate

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class InvoiceFamily:
    """One layout family: everything that is not a value."""

    name: str
    kinds: tuple[str, ...]
    forms: tuple[str, ...]
    #: "goods" (catalogue lines), "lvke" (旅客运输服务, 单价 before 数量, 出行人 table), "tax_free" (免税, ***),
    #: "discount" (a discount line after a goods line), "list" ((详见销货清单) and its list page).
    items: str = "goods"
    #: Extra gap between glyphs, as a share of the font size, each glyph its own run (OFD converted to PDF).
    letter_spacing: tuple[float, float] = (0.0, 0.0)
    #: Printed label words replacing the usual ones (key → text), e.g. older forms' 购货单位 / 销货单位.
    labels: dict[str, str] = field(default_factory=dict)
    #: Font size factor range of the values.
    font_scale: tuple[float, float] = (1.0, 1.0)


FAMILIES: dict[str, InvoiceFamily] = {
    f.name: f
    for f in (
        InvoiceFamily("shuikong", ("10", "08"), ("pdf", "scan", "photo")),
        InvoiceFamily("paper", ("01", "04"), ("scan", "photo", "photo_rotated")),
        InvoiceFamily("shudian", ("32", "31"), ("pdf", "scan", "photo", "render_big")),
        InvoiceFamily("shudian_ofd", ("31", "32"), ("pdf",), letter_spacing=(0.35, 0.9)),
        InvoiceFamily("viewer", ("32", "10", "31"), ("screenshot",)),
        InvoiceFamily("lvke", ("32",), ("pdf", "scan", "photo"), items="lvke"),
        InvoiceFamily("tax_free", ("10", "32"), ("pdf", "scan"), items="tax_free"),
        InvoiceFamily("discount", ("10", "31"), ("pdf", "scan", "photo"), items="discount"),
        InvoiceFamily("goods_list", ("10", "08"), ("pdf",), items="list"),
        InvoiceFamily(
            "legacy_labels", ("10", "08"), ("pdf", "scan"),
            labels={"buyer": "购货单位", "seller": "销货单位", "items_name": "货物或应税劳务名称",
                    "address": "地址、电话", "bank": "开户银行及账号"},
            font_scale=(0.9, 1.12),
        ),
    )
}
#: Families the extractor was developed on (its failures looked at); the rest are held out.
DEVELOPED = ("shuikong", "paper", "shudian", "shudian_ofd", "viewer", "lvke")


def family_invoice(family: InvoiceFamily, kind: str, seed: int) -> SyntheticInvoice:
    """One invoice of ``family``: the kind's data from :func:`generate`, then the family's variation (drawn
    from its own generator, so the plain kinds stay byte-identical)."""
    invoice = generate(kind, seed)
    rng = random.Random(f"family:{family.name}:{kind}:{seed}")
    items = _items(family.items, invoice.items, rng)
    amount = sum((i.amount for i in items), Decimal("0.00"))
    tax = sum((i.tax for i in items), Decimal("0.00"))
    style = dict(invoice.style)
    style["family"] = family.name
    style["items"] = family.items
    style["labels"] = dict(family.labels)
    style["letter_spacing"] = round(rng.uniform(*family.letter_spacing), 2)
    style["font_scale"] = round(rng.uniform(*family.font_scale), 2)
    style["spaced_headers"] = rng.random() < 0.5
    from validators.amount_words import to_words

    yuan = "圆" if invoice.fully_digital or "圆" in invoice.words else "元"
    return replace(invoice, items=items, amount=amount, tax=tax, total=amount + tax,
                   words=to_words(amount + tax, yuan=yuan, negative="（负数）"), style=style)


def _items(style: str, items: list[LineItem], rng: random.Random) -> list[LineItem]:
    if style == "lvke":
        out = []
        for _ in range(rng.randint(1, 2)):
            price = (Decimal(rng.randint(1500, 60000)) / 100 / Decimal("1.03")).quantize(Decimal("0.000001"))
            amount = price.quantize(_CENT, ROUND_HALF_UP)
            printed = str(amount) if rng.random() < 0.5 else format(price.normalize(), "f")
            # the form prints no 规格型号 or 单位 column: the truth holds none
            out.append(LineItem("*运输服务*客运服务费", "", "", "1", printed,
                                amount, "3%", (amount * Decimal("0.03")).quantize(_CENT, ROUND_HALF_UP)))
        return _discounted(out, rng) if rng.random() < 0.6 else out
    if style == "tax_free":
        return [replace(i, name=f"*图书*{i.name.split('*')[-1]}", tax_rate="免税", tax=Decimal("0.00"))
                for i in items]
    if style == "discount":
        out: list[LineItem] = []
        for item in _discounted(items, rng):  # the form has room for 7 printed rows (long names take two)
            if sum(_rows(i) for i in out) + _rows(item) > _ROOM:
                break
            out.append(item)
        return out
    return items


#: Item rows the 税控 form's table has room for; names wrap after 15 characters.
_ROOM, _WRAP = 7, 15


def _rows(item: LineItem) -> int:
    return -(-len(item.name) // _WRAP)


def _discounted(items: list[LineItem], rng: random.Random) -> list[LineItem]:
    """Each line may be followed by its discount: same name, a negative amount and tax, no quantity or price."""
    out: list[LineItem] = []
    for item in items:
        out.append(item)
        if rng.random() < 0.7 or item is items[0]:
            share = Decimal(rng.randint(2, 25)) / 100
            amount = -(item.amount * share).quantize(_CENT, ROUND_HALF_UP)
            rate = Decimal(item.tax_rate.rstrip("%")) / 100 if item.tax_rate.endswith("%") else Decimal(0)
            out.append(LineItem(item.name, "", "", None, None, amount, item.tax_rate,
                                (amount * rate).quantize(_CENT, ROUND_HALF_UP)))
    return out


def family_truth(invoice: SyntheticInvoice, filename: str) -> dict[str, object]:
    """The invoice's truth with its ``family``; a tax-free invoice's taxes are printed *** (null per line)."""
    truth = invoice.truth(filename)
    if invoice.style.get("family"):
        truth["family"] = str(invoice.style["family"])
    if invoice.style.get("items") == "tax_free":
        for item in truth["line_items"]:  # type: ignore[union-attr]
            item["tax"] = None
    return truth
