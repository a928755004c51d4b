"""Signing parts laid out as tables, and where a seal is stamped, for synthetic contracts.

Two table shapes: a ruled two-column signature table (甲方（盖章）| 乙方（盖章） on top, then one ``label：value``
row after another in each party's cell), and a details table with a label column (单位名称（章）| name | name,
法定代表人 | … ) that stands for the party block at the end of a contract. A seal is stamped beside its party's
heading, over the middle of its party's cell (over the printed text, as people stamp), or over the name.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from idp.synth.contract_layout.flow import LEFT, RIGHT, Column, Flow

if TYPE_CHECKING:
    from idp.synth.contract import ContractParty, SyntheticContract

#: Offsets Flow.seal / Flow.sign apply: a seal op at (x, top) is centred at (x + 40, top + 4).
_SEAL_DX, _SEAL_DY = 40.0, 4.0


def sign_word(c: SyntheticContract, role: str, short: str) -> str:
    """The role word the signing part prints for ``role`` (the family's, else the clauses' short name)."""
    f = c.family
    return (f.buyer_sign if role == "buyer" else f.seller_sign) or short


def stamp(flow: Flow, c: SyntheticContract, role: str, party: ContractParty,
          cell: tuple[float, float, float, float], name_at: tuple[float, float]) -> None:
    """Seal and signature of ``role`` inside its cell (x0, top, x1, bottom), where the family stamps them."""
    f = c.family
    rng = random.Random(f"stamp:{c.layout}:{c.seed}:{role}")
    x0, top, x1, bottom = cell
    if c.seals[role]:
        if f.seal_place == "cell":
            cx = (x0 + x1) / 2 + rng.uniform(-0.15, 0.15) * (x1 - x0)
            cy = top + rng.uniform(0.35, 0.6) * (bottom - top)
        elif f.seal_place == "name":
            cx, cy = name_at[0] + rng.uniform(30, 80), name_at[1] + rng.uniform(-6, 6)
        else:
            cx, cy = x0 + 110, top + 18
        flow.seal(cx - _SEAL_DX, cy - _SEAL_DY, party.name, c.seed + len(role))
    if c.signatures[role]:
        flow.sign(min(x1 - 90, x0 + 0.55 * (x1 - x0)), top + 0.45 * (bottom - top), c.seed * 7 + len(role))


def signature_table(flow: Flow, c: SyntheticContract, blocks: list[tuple[str, str, ContractParty, list[str]]],
                    size: float) -> None:
    """A ruled two-column table: the headings (甲方（盖章）) in the first row, each party's lines below in
    its column, one ruled row per line."""
    f = c.family
    width = RIGHT - LEFT
    heads = [f"{sign_word(c, role, short)}{f.sign_seal_word}" for role, short, _, _ in blocks]
    bodies = [lines[1:] for *_, lines in blocks]
    for (_, _, party, _), body in zip(blocks, bodies, strict=True):
        body.insert(0, f"{f.sign_name_label}：{party.name}" if f.sign_name_label else party.name)
    n = max(len(b) for b in bodies)
    rows = [heads] + [[b[i] if i < len(b) else "" for b in bodies] for i in range(n)]
    flow.need((n + 1) * (size * 1.45 + 6) + 40)
    placed = flow.table([Column("", width / 2), Column("", width / 2)], rows, size=size, header=False)
    top, bottom = placed[0][1], placed[-1][2]
    for k, (role, _, party, _) in enumerate(blocks):
        x0 = LEFT + k * width / 2
        stamp(flow, c, role, party, (x0, top, x0 + width / 2, bottom), (x0 + 3, (placed[1][1] + placed[1][2]) / 2))


def details_table(flow: Flow, c: SyntheticContract, parties: list[tuple[str, str, ContractParty, str]],
                  rows: list[tuple[str, list[str]]], size: float) -> None:
    """A ruled table with a label column: a heading row (role words), then ``label | value | value`` rows
    (the name row first); seals go to the party columns."""
    f = c.family
    width = RIGHT - LEFT
    heads = [f"{sign_word(c, role, short)}" for role, _, _, short in parties]
    cols = [Column("", width * 0.2), Column("", width * 0.4), Column("", width * 0.4)]
    name_label = f.sign_name_label or f"单位名称{f.sign_seal_word}"
    table_rows = [["", *heads], [name_label, *(p.name for _, _, p, _ in parties)]]
    table_rows += [[label, *values] for label, values in rows]
    flow.need(len(table_rows) * (size * 1.45 + 6) + 40)
    placed = flow.table(cols, table_rows, size=size, header=False)
    top, bottom = placed[0][1], placed[-1][2]
    for k, (role, _, party, _) in enumerate(parties):
        x0 = LEFT + width * (0.2 + 0.4 * k)
        stamp(flow, c, role, party, (x0, top, x0 + width * 0.4, bottom), (x0 + 3, (placed[1][1] + placed[1][2]) / 2))


def name_tables(flow: Flow, c: SyntheticContract, parties: list[tuple[str, str, ContractParty, str]],
                rows: list[tuple[str, list[str]]], size: float) -> None:
    """Two ruled label | value tables side by side, one per party, under no role word: the name row
    (单位名称（章）| name) first, so only the name tells whose table it is (as some 示范文本 print it)."""
    f = c.family
    half = (RIGHT - LEFT) / 2
    name_label = f.sign_name_label or f"单位名称{f.sign_seal_word}"
    flow.need((len(rows) + 1) * (size * 1.45 + 6) * 1.6 + 60)
    top = flow.y
    bottom = top
    for k, (role, _, party, _) in enumerate(parties):
        flow.y = top
        x0 = LEFT + k * half
        cols = [Column("", half * 0.34), Column("", half * 0.62)]
        table_rows = [[name_label, party.name], *([label, values[k]] for label, values in rows)]
        placed = flow.table(cols, table_rows, size=size, header=False, valign=f.party_valign, x0=x0)
        stamp(flow, c, role, party, (x0, placed[0][1], x0 + half * 0.96, placed[-1][2]),
              (x0 + half * 0.34, (placed[0][1] + placed[0][2]) / 2))
        bottom = max(bottom, flow.y)
    flow.y = bottom
