"""The VAT invoice (增值税发票, every kind and form): header, parties, totals, footer, line items, constraints."""

from __future__ import annotations

from idp.models.schema import parties as p
from idp.models.schema.invoice_kinds import INVOICE_KINDS
from idp.models.schema.spec import Constraint, ConstraintKind, DocumentSchema, FieldSpec, Part
from idp.models.schema.values import ValueType

_V = ValueType

HEADER = (
    FieldSpec("invoice_title", "发票名称", _V.TEXT, Part.HEADER, informational=True),
    FieldSpec("invoice_kind", "发票种类", _V.CODE, Part.HEADER, four_eyes=True, decisive=True,
              authority_key="kind", qr_key="kind", choices=tuple((k.code, k.name) for k in INVOICE_KINDS)),
    FieldSpec("invoice_code", "发票代码", _V.DIGITS, Part.HEADER, ("发票代码",), lengths=(10, 12), four_eyes=True,
              decisive=True, authority_key="code", qr_key="invoice_code"),
    FieldSpec("invoice_number", "发票号码", _V.DIGITS, Part.HEADER, ("发票号码", "机打号码", "号码", "No"),
              lengths=(8, 20),
              four_eyes=True, decisive=True, authority_key="number", qr_key="invoice_number"),
    FieldSpec("issue_date", "开票日期", _V.DATE, Part.HEADER, ("开票日期", "填开日期", "开具日期"), four_eyes=True,
              decisive=True, authority_key="issue_date", qr_key="issue_date"),
    FieldSpec("check_code", "校验码", _V.DIGITS, Part.HEADER, ("校验码", "校 验 码"), lengths=(20,),
              four_eyes=True, decisive=True, authority_key="check_code", qr_key="check_code", verification_key=True),
    # the printer's number: shown and compared with the tax record; no check of the decision rests on it
    FieldSpec("machine_no", "机器编号", _V.DIGITS, Part.HEADER, ("机器编号", "机器码"), lengths=(9, 12),
              authority_key="machine_no", informational=True),
)
_PARTY_KEYS = (p.NAME, p.TAX_ID, p.ADDRESS_PHONE, p.BANK_ACCOUNT)
PARTIES = (
    *p.party_fields("buyer", "购买方", _PARTY_KEYS, authority={"name": "buyer_name", "tax_id": "buyer_tax_id"}),
    *p.party_fields("seller", "销售方", _PARTY_KEYS, authority={"name": "seller_name", "tax_id": "seller_tax_id"}),
)
TOTALS = (
    FieldSpec("amount_without_tax", "合计金额", _V.MONEY, Part.TOTALS, ("合计",), four_eyes=True, decisive=True,
              authority_key="amount_without_tax", qr_key="amount"),
    FieldSpec("tax_amount", "合计税额", _V.MONEY, Part.TOTALS, ("合计",), four_eyes=True, decisive=True,
              authority_key="tax_amount"),
    FieldSpec("total_with_tax", "价税合计(小写)", _V.MONEY, Part.TOTALS, ("(小写)", "小写", "价税合计"),
              four_eyes=True, decisive=True, authority_key="total_with_tax"),
    FieldSpec("total_in_words", "价税合计(大写)", _V.WORDS, Part.TOTALS, ("价税合计(大写)", "(大写)", "大写"),
              four_eyes=True, decisive=True),
)
FOOTER = (
    FieldSpec("remarks", "备注", _V.TEXT, Part.FOOTER, ("备注",), informational=True),
    FieldSpec("payee", "收款人", _V.NAME, Part.FOOTER, ("收款人",), informational=True),
    FieldSpec("reviewer", "复核", _V.NAME, Part.FOOTER, ("复核人", "复核"), informational=True),
    FieldSpec("drawer", "开票人", _V.NAME, Part.FOOTER, ("开票人",), informational=True),
)
ITEMS = (
    FieldSpec("name", "项目名称", _V.TEXT, Part.ITEMS,
              ("货物或应税劳务、服务名称", "货物或应税劳务名称", "货物(劳务)名称", "项目名称", "商品名称", "货物名称",
               "服务名称", "名称")),
    FieldSpec("spec", "规格型号", _V.TEXT, Part.ITEMS, ("规格型号", "规格", "型号"),
              informational=True),  # shown and returned; the goods checks compare names and units
    FieldSpec("unit", "单位", _V.TEXT, Part.ITEMS, ("计量单位", "单位")),
    FieldSpec("quantity", "数量", _V.DECIMAL, Part.ITEMS, ("数量",), four_eyes=True),
    FieldSpec("price", "单价", _V.DECIMAL, Part.ITEMS, ("单价", "不含税单价", "含税单价"), four_eyes=True),
    FieldSpec("amount", "金额", _V.MONEY, Part.ITEMS, ("金额", "不含税金额"), four_eyes=True),
    FieldSpec("tax_rate", "税率", _V.RATE, Part.ITEMS, ("税率/征收率", "征收率", "税率"), four_eyes=True),
    FieldSpec("tax", "税额", _V.MONEY, Part.ITEMS, ("税额",), four_eyes=True),
)
CONSTRAINTS = (
    Constraint("items_amount_sum", ConstraintKind.SUM_OF_ITEMS, ("amount_without_tax",), target="amount_without_tax",
               item_field="amount", description="明细金额之和 = 合计金额"),
    Constraint("items_tax_sum", ConstraintKind.SUM_OF_ITEMS, ("tax_amount",), target="tax_amount",
               item_field="tax", description="明细税额之和 = 合计税额"),
    Constraint("total_adds_up", ConstraintKind.ADDS_UP, ("amount_without_tax", "tax_amount"), target="total_with_tax",
               description="合计金额 + 合计税额 = 价税合计"),
    Constraint("words_equal_figures", ConstraintKind.WORDS_EQUAL, ("total_in_words",), target="total_with_tax",
               description="价税合计大写 = 小写"),
    Constraint("line_product", ConstraintKind.LINE_PRODUCT, ("quantity", "price"), target="amount",
               description="数量 × 单价 = 金额"),
    Constraint("line_tax", ConstraintKind.LINE_TAX, ("amount", "tax_rate"), target="tax",
               description="金额 × 税率 = 税额"),
)

SCHEMA = DocumentSchema(
    kind="vat_invoice", label="增值税发票", fields=HEADER + PARTIES + TOTALS + FOOTER, items=ITEMS,
    item_label="货物或应税劳务、服务", constraints=CONSTRAINTS,
    titles=("增值税专用发票", "增值税普通发票", "电子发票", "发票"),
)
