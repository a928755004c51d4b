"""Contract parties by role words, not by letter or position: the schema's buyer words (买方, 需方, 买受人,
采购方 …) and seller words (卖方, 供方, 出卖人, 供货方 …) decide the role, whichever of them the contract
calls 甲方. A party's details are the labelled values under its heading in its column (stacked or side by
side), in the sentence after it (出卖人：某公司，统一社会信用代码：…), or in its column of a table whose rows
are labels; the signing blocks at the end (盖章/签字) may carry more and fill what the top lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from extractors.contract.columns import ORG_END, column_rows, label_row_cells
from extractors.contract.party_values import NOT_A_NAME, clean_value
from extractors.contract.text import CLAUSE_START, ContractText, Segment
from extractors.text.glyphs import x_at
from extractors.text.labels import split_labelled, starts_with_label
from idp.models.schema import BUYER_WORDS, SELLER_WORDS
from idp.models.schema import parties as schema_parties
from idp.models.schema.values import normalise_name

#: A seal or signature note after a heading: （盖章）, 签字盖章, （章）, and as OCR may leave it, （盖） or （签章.
_SEAL_NOTE = r"[(（][^()（）:：]{0,4}?[盖章签][^()（）:：]{0,3}[)）]?|(?:盖章|签章|公章|签字|签名)(?:处|或?盖章)?"
_ROLE_WORDS = "|".join(sorted(BUYER_WORDS + SELLER_WORDS, key=len, reverse=True))
_HEADING = re.compile(
    rf"^(?P<head>(?:(?P<l1>甲|乙|丙)方|(?P<r1>{_ROLE_WORDS}))"
    rf"(?:[(（](?:(?P<l2>甲|乙)方|(?P<r2>{_ROLE_WORDS})|以下简称[“\"]?(?P<r3>{_ROLE_WORDS}|[甲乙]方)[”\"]?)[)）])?)"
    r"(?P<named>(?:单位)?名称|全称)?"  # 供应商名称：… names the party by a label after its role word
    rf"(?P<seal>{_SEAL_NOTE})?\s*[:：]?\s*(?P<rest>.*)$"
)
#: Text cues that fix which letter buys when headings carry letters only.
_SELLS = re.compile(r"(甲|乙)方向(甲|乙)方(?:供应|供货|销售|出售|提供|交付)")
_BUYS = re.compile(r"(甲|乙)方向(甲|乙)方(?:购买|采购|订购|购进)")
_KEYS = (schema_parties.NAME, schema_parties.TAX_ID, schema_parties.ADDRESS, schema_parties.LEGAL_REP,
         schema_parties.CONTACT, schema_parties.PHONE, schema_parties.BANK, schema_parties.ACCOUNT)
#: Label → field key, from the schema's party fields; labels with key "" only end the value before them.
PARTY_LABELS: list[tuple[str, str]] = [
    *((label, f.key) for f in _KEYS for label in f.synonyms if label != "传真"),
    ("传真", ""), ("邮编", ""), ("邮政编码", ""), ("邮箱", ""), ("电子邮箱", ""), ("网址", ""), ("日期", ""),
    ("签订日期", ""), ("签字", ""), ("盖章", ""),
]
_SIGN_WORDS = re.compile(_SEAL_NOTE)
#: What ends an organisation's name.
_ORG = re.compile(f"(?:{'|'.join(ORG_END)})$")


@dataclass
class Heading:
    """A party heading: its role ('buyer'/'seller' or None), letter (甲/乙), name printed after it."""

    seg: Segment
    role: str | None
    letter: str | None
    name: str
    signature: bool
    rest: str = ""  #: everything printed after the heading on its segment
    alone: bool = False  #: nothing follows the heading in its run (a table cell, or a name in the next cell)


@dataclass
class PartyBlock:
    role: str
    heading: Heading
    values: dict[str, tuple[str, Segment]] = field(default_factory=dict)


def find_headings(text: ContractText) -> list[Heading]:
    out = []
    for seg in text.segments:
        m = _HEADING.match(seg.compact)
        if not m:
            continue
        role_word = m.group("r1") or m.group("r2") or m.group("r3")
        letter = m.group("l1") or m.group("l2")
        if m.group("r3") and m.group("r3").endswith("方") and m.group("r3")[0] in "甲乙":
            letter = letter or m.group("r3")[0]
            role_word = m.group("r1") or m.group("r2")
        rest = m.group("rest")
        colon = seg.compact[m.end("head") + len(m.group("named") or "") + len(m.group("seal") or ""):][:1] in (
            ":", "：")
        if not (colon or m.group("seal") or m.group("l2") or m.group("r2") or m.group("r3") or not rest):
            continue  # a clause sentence such as 甲方应在收货后…
        if not colon and rest and not m.group("seal") and not _ORG.search(rest):
            continue  # 甲方（需方）应在… : a role in running text (甲方（需方） 某某有限公司 is a heading)
        rest = re.sub(r"[(（]以下简称.*?[)）]", "", rest)
        alone = not rest
        if alone:
            rest = _name_beside(text, seg)
        signature = bool(m.group("seal")) or bool(_SIGN_WORDS.search(rest[:6]))
        rest = re.sub(rf"^(?:{_SEAL_NOTE})[:：]?", "", rest)
        name = _name_of(rest)
        out.append(Heading(seg, _role(role_word), letter, name, signature, rest, alone))
    return out


def _name_beside(text: ContractText, seg: Segment, *, organisation: bool = True) -> str:
    """The organisation name printed in the next run of a bare heading's row (甲方（需方）      某某有限公司);
    any name there when ``organisation`` is False (it is matched against the parties' names)."""
    row = sorted((s for s in text.segments if s.page == seg.page and s.row == seg.row and s.x0 > seg.x1),
                 key=lambda s: s.x0)
    if row and (_ORG.search(row[0].compact) or not organisation) and not _HEADING.match(row[0].compact):
        return row[0].compact
    return ""


def _name_of(rest: str) -> str:
    """The party name after its heading: up to a comma or the first label (名称：… is read past)."""
    rest = re.sub(r"^(?:单位名称|公司名称|企业名称|名称)[:：]", "", rest)
    hits = [rest.find(label) for label, _ in PARTY_LABELS if label and label in rest]
    cut = min([h for h in hits if h > 0] + [len(rest)])
    name = re.split(r"[，,；;。]", rest[:cut])[0].rstrip("(（ ")  # a bracket that opens the details is not the name's
    return normalise_name(name) or ""


def _role(word: str | None) -> str | None:
    if word in BUYER_WORDS:
        return "buyer"
    if word in SELLER_WORDS:
        return "seller"
    return None


def assign_roles(headings: list[Heading], full_text: str) -> dict[str, str]:
    """Letter → role from headings that print both (甲方（需方）), else from 甲方向乙方供应 cues,
    else 甲 buys."""
    letters: dict[str, str] = {}
    for h in headings:
        if h.letter and h.role:
            letters.setdefault(h.letter, h.role)
    if not letters:
        sells, buys = _SELLS.search(full_text), _BUYS.search(full_text)
        if sells:
            letters = {sells.group(1): "seller", sells.group(2): "buyer"}
        elif buys:
            letters = {buys.group(1): "buyer", buys.group(2): "seller"}
    if len(letters) == 1:
        ((letter, role),) = letters.items()
        other = "乙" if letter == "甲" else "甲"
        letters[other] = "seller" if role == "buyer" else "buyer"
    letters.setdefault("甲", "buyer")
    letters.setdefault("乙", "seller")
    for h in headings:
        if h.role is None and h.letter:
            h.role = letters.get(h.letter)
    return letters


_UNREAD_HEADING = re.compile(rf"^[\u4e00-\u9fff]{{1,5}}?(?P<seal>{_SEAL_NOTE})[:：]?(?P<rest>.*)$")


def mirror_headings(text: ContractText, headings: list[Heading]) -> list[Heading]:
    """Signing headings whose role word OCR misread under a stamp (供赁方（盖章）): a run that carries a seal
    note on the row of one party's signing heading, while the other party has none, is the other party's."""
    signed = {h.role for h in headings if h.signature and h.role}
    if len(signed) != 1:
        return []
    (known,) = signed
    missing = "seller" if known == "buyer" else "buyer"
    used = {id(h.seg) for h in headings}
    out: list[Heading] = []
    for h in (x for x in headings if x.signature and x.role == known):
        for seg in text.segments:
            if seg.page != h.seg.page or seg.row != h.seg.row or id(seg) in used:
                continue
            m = _UNREAD_HEADING.match(seg.compact)
            if m and not _HEADING.match(seg.compact):
                rest = m.group("rest")
                letter = {"甲": "乙", "乙": "甲"}.get(h.letter or "")
                out.append(Heading(seg, missing, letter, _name_of(rest), True, rest, not rest))
                return out
    return out


#: A details block headed by the party's name label rather than its role: 单位名称（章）：某公司.
_NAME_LABEL = re.compile(
    rf"^(?:{'|'.join(sorted((x for x in schema_parties.NAME.synonyms if x != '户名'), key=len, reverse=True))})"
    rf"(?P<seal>{_SEAL_NOTE})?[:：]?(?P<rest>.*)$"
)
#: How alike a block's printed name must be to one party's, and how much less to the other's (OCR under a
#: stamp may miss characters of either).
_SAME_NAME = 0.7
_MARGIN = 0.3


def named_headings(text: ContractText, headings: list[Heading]) -> list[Heading]:
    """Details blocks under no role word (a signing table of 单位名称（章）| 某公司 rows side by side): the block
    belongs to the party whose name it prints, when exactly one party of the role headings has that name. A
    name row inside a role's own block is that block's, not a new one."""
    known: dict[str, str] = {}
    for h in headings:
        if h.role and h.name and not NOT_A_NAME.search(h.name):
            known.setdefault(h.name, h.role)
    if len(set(known.values())) < 2:
        return []
    covered = {(seg.page, seg.row) for h in headings if h.role for _, _, seg in _block_values(text, h, headings)}
    covered |= {(h.seg.page, h.seg.row) for h in headings}
    out: list[Heading] = []
    for seg in text.segments:
        m = _NAME_LABEL.match(seg.compact)
        if not m or (seg.page, seg.row) in covered:
            continue
        rest = m.group("rest")
        name = _name_of(rest or _name_beside(text, seg, organisation=False))
        role = _role_named(name, known)
        if role is not None:
            # it heads its column of the table whether or not the name shares its run
            out.append(Heading(seg, role, None, name, bool(m.group("seal")), rest or name, alone=True))
    return out if len({h.role for h in out}) == len(out) else []


def _role_named(name: str, known: dict[str, str]) -> str | None:
    """The role of the one known party ``name`` names: like it, and clearly less like the other party."""
    if not name:
        return None
    best: dict[str, float] = {}
    for known_name, role in known.items():
        best[role] = max(best.get(role, 0.0), SequenceMatcher(None, name, known_name).ratio())
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] >= _SAME_NAME and ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0) >= _MARGIN:
        return ranked[0][0]
    return None


def party_blocks(text: ContractText, headings: list[Heading]) -> dict[str, PartyBlock]:
    """Per role, the values of all its blocks: the first block's first, later blocks (the signing blocks)
    filling what it lacks."""
    blocks: dict[str, PartyBlock] = {}
    for h in headings:
        if h.role is None:
            continue
        block = blocks.setdefault(h.role, PartyBlock(h.role, h))
        found = _block_values(text, h, headings)
        if h.name and not NOT_A_NAME.search(h.name):
            found.insert(0, ("name", h.name, h.seg))
        for key, value, seg in found:
            if key and key not in block.values and clean_value(key, value):
                block.values[key] = (value, seg)
    return blocks


def _block_values(text: ContractText, h: Heading, headings: list[Heading]) -> list[tuple[str, str, Segment]]:
    """(key, value, segment) of the details printed with heading ``h``."""
    out: list[tuple[str, str, Segment]] = []
    inline = _inline(text, h)
    for key, _label, value in split_labelled(inline, PARTY_LABELS):
        if key:
            out.append((key, re.split(r"[，,；;。]", value)[0], h.seg))
    grid = _grid_columns(text, h, headings)
    if grid is None and h.alone:
        grid = label_row_cells(text, h.seg, PARTY_LABELS, {id(x.seg) for x in headings if x is not h})
    for seg in grid if grid is not None else _below(text, h, headings):
        for key, _label, value in split_labelled(seg.compact, PARTY_LABELS):
            if key:
                out.append((key, value, seg))
    return out


def _details(rest: str) -> str | None:
    """What follows the name on a heading's line: after its comma, or inside the bracket it opens when a label
    starts there (某公司（统一社会信用代码：…；住所：…）); None when nothing does."""
    for m in re.finditer(r"[，,(（]", rest):
        if m.group(0) in "，," or starts_with_label(rest[m.end():], PARTY_LABELS):
            return rest[m.start():]
    return None


def _inline(text: ContractText, h: Heading) -> str:
    """The heading's own line and, when it is a paragraph wrapped to the next lines, those lines too."""
    details = _details(h.rest)
    if details is None:
        return ""
    if not starts_with_label(details[1:], PARTY_LABELS):
        return details
    parts = [details]
    segs = [s for s in text.segments if s.page == h.seg.page]
    right = max(s.x1 for s in segs)
    last = h.seg
    for seg in segs:
        if seg.row <= last.row or seg.row > last.row + 1:
            continue
        if last.x1 < right - 3 * last.h or CLAUSE_START.match(seg.compact) or _HEADING.match(seg.compact):
            break
        parts.append(seg.compact)
        last = seg
    return "".join(parts)


def _grid_columns(text: ContractText, h: Heading, headings: list[Heading]) -> list[Segment] | None:
    """A heading printed alone at the top of a column (a table's, or a block's beside another party's): this
    party's cells of the rows below (see :mod:`extractors.contract.columns`); None when it heads no column."""
    if not h.alone:
        return None
    same_row = sorted((x for x in headings if x.seg.page == h.seg.page and x.seg.row == h.seg.row),
                      key=lambda x: x.seg.x0)
    if len(same_row) < 2:
        return None
    stop = {id(x.seg) for x in headings if x.seg.row != h.seg.row}
    return column_rows(text, [x.seg for x in same_row], same_row.index(h), PARTY_LABELS, stop)


def _below(text: ContractText, h: Heading, headings: list[Heading]) -> list[Segment]:
    """Labelled rows under the heading in its column, up to the next heading or an unlabelled line; a label in
    a cell of its own (a label | value table) is joined with the value cells beside it. A run OCR read across
    the gap into the next party's column is cut at that party's label, and a value's wrapped last line (short,
    right under it) joins it."""
    heads = {id(x.seg) for x in headings}
    same_row = [x.seg for x in headings if x.seg.page == h.seg.page and x.seg.row == h.seg.row and x is not h]
    # a column ends a text height left of the next heading (OCR boxes of one column do not line up exactly)
    right_edge = min((s.x0 - s.h for s in same_row if s.x0 > h.seg.x0), default=float("inf"))
    left_edge = max((s.x1 for s in same_row if s.x1 <= h.seg.x0), default=float("-inf"))
    by_row: dict[int, list[Segment]] = {}
    for seg in text.segments:
        if seg.page != h.seg.page or seg.row <= h.seg.row:
            continue
        if left_edge <= seg.x0 < right_edge:
            part: Segment | None = _cut_at_label(seg, right_edge, head=True) if seg.x1 > right_edge else seg
        elif seg.x0 < left_edge < seg.x1:
            part = _cut_at_label(seg, h.seg.x0, head=False)
        else:
            part = None
        if part is not None:
            by_row.setdefault(seg.row, []).append(part)
    out: list[Segment] = []
    for row in sorted(by_row):
        segs = sorted(by_row[row], key=lambda s: s.x0)
        first = segs[0]
        if first.x0 < h.seg.x0 - 3 * h.seg.h:
            continue
        if any(id(s) in heads for s in segs):
            break
        if not starts_with_label(first.compact, PARTY_LABELS):
            if out and len(segs) == 1 and _wraps(out[-1], first, right_edge):
                out[-1] = _joined_line(out[-1], first)
                continue
            break
        out.append(_joined(segs) if _bare_label(first.compact) and len(segs) > 1 else first)
        out += [s for s in segs[1:] if not _bare_label(first.compact) and starts_with_label(s.compact, PARTY_LABELS)]
    return out


#: Labels that may start the part of a run printed in the next party's column (a label with its colon).
_LABEL_AT = re.compile("(?:" + "|".join(sorted({re.escape(label) for label, key in PARTY_LABELS if key},
                                                key=len, reverse=True)) + ")[:：]")


def _x_at(seg: Segment, index: int) -> float:
    """Where character ``index`` of a run starts (Chinese characters twice as wide as digits/letters)."""
    return x_at(seg.compact, index, seg.x0, seg.x1)


def _cut_at_label(seg: Segment, edge: float, *, head: bool) -> Segment | None:
    """The part of ``seg`` before (``head``) or from the label that starts nearest ``edge`` (where the next
    column's heading starts); the whole run (head) or None (tail) when no label starts near it."""
    near = [(abs(_x_at(seg, m.start()) - edge), m.start()) for m in _LABEL_AT.finditer(seg.compact)
            if m.start() > 0 and abs(_x_at(seg, m.start()) - edge) <= 4 * seg.h]
    if not near:
        return seg if head else None
    cut = min(near)[1]
    x = _x_at(seg, cut)
    if head:
        return Segment(seg.page, seg.row, seg.compact[:cut], seg.x0, seg.y0, x, seg.y1, seg.conf, seg.page_w,
                       seg.page_h)
    return Segment(seg.page, seg.row, seg.compact[cut:], x, seg.y0, seg.x1, seg.y1, seg.conf, seg.page_w,
                   seg.page_h)


def _wraps(last: Segment, line: Segment, right_edge: float) -> bool:
    """Whether ``line`` is the wrapped end of ``last``'s value: ``last`` ran to its column's edge, and the
    short line starts under it on the next line."""
    full = last.x1 >= right_edge - 3 * last.h if right_edge != float("inf") else False
    return (full and abs(line.x0 - last.x0) <= 2 * last.h and -0.5 * last.h <= line.y0 - last.y1 <= 1.5 * last.h
            and len(line.compact) <= 8 and not CLAUSE_START.match(line.compact))


def _joined_line(last: Segment, line: Segment) -> Segment:
    return Segment(last.page, last.row, last.compact + line.compact, last.x0, last.y0, max(last.x1, line.x1),
                   line.y1, min(last.conf, line.conf), last.page_w, last.page_h)


def _bare_label(compact: str) -> bool:
    """Whether a run is a label alone (a table's label cell: 统一社会信用代码, 住所：)."""
    return any(compact.rstrip(":：") == label for label, _ in PARTY_LABELS)


def _joined(segs: list[Segment]) -> Segment:
    """A label cell and the value cells after it as one ``label：value`` segment."""
    first = segs[0]
    text = f"{first.compact.rstrip(':：')}：{''.join(s.compact for s in segs[1:])}"
    return Segment(first.page, first.row, text, first.x0, min(s.y0 for s in segs), max(s.x1 for s in segs),
                   max(s.y1 for s in segs), min(s.conf for s in segs), first.page_w, first.page_h)
