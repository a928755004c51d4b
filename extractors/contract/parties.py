"""Contract parties by role words, not by letter: 买方/需方/采购方 buy, 卖方/供方/销售方 sell, whichever
of them the contract calls 甲方. A party block (name, USCC, address, legal representative, contact) is
the labelled lines under its heading in its column; its signing block (盖章/签字) is where seals are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.contract.text import ContractText, Segment
from extractors.text.labels import split_labelled, starts_with_label
from extractors.text.patterns import cjk_text, tax_id
from idp.models import Mark, MarkKind

_BUYER_WORDS = ("买方", "需方", "采购方", "购货方", "买受人", "订货方", "购方")
_SELLER_WORDS = ("卖方", "供方", "销售方", "供货方", "出卖人", "供应商", "销方")
_ROLE_WORDS = "|".join(_BUYER_WORDS + _SELLER_WORDS)
_HEADING = re.compile(
    rf"^(?P<head>(?:(?P<l1>甲|乙|丙)方|(?P<r1>{_ROLE_WORDS}))"
    rf"(?:[(（](?:(?P<l2>甲|乙)方|(?P<r2>{_ROLE_WORDS})|以下简称[“\"]?(?P<r3>{_ROLE_WORDS}|[甲乙]方)[”\"]?)[)）])?)"
    r"(?P<seal>[(（]?(?:盖章|签章|公章|签字|签名|盖章处)[)）]?)?\s*[:：]?\s*(?P<rest>.*)$"
)
#: Text cues that fix which letter buys when headings carry letters only.
_SELLS = re.compile(r"(甲|乙)方向(甲|乙)方(?:供应|供货|销售|出售|提供|交付)")
_BUYS = re.compile(r"(甲|乙)方向(甲|乙)方(?:购买|采购|订购|购进)")
#: Labels of a party block → field key.
PARTY_LABELS: list[tuple[str, str]] = [
    ("统一社会信用代码", "tax_id"), ("社会信用代码", "tax_id"), ("纳税人识别号", "tax_id"),
    ("信用代码", "tax_id"),
    ("税号", "tax_id"), ("注册地址", "address"), ("通讯地址", "address"), ("地址", "address"),
    ("住所", "address"), ("住址", "address"), ("法定代表人", "legal_rep"), ("法人代表", "legal_rep"),
    ("法定代表", "legal_rep"), ("负责人", "legal_rep"), ("委托代理人", "contact"), ("授权代表", "contact"),
    ("联系人", "contact"), ("经办人", "contact"), ("代理人", "contact"), ("联系电话", "phone"),
    ("电话", "phone"), ("手机", "phone"), ("传真", ""), ("开户银行", "bank"), ("开户行", "bank"),
    ("账号", "account"), ("帐号", "account"), ("邮编", ""), ("名称", "name"), ("单位名称", "name"),
    ("公司名称", "name"), ("日期", ""), ("签订日期", ""),
]  # fmt: skip
_SIGN_WORDS = re.compile(r"盖章|签章|公章|签字|签名")


@dataclass
class Heading:
    """A party heading: its role ('buyer'/'seller' or None), letter (甲/乙), name printed after it."""

    seg: Segment
    role: str | None
    letter: str | None
    name: str
    signature: bool


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
        labelled = (
            re.match(r"^[^:：]{1,16}[:：]", seg.compact)
            or m.group("seal")
            or m.group("l2")
            or m.group("r2")
            or m.group("r3")
            or not rest
        )
        if not labelled:  # a clause sentence such as 甲方应在收货后…
            continue
        rest = re.sub(r"[(（]以下简称.*$", "", rest)
        # "甲方（盖章）：" lines and lines under a 签字/盖章 label are signature blocks
        signature = bool(m.group("seal")) or bool(_SIGN_WORDS.search(rest[:6]))
        rest = re.sub(r"^[(（]?(?:盖章|签章|公章|签字)[)）]?[:：]?", "", rest)
        out.append(Heading(seg, _role(role_word), letter, cjk_text(rest), signature))
    return out


def _role(word: str | None) -> str | None:
    if word in _BUYER_WORDS:
        return "buyer"
    if word in _SELLER_WORDS:
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


def party_blocks(text: ContractText, headings: list[Heading]) -> dict[str, PartyBlock]:
    """Per role, the first heading's block: labelled segments below it in its column, up to the next
    heading or the first unlabelled line."""
    blocks: dict[str, PartyBlock] = {}
    for h in headings:
        if h.role is None or h.role in blocks:
            continue
        block = PartyBlock(h.role, h)
        if h.name:
            block.values["name"] = (h.name, h.seg)
        for seg in _below(text, h, headings):
            for key, _label, value in split_labelled(seg.compact, PARTY_LABELS):
                if key and key not in block.values:
                    block.values[key] = (value, seg)
        blocks[h.role] = block
    return blocks


def _below(text: ContractText, h: Heading, headings: list[Heading]) -> list[Segment]:
    heads = {id(x.seg) for x in headings}
    same_row = [x.seg for x in headings if x.seg.page == h.seg.page and x.seg.row == h.seg.row and x is not h]
    right_edge = min((s.x0 for s in same_row if s.x0 > h.seg.x0), default=float("inf"))
    left_edge = max((s.x1 for s in same_row if s.x1 < h.seg.x0), default=float("-inf"))
    out = []
    for seg in text.segments:
        if seg.page != h.seg.page or seg.row <= h.seg.row or not left_edge <= seg.x0 < right_edge:
            continue
        if seg.x0 < h.seg.x0 - 3 * h.seg.h:
            continue
        if id(seg) in heads or not starts_with_label(seg.compact, PARTY_LABELS):
            break
        out.append(seg)
    return out


def clean_value(key: str, value: str) -> str | None:
    """A party value in its normalised form (tax ids compact, names with full-width brackets)."""
    if key == "tax_id":
        return tax_id(value)
    if key == "phone":
        m = re.search(r"[\d\-+()（）]{7,}", value)
        return m.group(0) if m else None
    if key in ("legal_rep", "contact"):
        name = re.split(r"[\s,，;；]|电话|联系|手机", cjk_text(value))[0]
        return name or None
    text = cjk_text(value)
    return text or None


def signature_blocks(text: ContractText, headings: list[Heading]) -> dict[str, Heading]:
    """Per role, the heading of its signing block: the last 盖章/签字 heading, else its last heading."""
    out: dict[str, Heading] = {}
    for h in headings:
        if h.role is None:
            continue
        current = out.get(h.role)
        if current is None or h.signature or not current.signature:
            out[h.role] = h
    return out


def marks_for(
    text: ContractText, sign: dict[str, Heading], marks: dict[int, list[Mark]], kind: MarkKind
) -> dict[str, tuple[Mark, int]]:
    """Each mark of ``kind`` given to the nearest signing block on its page (if near enough)."""
    found: dict[str, tuple[Mark, int, float]] = {}
    for page, page_marks in marks.items():
        w, h = text.sizes.get(page, (1.0, 1.0))
        for mark in page_marks:
            if mark.kind != kind:
                continue
            mx, my = mark.bbox.cx * w, mark.bbox.cy * h
            best: tuple[float, str] | None = None
            for role, head in sign.items():
                if head.seg.page != page:
                    continue
                seg = head.seg
                # the block runs from its heading down a few lines and across to the right
                bx0, bx1 = seg.x0 - 0.05 * w, max(seg.x1, seg.x0 + 0.4 * w)
                by0, by1 = seg.y0 - 0.08 * h, seg.y1 + 0.14 * h
                dx = max(bx0 - mx, 0.0, mx - bx1)
                dy = max(by0 - my, 0.0, my - by1)
                dist = (dx * dx + dy * dy) ** 0.5 + abs(mx - (seg.x0 + seg.x1) / 2) * 0.1
                if dx < 0.08 * w and dy < 0.08 * h and (best is None or dist < best[0]):
                    best = (dist, role)
            if best is not None and (best[1] not in found or best[0] < found[best[1]][2]):
                found[best[1]] = (mark, page, best[0])
    return {role: (mark, page) for role, (mark, page, _) in found.items()}
