"""The title block, party blocks and signing blocks of a synthetic contract, in the family's styles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from idp.synth.contract_layout import formats
from idp.synth.contract_layout.flow import LEFT, RIGHT, Column, Flow, W
from idp.synth.contract_layout.signing import details_table, name_tables, sign_word, signature_table, stamp

if TYPE_CHECKING:
    from idp.synth.contract import ContractParty, SyntheticContract

#: Default label of each party detail (a family's ``party_labels`` / ``sign_labels`` give the printed words).
_VALUE_KEYS = ("tax_id", "address", "legal_rep", "contact", "phone", "bank", "account")
_SIGN_ROW = 24.0


def roles(c: SyntheticContract) -> list[tuple[str, str, ContractParty, str]]:
    """(role, heading, party, short name) of the two parties in printed order."""
    f = c.family
    buyer = ("buyer", f.buyer_heading, c.buyer, f.buyer_short)
    seller = ("seller", f.seller_heading, c.seller, f.seller_short)
    return [buyer, seller] if f.first == "buyer" else [seller, buyer]


def value(p: ContractParty, key: str) -> str:
    return {
        "name": p.name,
        "tax_id": p.party.tax_id or "",
        "address": p.address,
        "legal_rep": p.legal_rep,
        "contact": p.contact,
        "phone": p.phone,
        "bank": p.party.bank.split(" ")[0],
        "account": p.party.bank.split(" ")[-1],
    }[key]


def other_code(c: SyntheticContract, label: str) -> str:
    """A code that is not the contract number (项目编号, 招标编号 …), drawn from the number so seeds stay put."""
    digits = "".join(ch for ch in c.number if ch.isdigit())[::-1][:6].rjust(6, "0")
    prefix = {"项目编号": "XM", "招标编号": "ZB", "订单号": "PO", "采购计划号": "JH"}.get(label, "BH")
    return f"{prefix}-{c.sign_date.year}-{digits}"


def title_block(flow: Flow, c: SyntheticContract) -> None:
    f = c.family
    title = " ".join(c.title) if f.title_spaced else c.title
    flow.text(W / 2, title, f.title_size, align="centre", bold=f.bold_title)
    flow.gap(6)
    items = [*((label, other_code(c, label)) for label in f.other_codes), (f.number_label, c.number)]
    if f.date_where == "header":
        items.append((f.date_label, formats.day(c.sign_date, f.date_format)))
    if f.place == "header":
        items.append((f.place_label, c.sign_place))
    if f.header_style == "right":
        for label, text in items:
            flow.text(RIGHT, f"{label}：{text}", align="right")
    elif f.header_style == "left":
        for label, text in items:
            flow.text(LEFT, f"{label}：{text}")
    elif f.header_style == "inline":
        flow.text(LEFT, "      ".join(f"{label}：{text}" for label, text in items), flow.body - 0.5)
    else:  # a small grid: label | value pairs, two pairs a row
        cells = [s for label, text in items for s in (label, text)]
        cells += [""] * (-len(cells) % 4)
        width = (RIGHT - LEFT) / 4
        cols = [Column("", width * 0.7), Column("", width * 1.3), Column("", width * 0.7), Column("", width * 1.3)]
        flow.table(cols, [cells[i:i + 4] for i in range(0, len(cells), 4)], size=flow.body - 1, header=False)
    flow.gap(6)


def _lines(labels: dict[str, str], p: ContractParty) -> list[str]:
    """``label：value`` lines of the details a family prints (联系人 and 电话 share a line)."""
    items = {k: f"{labels[k]}：{value(p, k)}" for k in _VALUE_KEYS if k in labels}
    if "contact" in items and "phone" in items:
        items["contact"] += "    " + items.pop("phone")
    return list(items.values())


def party_blocks(flow: Flow, c: SyntheticContract) -> None:
    f = c.family
    parties = roles(c)
    labels = f.party_labels
    if f.party_style == "stacked":
        for _, heading, party, _ in parties:
            flow.text(LEFT, f"{heading}：{party.name}")
            for line in _lines(labels, party):
                flow.text(LEFT + (2 * flow.body if labels else 0), line)
            flow.gap(4)
    elif f.party_style == "none":
        for _, heading, party, _ in parties:
            flow.text(LEFT, f"{heading}：{party.name}")
        flow.gap(4)
    elif f.party_style == "inline":
        for _, heading, party, _ in parties:
            flow.para("，".join([f"{heading}：{party.name}", *_lines(labels, party)]) + "。", first_indent=False)
        flow.gap(4)
    elif f.party_style == "side_by_side":
        size = flow.body - 1.5
        left = [f"{parties[0][1]}：{parties[0][2].name}", *_lines(labels, parties[0][2])]
        right = [f"{parties[1][1]}：{parties[1][2].name}", *_lines(labels, parties[1][2])]
        flow.need(len(left) * max(flow.leading, size * 1.6))  # the two blocks stay on one page
        for a, b in zip(left, right, strict=True):
            flow.text(LEFT, a, size, advance=False)
            flow.text(304, b, size)
        flow.gap(4)
    elif f.party_style == "pairs":  # a ruled table of label | value pairs, one pair of columns per party
        width = RIGHT - LEFT
        cols = [Column("", width * 0.17), Column("", width * 0.33), Column("", width * 0.17), Column("", width * 0.33)]
        rows = [[parties[0][1], parties[0][2].name, parties[1][1], parties[1][2].name]]
        rows += [[labels[k], value(parties[0][2], k), labels[k], value(parties[1][2], k)]
                 for k in _VALUE_KEYS if k in labels]
        flow.table(cols, rows, size=flow.body - 1.5, header=False, valign=f.party_valign)
        flow.gap(6)
    elif f.party_style == "table":  # one ruled label | value table, each party's heading row over its rows
        width = RIGHT - LEFT
        cols = [Column("", width * 0.3), Column("", width * 0.7)]
        rows = []
        for _, heading, party, _ in parties:
            rows += [[heading, party.name], *([labels[k], value(party, k)] for k in _VALUE_KEYS if k in labels)]
        flow.table(cols, rows, size=flow.body - 1.0, header=False)
        flow.gap(6)
    elif f.party_style == "rows":  # a ruled table with one row per party under a row of labels
        width = RIGHT - LEFT
        keys = ["name", *(k for k in _VALUE_KEYS if k in labels)]
        share = {"name": 1.3, "address": 1.6, "tax_id": 1.2, "bank": 1.1, "account": 1.1}
        total = 0.95 + sum(share.get(k, 0.7) for k in keys)
        cols = [Column("", width * 0.95 / total), *(Column("", width * share.get(k, 0.7) / total) for k in keys)]
        rows = [["", *(labels.get(k, "单位名称") for k in keys)]]
        rows += [[heading, *(value(party, k) for k in keys)] for _, heading, party, _ in parties]
        flow.table(cols, rows, size=flow.body - 2.5, header=False)
        flow.gap(6)
    else:  # grid: a label column, then one column per party under its heading
        width = RIGHT - LEFT
        cols = [Column("", width * 0.22), Column(parties[0][1], width * 0.39), Column(parties[1][1], width * 0.39)]
        rows = [[labels.get("name", "名称"), parties[0][2].name, parties[1][2].name]]
        rows += [[labels[k], value(parties[0][2], k), value(parties[1][2], k)] for k in _VALUE_KEYS if k in labels]
        flow.table(cols, rows, size=flow.body - 1.5)
        flow.gap(6)


def signature_blocks(flow: Flow, c: SyntheticContract) -> None:
    """Both parties' signing blocks with seals and signatures (and the details the family prints there)."""
    f = c.family
    flow.gap(10)
    parties = roles(c)
    label = f.date_label if f.date_where == "signature" else "日期"
    date_line = f"{label}：{formats.day(c.sign_date, f.date_format)}"

    def lines(short: str, party: ContractParty) -> list[str]:
        extra = [f"{f.sign_labels[k]}：{value(party, k)}" for k in _VALUE_KEYS if k in f.sign_labels]
        rep = [] if "legal_rep" in f.sign_labels else [f.sign_rep]
        return [f"{short}{f.sign_seal_word}：{party.name if f.sign_name else ''}", *rep, *extra, date_line]

    blocks = [(role, short, party, lines(sign_word(c, role, short), party)) for role, _, party, short in parties]
    size = flow.body - (1.0 if f.sign_style != "stacked" else 0.0)
    if f.sign_style == "table":
        signature_table(flow, c, blocks, size)
    elif f.sign_style == "label_table":
        rows = [(f.sign_labels[k], [value(p, k) for _, _, p, _ in parties]) for k in _VALUE_KEYS if k in f.sign_labels]
        if "legal_rep" not in f.sign_labels:
            rows.insert(0, ("法定代表人（签字）", ["", ""]))
        rows.append((label, [formats.day(c.sign_date, f.date_format)] * 2))
        details_table(flow, c, parties, rows, size)
    elif f.sign_style == "name_tables":
        rows = [(f.sign_labels[k], [value(p, k) for _, _, p, _ in parties]) for k in _VALUE_KEYS if k in f.sign_labels]
        rows.append((label, [formats.day(c.sign_date, f.date_format)] * 2))
        name_tables(flow, c, parties, rows, size)
    elif f.sign_style == "grid":
        width = RIGHT - LEFT
        n = max(len(b[3]) for b in blocks)
        cols = [Column("", width / 2), Column("", width / 2)]
        rows = [[blocks[0][3][i] if i < len(blocks[0][3]) else "", blocks[1][3][i] if i < len(blocks[1][3]) else ""]
                for i in range(n)]
        flow.need(n * size * 1.45 + 60)
        placed = flow.table(cols, rows, size=size, header=False)
        top = placed[0][1]
        for k, (role, _, party, _) in enumerate(blocks):
            x = LEFT + k * width / 2
            _marks(flow, c, role, party, x, top + 14)
    elif f.sign_style == "side_by_side":
        n = max(len(b[3]) for b in blocks)
        flow.need(n * _SIGN_ROW + 40)
        top = flow.y
        for k, (role, _, party, block) in enumerate(blocks):
            x = LEFT if k == 0 else 310.0
            for i, line in enumerate(block):
                flow.page.ops.append(("text", x, top + i * _SIGN_ROW, line[:27], size, "left", False))
            _marks(flow, c, role, party, x, top, (x, top - 12, x + 240, top + len(block) * _SIGN_ROW))
        flow.y = top + n * _SIGN_ROW + 4
    else:
        for role, _, party, block in blocks:
            flow.need(len(block) * _SIGN_ROW + 40)
            top = flow.y
            for i, line in enumerate(block):
                flow.page.ops.append(("text", LEFT, top + i * _SIGN_ROW, line, size, "left", False))
            _marks(flow, c, role, party, LEFT, top, (LEFT, top - 12, LEFT + 300, top + len(block) * _SIGN_ROW))
            # room for the seal: with the default room stacked seals never touch, with less they overlap
            flow.y = top + max(len(block) * _SIGN_ROW, f.sign_room) + 24
    if f.place == "signature":
        flow.text(LEFT, f"{f.place_label}：{c.sign_place}")


def _marks(flow: Flow, c: SyntheticContract, role: str, party: ContractParty, x: float, top: float,
           block: tuple[float, float, float, float] | None = None) -> None:
    if block is not None and c.family.seal_place != "beside":
        stamp(flow, c, role, party, block, (x + 10 * flow.body, top - 4))
        return
    if c.seals[role]:
        flow.seal(x + 70, top - 4, party.name, c.seed + len(role))
    if c.signatures[role]:
        flow.sign(x + 168, top + _SIGN_ROW, c.seed * 7 + len(role))
