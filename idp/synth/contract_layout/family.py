"""Contract layout families as data: one TOML file per family under ``families/``.

A family names everything that makes one contract layout look unlike another (label words, party block style,
clause numbering, goods-table columns and their header words, total phrasing, number and date formats, fonts,
headers and footers, distracting amounts); the values printed still vary by seed inside a family. Unknown keys
are errors, so a typo in a family file never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

FAMILY_DIR = Path(__file__).with_name("families")
#: Columns a goods table may have; the ones in ``SCORED_COLUMNS`` are in the truth.
COLUMNS = ("no", "name", "spec", "brand", "unit", "quantity", "price", "amount", "delivery", "origin", "remark")
#: Party details a family may print, in the truth when printed.
PARTY_KEYS = ("name", "tax_id", "address", "legal_rep", "contact", "phone", "bank", "account")
_CHOICES: dict[str, tuple[str, ...]] = {
    "first": ("buyer", "seller"),
    "date_format": ("cn", "cn_padded", "iso", "dot", "slash", "cn_upper"),
    "header_style": ("right", "left", "table", "inline"),
    "place": ("header", "preamble", "signature", "clause", "none"),
    "date_where": ("header", "preamble", "signature"),
    "party_style": ("stacked", "side_by_side", "grid", "pairs", "rows", "table", "inline", "none"),
    "numbering": ("第一条", "一、", "1.", "（一）"),
    "rules": ("grid", "rows", "none"),
    "total_row": ("none", "figures", "words", "words_figures", "two_rows"),
    "money": ("comma", "plain", "yen", "yen_plain", "comma_yuan"),
    "valign": ("top", "middle"),
    "sign_style": ("side_by_side", "stacked", "grid", "table", "label_table", "name_tables"),
    "party_valign": ("top", "middle"),
    "party_where": ("top", "end"),
    "seal_place": ("beside", "cell", "name"),
    "face": ("sc", "tc", "jp"),
    "delivery": ("date", "days", "clause_dates", "date_and_days", "label", "column"),
}
_DISTRACTORS = ("penalty_amount", "penalty_rate", "freight", "deposit_percent", "deposit_amount", "warranty",
                "prepay_amount", "page_total")


@dataclass(frozen=True)
class Family:
    """One layout family of purchase-sale contracts (see the module docstring)."""

    name: str
    description: str = ""
    titles: tuple[str, ...] = ("购销合同",)
    title_spaced: bool = False
    # roles: headings of the two party blocks, and the short names clauses use
    buyer_heading: str = "甲方（需方）"
    seller_heading: str = "乙方（供方）"
    buyer_short: str = "甲方"
    seller_short: str = "乙方"
    first: str = "buyer"
    # header: contract number, signing date and place
    number_formats: tuple[str, ...] = ("HT-{y}-{n:04d}",)
    number_label: str = "合同编号"
    date_format: str = "cn_padded"
    header_style: str = "right"
    place: str = "header"
    place_label: str = "签订地点"
    date_where: str = "header"
    date_label: str = "签订日期"
    #: Labels of other codes printed beside the number (项目编号, 招标编号 …), before it.
    other_codes: tuple[str, ...] = ()
    # parties at the top: style and the labels printed (a key without a label is not printed)
    party_style: str = "stacked"
    party_labels: dict[str, str] = field(default_factory=dict)
    party_where: str = "top"  #: "end": the party details follow the clauses (a details block above the signing)
    #: where a label sits beside a value wrapped over lines in a party table: on its first line, or centred
    party_valign: str = "top"
    #: addresses carry a building and room (long enough to wrap in a table cell)
    address_rooms: bool = False
    # clauses
    numbering: str = "第一条"
    preamble: bool = True
    delivery: str = "date"
    validity: bool = True
    # goods table
    columns: tuple[str, ...] = ("no", "name", "spec", "unit", "quantity", "price", "amount")
    column_labels: dict[str, str] = field(default_factory=dict)
    rules: str = "grid"
    total_row: str = "words_figures"
    total_row_label: str = "合计人民币（大写）："
    money: str = "comma"
    valign: str = "top"
    wrap: int = 0  #: name cells wrap after this many characters (0: column width decides)
    repeat_header: bool = True
    items: tuple[int, int] = (1, 5)
    table_size: float = 9.5
    # totals: the sentence that states the total ("" for none); {figures} {words} {tax} {yen}
    total_phrase: str = "合同总金额：人民币{figures}元（大写：{words}），以上价格含{tax}增值税。"
    # signing block and the party details printed there
    sign_style: str = "side_by_side"
    sign_labels: dict[str, str] = field(default_factory=dict)
    sign_seal_word: str = "（盖章）"
    #: role words the signing part prints (default: the short names), e.g. 供方/需方 under 甲方/乙方 headings
    buyer_sign: str = ""
    seller_sign: str = ""
    #: where a seal is stamped: beside the heading, over the middle of its party's cell/column, or over the name
    seal_place: str = "beside"
    #: least height (pt) of a stacked signing block: under the 112 pt seal, the seals of the two blocks overlap
    sign_room: float = 120.0
    #: the label of the name row in a signing table (单位名称（章）); "" prints the name alone
    sign_name_label: str = ""
    #: a signing line prints the party's name after its heading (甲方（盖章）：某公司); False leaves it blank
    sign_name: bool = True
    #: the representative's line of a signing block without a legal_rep label
    sign_rep: str = "法定代表人或授权代表（签字）："
    # small amounts elsewhere on the page that must never be taken for the total
    distractors: tuple[str, ...] = ()
    # page furniture and type
    page_header: str = ""
    page_footer: str = "第{page}页 共{pages}页"
    face: str = "sc"
    body_size: float = 10.5
    title_size: float = 20.0
    bold_title: bool = False

    @property
    def jia_is_buyer(self) -> bool:
        return "甲" in self.buyer_heading or "甲" in self.buyer_short


_TABLES = {
    "roles": ("buyer_heading", "seller_heading", "buyer_short", "seller_short", "first"),
    "header": ("number_formats", "number_label", "date_format", "header_style", "place", "place_label",
               "date_where", "date_label", "other_codes"),
    "parties": ("party_style", "party_labels", "party_where", "party_valign", "address_rooms"),
    "clauses": ("numbering", "preamble", "delivery", "validity", "total_phrase", "distractors"),
    "goods": ("columns", "column_labels", "rules", "total_row", "total_row_label", "money", "valign", "wrap",
              "repeat_header", "items", "table_size"),
    "signature": ("sign_style", "sign_labels", "sign_seal_word", "buyer_sign", "seller_sign", "seal_place",
                  "sign_room", "sign_name_label", "sign_name", "sign_rep"),
    "page": ("page_header", "page_footer", "face", "body_size", "title_size", "bold_title"),
}


def parse_family(data: dict[str, object], name: str) -> Family:
    """A :class:`Family` from the parsed TOML of ``name``; ``ValueError`` naming any bad key."""
    known = {f.name for f in fields(Family)}
    flat: dict[str, object] = {"name": name}
    for key, value in data.items():
        if key in _TABLES and isinstance(value, dict):
            for sub, item in value.items():
                if sub not in _TABLES[key]:
                    raise ValueError(f"合同版式族 {name}: 未知键 [{key}].{sub} (unknown key)")
                flat[sub] = item
        elif key in known and key not in {k for keys in _TABLES.values() for k in keys}:
            flat[key] = value
        else:
            raise ValueError(f"合同版式族 {name}: 未知键 {key} (unknown key)")
    for key, value in list(flat.items()):
        if isinstance(value, list):
            flat[key] = tuple(value)
    family = Family(**flat)  # type: ignore[arg-type]
    _check(family)
    return family


def _check(f: Family) -> None:
    for key, allowed in _CHOICES.items():
        if getattr(f, key) not in allowed:
            raise ValueError(f"合同版式族 {f.name}: {key}={getattr(f, key)!r} 不在 {allowed}")
    bad = [c for c in f.columns if c not in COLUMNS] + [d for d in f.distractors if d not in _DISTRACTORS]
    bad += [k for k in (*f.party_labels, *f.sign_labels) if k not in PARTY_KEYS]
    if bad:
        raise ValueError(f"合同版式族 {f.name}: 未知列/项 {bad}")
    if not {"name", "amount"} <= set(f.columns) or len(f.items) != 2 or not 1 <= f.items[0] <= f.items[1]:
        raise ValueError(f"合同版式族 {f.name}: 货物表须有 name 与 amount 列, items=[min, max]")
    if f.delivery == "column" and "delivery" not in f.columns:
        raise ValueError(f"合同版式族 {f.name}: delivery=column 须有 delivery 列")


@cache
def families() -> dict[str, Family]:
    """Every family shipped under ``families/``, by name (file stem), in name order."""
    out = {}
    for path in sorted(FAMILY_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            out[path.stem] = parse_family(tomllib.load(fh), path.stem)
    return out


def family(name: str) -> Family:
    found = families().get(name)
    if found is None:
        raise ValueError(f"未知合同版式族 {name!r} (unknown contract family); 可选: {sorted(families())}")
    return found
