"""The goods table of a synthetic contract: the family's columns in its order, with its header words, cells that
wrap, rules drawn as a grid, between rows only or not at all, page breaks with or without the header repeated,
and a 合计 row in the family's style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from idp.synth.contract_layout import formats
from idp.synth.contract_layout.flow import LEFT, RIGHT, Column, Flow

if TYPE_CHECKING:
    from idp.synth.contract import Item, SyntheticContract

#: Default header words of each column (a family may print others) and relative widths.
_LABELS = {"no": "序号", "name": "产品名称", "spec": "规格型号", "brand": "品牌", "unit": "单位",
           "quantity": "数量", "price": "单价（元）", "amount": "金额（元）", "delivery": "交货期",
           "origin": "产地", "remark": "备注"}
_WEIGHTS = {"no": 0.55, "name": 2.0, "spec": 2.0, "brand": 1.0, "unit": 0.7, "quantity": 1.0, "price": 1.45,
            "amount": 1.75, "delivery": 1.2, "origin": 1.2, "remark": 1.1}
_NUMERIC = ("quantity", "price", "amount")


def columns_of(c: SyntheticContract) -> list[tuple[str, Column]]:
    """(key, column) in the family's order, widths shared out over the text width."""
    f = c.family
    weights = {k: _WEIGHTS[k] for k in f.columns}
    fixed = f.wrap * f.table_size + 7 if f.wrap else 0.0  # a name column this narrow wraps long names
    if fixed:
        weights.pop("name")
    scale = (RIGHT - LEFT - fixed) / sum(weights.values())
    out = []
    for key in f.columns:
        label = f.column_labels.get(key, _LABELS[key])
        align = "right" if key in _NUMERIC else "centre" if key in ("no", "unit") else "left"
        out.append((key, Column(label, fixed if key == "name" and fixed else weights[key] * scale, align)))
    return out


def _cell(key: str, n: int, item: Item, c: SyntheticContract) -> str:
    f = c.family
    if key == "no":
        return str(n)
    if key == "name":
        return item.name
    if key in ("price", "amount"):
        value = item.price if key == "price" else item.amount
        return formats.money(value, f.money if f.money != "comma_yuan" else "comma")
    if key == "quantity":
        return formats.quantity(item.quantity)
    if key == "delivery":
        return "签约后15日" if f.delivery == "days" else formats.day(c.delivery_date, f.date_format)
    return {"spec": item.spec, "unit": item.unit, "brand": item.brand, "origin": item.origin,
            "remark": item.remark}[key]


def goods_table(flow: Flow, c: SyntheticContract) -> None:
    """The table and its 合计 row(s)."""
    f = c.family
    cols = columns_of(c)
    keys = [k for k, _ in cols]
    rows = [[_cell(k, n, item, c) for k in keys] for n, item in enumerate(c.items, start=1)]
    spans: dict[int, list[tuple[int, int]]] = {}
    total = formats.money(c.printed_total, f.money if f.money != "comma_yuan" else "comma")
    amount_at = keys.index("amount")
    last = len(keys) - 1
    if f.total_row == "figures":
        row = [""] * len(keys)
        row[0] = "合计"
        row[amount_at] = total
        rows.append(row)
        spans[len(rows) - 1] = _around(amount_at, last)
    elif f.total_row in ("words", "words_figures"):
        text = f"{f.total_row_label}{c.words}"
        if f.total_row == "words_figures":
            text += f"    （小写）{total}" if amount_at != last else ""
        row = [""] * len(keys)
        row[0] = text
        if f.total_row == "words_figures" and amount_at == last:
            row[amount_at] = total
            spans[len(rows)] = [(0, amount_at - 1), (amount_at, amount_at)]
        else:
            spans[len(rows)] = [(0, last)]
        rows.append(row)
    elif f.total_row == "two_rows":
        row = [""] * len(keys)
        row[0] = "合计"
        row[amount_at] = total
        rows.append(row)
        spans[len(rows) - 1] = _around(amount_at, last)
        words = [""] * len(keys)
        words[0] = f"{f.total_row_label}{c.words}"
        rows.append(words)
        spans[len(rows) - 1] = [(0, last)]
    flow.table([col for _, col in cols], rows, size=f.table_size, rules=f.rules, repeat_header=f.repeat_header,
               valign=f.valign, spans=spans)
    flow.gap(6)


def _around(at: int, last: int) -> list[tuple[int, int]]:
    """Cells of a 合计 row: a label cell up to the amount column, the amount, then what is left."""
    out = [(0, at - 1), (at, at)] if at > 0 else [(0, 0)]
    if at < last:
        out.append((at + 1, last))
    return out
