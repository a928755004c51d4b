"""The purchase-sale contract (购销合同 / 采购合同 / 买卖合同): parties by role, terms, goods, totals, seals."""

from __future__ import annotations

from idp.models.schema import parties as p
from idp.models.schema.spec import Constraint, ConstraintKind, DocumentSchema, FieldSpec, Part
from idp.models.schema.values import ValueType

_V = ValueType

#: Contract-number labels by how surely they name the contract number: the contract's own, an order's, a bare
#: 编号/No. (the bare ones only where no other word stands before them: 项目编号 and 招标编号 are other codes).
NUMBER_LABEL_TIERS = (("合同编号", "合同号", "合同编码", "协议编号", "协议号"), ("订单编号", "订单号", "采购订单号"),
                      ("编号", "No.", "NO.", "No"))

HEADER = (
    FieldSpec("title", "合同名称", _V.TEXT, Part.HEADER, informational=True),
    # the contract's reference: shown and returned, but no check of the decision rests on it
    FieldSpec("contract_number", "合同编号", _V.IDENTIFIER, Part.HEADER,
              tuple(label for tier in NUMBER_LABEL_TIERS for label in tier), informational=True),
    FieldSpec("sign_date", "签订日期", _V.DATE, Part.HEADER,
              ("签订日期", "签订时间", "签约日期", "签署日期", "订立日期", "签订于")),
    FieldSpec("sign_place", "签订地点", _V.TEXT, Part.HEADER, ("签订地点", "签约地点", "签订地", "签署地点"),
              informational=True),
    FieldSpec("page_count", "页数", _V.COUNT, Part.HEADER, informational=True),
)
_PARTY_KEYS = (p.NAME, p.TAX_ID, p.LEGAL_REP, p.ADDRESS, p.CONTACT, p.PHONE, p.BANK, p.ACCOUNT)
PARTIES = (
    *p.party_fields("buyer", "买方", _PARTY_KEYS),
    *p.party_fields("seller", "卖方", _PARTY_KEYS),
    FieldSpec("buyer_letter", "买方称谓", _V.TEXT, Part.PARTIES, informational=True),
    FieldSpec("seller_letter", "卖方称谓", _V.TEXT, Part.PARTIES, informational=True),
)
TOTALS = (
    FieldSpec("total_amount", "合同总金额", _V.MONEY, Part.TOTALS,
              ("合同总金额", "合同总价款", "合同总价", "合同价款", "合同金额", "总价款", "价款总计", "总金额",
               "合计金额", "合计人民币", "价税合计", "总计", "合计", "总价", "总额", "小写"),
              four_eyes=True, decisive=True),
    FieldSpec("total_in_words", "合同总金额(大写)", _V.WORDS, Part.TOTALS,
              ("人民币(大写)", "合计人民币(大写)", "金额大写", "大写金额", "人民币大写", "(大写)", "大写"),
              four_eyes=True, decisive=True),
    # the contract's tax terms: shown; the invoices carry the tax the checks compare
    FieldSpec("tax_rate", "税率", _V.RATE, Part.TOTALS, ("税率", "增值税税率"), informational=True),
    FieldSpec("tax_included", "是否含税", _V.FLAG, Part.TOTALS, ("含税",), informational=True),
)
TERMS = (
    # a term of the deal that no check of the decision uses (a misread can only raise the date-order flag):
    # shown with its honest confidence, gating only under a policy that names it
    FieldSpec("delivery_date", "交货日期", _V.DATE, Part.TERMS,
              ("交货日期", "交货时间", "交货期限", "交付日期", "交付时间", "供货日期", "供货时间", "到货日期",
               "到货时间", "发货日期", "送货日期", "交货期"), informational=True),
    FieldSpec("delivery_terms", "交货条款", _V.TEXT, Part.TERMS, ("交货方式", "交货地点", "交货"), informational=True),
    FieldSpec("payment_terms", "付款方式", _V.TEXT, Part.TERMS, ("付款方式", "结算方式", "付款条件", "支付方式"),
              informational=True),
    FieldSpec("valid_until", "有效期至", _V.DATE, Part.TERMS, ("有效期至", "有效期限")),
    FieldSpec("validity", "有效期条款", _V.TEXT, Part.TERMS, ("有效期",), informational=True),
)
SEALS = tuple(
    FieldSpec(f"{mark}_{role}{suffix}", f"{role_label}{mark_label}{label_suffix}", kind, Part.SEALS,
              decisive=mark == "seal" and not suffix, informational=mark == "signature" or bool(suffix))
    for mark, mark_label in (("seal", "盖章"), ("signature", "签字"))
    for role, role_label in (("buyer", "买方"), ("seller", "卖方"))
    for suffix, label_suffix, kind in (("", "", _V.FLAG), ("_page", "所在页", _V.COUNT))
)
ITEMS = (
    FieldSpec("name", "货物名称", _V.TEXT, Part.ITEMS,
              ("产品名称", "货物名称", "商品名称", "标的名称", "物资名称", "材料名称", "设备名称", "物料名称",
               "货品名称", "品名", "名称", "品种")),
    # shown and returned; the goods checks compare names and units, so no decision rests on it
    FieldSpec("spec", "规格型号", _V.TEXT, Part.ITEMS,
              ("规格型号", "规格/型号", "型号规格", "规格及型号", "型号及规格", "规格", "型号", "材质"),
              informational=True),
    FieldSpec("unit", "单位", _V.TEXT, Part.ITEMS, ("计量单位", "单位")),
    FieldSpec("quantity", "数量", _V.DECIMAL, Part.ITEMS,
              ("订购数量", "采购数量", "订货数量", "购买数量", "订货量", "采购量", "数量")),
    FieldSpec("price", "单价", _V.DECIMAL, Part.ITEMS,
              ("含税单价(元)", "含税单价（元）", "含税单价", "不含税单价", "单价(元)", "单价（元）", "含税价", "单价"),
              four_eyes=True),
    FieldSpec("amount", "金额", _V.MONEY, Part.ITEMS,
              ("含税金额(元)", "含税金额（元）", "含税金额", "金额(元)", "金额（元）", "总价(元)", "总价（元）",
               "小计(元)", "小计（元）", "含税总价", "含税合价", "合价", "总价", "金额", "小计", "价款", "合计"),
              four_eyes=True),
)
#: Column headers that number the rows (序号) and carry no item value.
ROW_NUMBER_HEADERS = ("序号", "编号", "行号", "No.", "NO.", "No")
#: Headers of goods-table columns that hold no scored value (kept apart so their text joins no other column).
OTHER_COLUMNS = ("生产厂家", "品牌", "牌号商标", "商标", "牌号", "厂家", "制造商", "原产地", "产地", "交货期",
                 "交货时间", "交(提)货时间及数量", "交(提)货时间", "交提货时间", "交货日期", "到货时间", "备注", "税率",
                 "包装", "质保期")
#: Words that label an amount which is NOT the contract total (a deposit, a penalty, freight …): an amount
#: printed after one of them is never taken for the total, however large.
NOT_TOTAL_WORDS = ("违约金", "运费", "运输费", "定金", "订金", "预付款", "预付", "首付款", "质保金", "保证金", "押金",
                   "赔偿金", "赔偿", "罚款", "利息", "尾款", "余款", "进度款", "滞纳金", "保险费", "服务费", "安装费")
#: Verbs and labels that tie a date in a clause to what happens on it; a date belongs to the nearest one.
DATE_ACTIONS: dict[str, tuple[str, ...]] = {
    "delivery": ("交货", "交付", "送货", "供货", "到货", "送达", "送至", "运至", "发货", "发运", "提货", "完成安装"),
    "sign": ("签订", "签署", "签约", "订立", "签字盖章"),
    "payment": ("付款", "支付", "付清", "结清", "结算", "预付", "汇款", "货款", "开具发票", "开票"),
    "validity": ("生效", "有效期", "届满", "终止", "失效"),
    "acceptance": ("验收",),
}
#: A relative delivery term counts from one of these (签订后30日内); other starts (收到预付款后) give no date.
RELATIVE_FROM_SIGNING = ("签订", "签署", "签约", "生效", "订立")
CONSTRAINTS = (
    Constraint("items_amount_sum", ConstraintKind.SUM_OF_ITEMS, ("total_amount",), target="total_amount",
               item_field="amount", description="货物金额之和 = 合同总金额"),
    Constraint("words_equal_figures", ConstraintKind.WORDS_EQUAL, ("total_in_words",), target="total_amount",
               description="合同总金额大写 = 小写"),
    Constraint("line_product", ConstraintKind.LINE_PRODUCT, ("quantity", "price"), target="amount",
               description="数量 × 单价 = 金额"),
    Constraint("signed_before_delivery", ConstraintKind.DATE_ORDER, ("sign_date", "delivery_date"),
               description="签订日期不晚于交货日期"),
)

SCHEMA = DocumentSchema(
    kind="purchase_contract", label="购销合同", fields=HEADER + PARTIES + TOTALS + TERMS + SEALS, items=ITEMS,
    item_label="货物明细", constraints=CONSTRAINTS,
    titles=("购销合同", "采购合同", "买卖合同", "销售合同", "供货合同", "订货合同", "购货合同", "订购合同", "合同书",
            "采购订单", "订货单", "订购单", "合同", "协议"),
)
