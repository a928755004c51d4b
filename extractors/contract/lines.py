"""One goods line from its cells by column: 序号 dropped (also when OCR glued it to the name), a unit read
into the quantity cell moved back, numbers read as one cell split by 数量 × 单价 = 金额, and the line's
confidence from that check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import product

from extractors.text.table import Cell
from idp.models.schema.values import format_decimal, format_money, parse_decimal, parse_money

#: Confidence of a line whose numbers satisfy 数量 × 单价 = 金额, of one repaired to satisfy it, and of one that
#: does not (or cannot be checked).
CONF_CHECKED, CONF_REPAIRED, CONF_UNCHECKED = 0.99, 0.9, 0.8
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
#: Numbers where an amount ends after two decimals (``2,078.56124,713.60`` → ``2,078.56``, ``124,713.60``).
_CENTS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?")
_QTY_UNIT = re.compile(r"^([\d,]+(?:\.\d+)?)\s*([^\d\s.,]{1,4})$")
_CURRENCY = re.compile(r"[¥￥元]|RMB", re.IGNORECASE)
#: A row number as printed in a 序号 cell: 1, 1., 1、, (1), （1）.
_ROW_NO = re.compile(r"^[(（]?\d{1,3}[)）.、．]?$")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class GoodsRow:
    page: int
    values: dict[str, str | None]
    cells: dict[str, list[Cell]]
    confidence: dict[str, float] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)


#: Confidence of a text cell whose edge is a guessed cut inside one OCR run.
CONF_CUT = 0.85


def read_row(page: int, index: int, cells: dict[str, list[Cell]], *, has_number_column: bool,
             cut: frozenset[str] | set[str] = frozenset()) -> GoodsRow:
    """The values of goods line ``index`` (1-based) from its cells; ``cut`` names the columns whose text was
    cut out of a run read across a column border (their edge may be one character off)."""
    evidence: list[str] = []
    cells = _text_out_of_number_column(cells)
    texts = {k: join_lines(v) if v else "" for k, v in cells.items() if not k.startswith("other:")}
    name = _drop_row_number(cells.get("name", []), index, has_number_column and not texts.get("no"))
    if name != texts.get("name", ""):
        evidence.append(f"去掉序号 {index}")
    texts["name"] = name
    unit, qty_text = texts.get("unit", ""), texts.get("quantity", "")
    m = _QTY_UNIT.match(qty_text.replace(" ", ""))
    if m and not unit:
        qty_text, unit = m.group(1), m.group(2)
        evidence.append("数量与单位分开")
    numbers = _numbers(qty_text, texts.get("price", ""), texts.get("amount", ""))
    qty, price, amount, how = numbers
    conf = CONF_UNCHECKED
    if qty is not None and price is not None and amount is not None:
        if _product_ok(qty, price, amount):
            conf = CONF_CHECKED if how == "as printed" else CONF_REPAIRED
            evidence.append(f"数量×单价=金额 ({how})")
        else:
            evidence.append("数量×单价≠金额")
    values = {
        "name": name or None,
        "spec": texts.get("spec") or None,
        "unit": unit or None,
        "quantity": format_decimal(qty) if qty is not None else None,
        "price": format_decimal(price) if price is not None else None,
        "amount": format_money(amount) if amount is not None else None,
    }
    text_conf = 0.97 if conf == CONF_CHECKED and not evidence[:-1] else min(conf, 0.9)
    confidence = {k: (conf if k in ("quantity", "price", "amount") else text_conf) for k in values}
    for key in cut & {"name", "spec", "unit"}:
        confidence[key] = min(confidence[key], CONF_CUT)
        evidence.append(f"{key}: OCR 连读跨列，按字宽切分（边界可能差一字）")
    return GoodsRow(page, values, cells, confidence, evidence)


def join_lines(cells: list[Cell]) -> str:
    """Cell text line by line (a wrapped cell's second line after its first, whatever their x), each line as
    :func:`join_cells` joins it."""
    lines: list[list[Cell]] = []
    for cell in sorted(cells, key=lambda c: c.cy):
        if lines and abs(cell.cy - lines[-1][-1].cy) < 0.5 * max(cell.h, 1e-6):
            lines[-1].append(cell)
        else:
            lines.append([cell])
    out = []
    for line in lines:
        parts: list[str] = []
        prev: Cell | None = None
        for cell in sorted(line, key=lambda c: c.x0):
            gap = cell.x0 - prev.x1 if prev is not None else 0.0
            if parts and gap > 0.15 * cell.h and not _CJK.match(parts[-1][-1:]) and not _CJK.match(cell.text[:1]):
                parts.append(" ")
            parts.append(cell.text)
            prev = cell
        out.append("".join(parts).strip())
    return "".join(out)


def _text_out_of_number_column(cells: dict[str, list[Cell]]) -> dict[str, list[Cell]]:
    """A 序号 column holds digits only: text given to it (a name left of its centred header) is the name's."""
    moved = [c for c in cells.get("no", []) if not _ROW_NO.match(c.text.strip())]
    if not moved:
        return cells
    out = dict(cells)
    out["no"] = [c for c in cells["no"] if _ROW_NO.match(c.text.strip())]
    out["name"] = [*moved, *cells.get("name", [])]
    return out


def _drop_row_number(cells: list[Cell], index: int, glued: bool) -> str:
    """The name without the row number: a separate leading cell holding just ``index``, or (when the 序号 cell
    is empty) ``index`` glued to the start or end of the name."""
    first = sorted(cells, key=lambda c: c.x0)[0] if len(cells) > 1 else None
    if first is not None and _ROW_NO.match(first.text.strip()) and re.sub(r"\D", "", first.text) == str(index):
        cells = sorted(cells, key=lambda c: c.x0)[1:]
    text = join_lines(cells) if cells else ""
    if glued:
        n = str(index)
        m = re.match(rf"^{n}(?!\d)\s*(?=\D)", text)
        if m and not re.match(r"^[.,]", text[m.end():]):
            return text[m.end():].strip()
        m = re.search(rf"(?<![\d.A-Za-z-]){n}$", text)
        if m and re.search(r"[\u4e00-\u9fff]\s*$", text[: m.start()]):
            return text[: m.start()].strip()
    return text


def _numbers(qty: str, price: str, amount: str) -> tuple[Decimal | None, Decimal | None, Decimal | None, str]:
    """(quantity, price, amount, how): as printed when they check out; else the split of the numbers in the
    three cells (read left to right) that satisfies 数量 × 单价 = 金额."""
    q, p, a = _decimal(qty), _decimal(price), _money(amount)
    if q is not None and p is not None and a is not None and _product_ok(q, p, a):
        return q, p, a, "as printed"
    texts = [_CURRENCY.sub(" ", cell) for cell in (qty, price, amount)]
    for pattern in (_NUMBER, _CENTS):  # whole numbers as printed, then amounts cut after their two decimals
        tokens = [t for text in texts for t in pattern.findall(text)]
        for option in _splits(tokens):
            if len(option) == 3:
                q2, p2, a2 = (parse_decimal(x) for x in option)
                if q2 is not None and p2 is not None and a2 is not None and _product_ok(q2, p2, a2):
                    return q2, p2, a2.quantize(Decimal("0.01")), "按数量×单价=金额拆分"
    return q, p, a, "as printed"


def _splits(tokens: list[str]) -> list[list[str]]:
    """Ways to read ``tokens`` as numbers: each token whole or cut in two where both halves are numbers
    (two amounts OCR read as one: ``2,078.56124,713.60`` → ``2,078.56`` ``124,713.60``)."""
    choices = []
    for t in tokens[:4]:
        ways = [[t]]
        for m in re.finditer(r"\.\d{2}(?=\d)", t):
            left, right = t[: m.end()], t[m.end():]
            if _NUMBER.fullmatch(right):
                ways.append([left, right])
        for i in range(1, len(t)):
            left, right = t[:i], t[i:]
            if right[0] != "," and "." not in left and _NUMBER.fullmatch(left) and _NUMBER.fullmatch(right) \
                    and re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?", right):
                ways.append([left, right])
        choices.append(ways)
    return [[x for part in combo for x in part] for combo in product(*choices)]


def _decimal(text: str) -> Decimal | None:
    return parse_decimal(_CURRENCY.sub("", text).strip()) if text else None


def _money(text: str) -> Decimal | None:
    return parse_money(text) if text else None


def _product_ok(q: Decimal, p: Decimal, a: Decimal) -> bool:
    """数量 × 单价 = 金额 to the cent (prices with many decimals allowed a relative tolerance)."""
    return abs(q * p - a) <= max(Decimal("0.011"), abs(a) * Decimal("0.000001"))


def repair_by_total(rows: list[GoodsRow], totals: set[Decimal]) -> bool:
    """One line whose 数量 × 单价 ≠ 金额, when its amount set to 数量 × 单价 makes Σ 明细 equal a stated total
    (a 大写 or a labelled figure): the amount was misread; take the product, still for review. True if done."""
    bad = [r for r in rows if any("≠" in e for e in r.evidence)]
    amounts = [parse_money(r.values.get("amount")) for r in rows]
    if len(bad) != 1 or any(a is None for a in amounts):
        return False
    row = bad[0]
    q, p = parse_decimal(row.values.get("quantity")), parse_decimal(row.values.get("price"))
    old = parse_money(row.values.get("amount"))
    if q is None or p is None or old is None:
        return False
    new = (q * p).quantize(Decimal("0.01"))
    if sum(a for a in amounts if a is not None) - old + new not in totals:
        return False
    row.values["amount"] = format_money(new)
    row.confidence["amount"] = CONF_REPAIRED
    row.evidence.append(f"金额按数量×单价更正为 {format_money(new)}（印 {format_money(old)}），Σ 明细 = 合同总金额")
    return True
