"""Renders a synthetic purchase-sale contract as a multi-page A4 text PDF in its family's layout (see
``family.py`` and ``families/*.toml``): title block, parties, clauses with the goods table, signing blocks with
seal images and signature strokes, page headers and footers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from idp.synth._font import register_cjk_font
from idp.synth.contract_layout.clauses import clauses, preamble
from idp.synth.contract_layout.flow import Flow, render_pdf
from idp.synth.contract_layout.parts import party_blocks, roles, signature_blocks, title_block

if TYPE_CHECKING:
    from idp.synth.contract import SyntheticContract

#: Face index in NotoSansCJK-Regular.ttc of each family font.
_FACES = {"sc": 2, "tc": 3, "jp": 0}


def layout_flow(c: SyntheticContract) -> Flow:
    """Every page's drawing operations."""
    f = c.family
    flow = Flow(f.body_size)
    title_block(flow, c)
    if f.party_where == "top":
        party_blocks(flow, c)
    shorts = {role: short for role, _, _, short in roles(c)}
    preamble(flow, c, shorts["buyer"], shorts["seller"])
    clauses(flow, c, shorts["buyer"], shorts["seller"])
    if f.party_where == "end":
        flow.gap(8)
        party_blocks(flow, c)
    signature_blocks(flow, c)
    return flow


def render(c: SyntheticContract) -> bytes:
    """The contract as a text PDF; seals are PNG images, signatures vector strokes."""
    f = c.family
    flow = layout_flow(c)
    header = f.page_header.replace("{number}", c.number).replace("{title}", c.title)
    texts = "".join(op[3] for p in flow.pages for op in p.ops if op[0] == "text")
    font = register_cjk_font(texts + header + f.page_footer + "0123456789", face=_FACES[f.face])
    return render_pdf(flow, title=c.title, font=font, header=header, footer=f.page_footer)
