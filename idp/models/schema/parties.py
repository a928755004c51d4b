"""Parties to a document: the words that name a party's role, and the fields every party block carries.

Invoices print 购买方/销售方 (older forms 购货单位/销货单位); contracts name the parties by role in many ways
(买方/卖方, 需方/供方, 买受人/出卖人, 采购方/供货方 …) and often by letter (甲方/乙方), which may be either role.
"""

from __future__ import annotations

from dataclasses import dataclass

from idp.models.schema.spec import FieldSpec, Part
from idp.models.schema.values import ValueType

#: Words that name the buying party, most specific first (a contract's letter 甲/乙 is resolved by its role word).
BUYER_WORDS: tuple[str, ...] = (
    "购买方", "购货单位", "购货方", "采购方", "采购单位", "买受人", "订货方", "订购方", "需求方", "需方", "买方",
    "购方", "采购人", "订货单位", "订购单位", "需求单位", "采购商", "订购商", "订货商",
)
#: Words that name the selling party.
SELLER_WORDS: tuple[str, ...] = (
    "销售方", "销货单位", "销货方", "供货方", "供货单位", "供应方", "出卖人", "出售方", "卖方", "供方", "销方",
    "供应商", "供应单位", "销售单位", "供货商", "销售商",
)
#: Letters contracts use for their parties; which role each letter has is read from the text.
PARTY_LETTERS: tuple[str, ...] = ("甲方", "乙方", "丙方")
ROLES: dict[str, tuple[str, ...]] = {"buyer": BUYER_WORDS, "seller": SELLER_WORDS}
ROLE_LABELS: dict[str, str] = {"buyer": "买方", "seller": "卖方"}


@dataclass(frozen=True)
class PartyField:
    """A field of a party block: ``<role>_<key>``."""

    key: str
    label: str
    type: ValueType
    synonyms: tuple[str, ...]
    four_eyes: bool = False
    decisive: bool = False
    informational: bool = False


def party_fields(role: str, role_label: str, keys: tuple[PartyField, ...], *,
                 authority: dict[str, str] | None = None) -> tuple[FieldSpec, ...]:
    """The ``<role>_<key>`` field specs of one party (labels read e.g. 购买方名称)."""
    authority = authority or {}
    return tuple(
        FieldSpec(
            name=f"{role}_{p.key}", label=f"{role_label}{p.label}", type=p.type, part=Part.PARTIES,
            synonyms=p.synonyms, four_eyes=p.four_eyes, decisive=p.decisive, informational=p.informational,
            authority_key=authority.get(p.key),
        )
        for p in keys
    )


NAME = PartyField("name", "名称", ValueType.NAME, ("名称", "单位名称", "公司名称", "企业名称", "户名"), decisive=True)
TAX_ID = PartyField(
    "tax_id", "纳税人识别号", ValueType.TAX_ID,
    ("统一社会信用代码/纳税人识别号", "纳税人识别号", "统一社会信用代码", "社会信用代码", "信用代码", "税号",
     "纳税识别号", "税务登记号", "识别号"),
    four_eyes=True, decisive=True,
)
ADDRESS_PHONE = PartyField("address_phone", "地址、电话", ValueType.TEXT, ("地址、电话", "地址电话", "地址及电话"),
                           informational=True)
BANK_ACCOUNT = PartyField(
    "bank_account", "开户行及账号", ValueType.TEXT, ("开户行及账号", "开户银行及账号", "开户行及帐号"), four_eyes=True,
    informational=True,
)
LEGAL_REP = PartyField("legal_rep", "法定代表人", ValueType.NAME,
                       ("法定代表人", "法人代表", "法定代表", "负责人"))
ADDRESS = PartyField("address", "地址", ValueType.TEXT,
                     ("住所地", "住所", "通讯地址", "注册地址", "联系地址", "公司地址", "单位地址", "地址"),
                     informational=True)
CONTACT = PartyField("contact", "联系人", ValueType.NAME,
                     ("委托代理人", "授权代表", "代理人", "联系人", "经办人"), informational=True)
PHONE = PartyField("phone", "电话", ValueType.IDENTIFIER, ("联系电话", "电话", "手机", "传真"), informational=True)
BANK = PartyField("bank", "开户银行", ValueType.TEXT, ("开户银行", "开户行", "开户行名称"), informational=True)
ACCOUNT = PartyField("account", "银行账号", ValueType.IDENTIFIER,
                     ("银行账号", "账号", "帐号", "银行帐号", "账户"), four_eyes=True, informational=True)
