"""The goods table of a contract (标的: 品名, 规格型号, 单位, 数量, 单价, 金额) and its 合计 row.

The header row is found by column aliases anywhere in the document; rows below it are goods while they carry a
quantity or an amount; wrapped names join their row; the table ends at 合计/总计/大写 or a clause heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extractors.contract.text import ContractText
from extractors.statement.values import parse_money
from extractors.text.table import Cell, Row, attach_wrapped, join_cells
from extractors.text.table_columns import assign, columns_from, find_header

#: Column key → header aliases (compared without spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "no": ("序号", "编号"),
    "name": ("产品名称", "货物名称", "商品名称", "物资名称", "标的名称", "设备名称", "品名", "名称", "产品"),
    "spec": ("规格型号", "规格/型号", "型号规格", "规格", "型号", "材质"),
    "unit": ("计量单位", "单位"),
    "quantity": ("数量",),
    "price": ("含税单价", "单价(元)", "单价(元/吨)", "单价"),
    "amount": ("含税金额", "金额(元)", "总价(元)", "合计金额", "总金额", "金额", "总价", "小计"),
    "remark": ("备注", "交货期"),
}
_END = re.compile(r"^(合计|总计|小计|总价|人民币|大写|第[一二三四五六七八九十]+条)")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class GoodsRow:
    page: int
    values: dict[str, str | None]
    cells: dict[str, list[Cell]]


@dataclass
class GoodsTable:
    rows: list[GoodsRow]
    total_row: Row | None


def read_goods(text: ContractText) -> GoodsTable | None:
    """The first goods table (header with a name column and an amount or price column)."""
    for page, rows in text.rows.items():
        header = find_header(rows, COLUMNS, required=("name", "amount|price"), min_columns=3)
        if header is None:
            continue
        start = header.row + 1
        end = start
        total_row = None
        while end < len(rows):
            if _END.search(rows[end].compact):
                if re.match(r"^(合计|总计|小计|总价)", rows[end].compact) or "大写" in rows[end].compact:
                    total_row = rows[end]
                break
            end += 1
        body = rows[start:end]
        if not body:
            return GoodsTable([], total_row)
        h = sorted(r.h for r in body)[len(body) // 2]
        columns = columns_from(header, body, text_height=h)
        anchors = [i for i, r in enumerate(body) if _is_goods(assign(r, columns))]
        out = []
        for _idx, members in sorted(attach_wrapped(body, anchors).items()):
            cells: dict[str, list[Cell]] = {}
            for row in members:
                for key, found in assign(row, columns).items():
                    cells.setdefault(key, []).extend(found)
            out.append(GoodsRow(page, _values(cells), cells))
        return GoodsTable(out, total_row)
    return None


def _is_goods(cells: dict[str, list[Cell]]) -> bool:
    amount = cells.get("amount") or cells.get("price")
    qty = cells.get("quantity")
    return bool(cells.get("name")) and bool(
        (amount and parse_money(join_cells(amount)) is not None) or (qty and _number(join_cells(qty)))
    )


def _number(text: str) -> str | None:
    m = _NUMBER.search(text.replace("，", ","))
    if not m:
        return None
    try:
        value = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")


def _values(cells: dict[str, list[Cell]]) -> dict[str, str | None]:
    def text(key: str) -> str | None:
        found = cells.get(key)
        return join_cells(found) or None if found else None

    amount = parse_money(text("amount") or "")
    return {
        "name": text("name"),
        "spec": text("spec"),
        "unit": text("unit"),
        "quantity": _number(text("quantity") or ""),
        "price": _number(text("price") or ""),
        "amount": None if amount is None else str(amount),
    }
