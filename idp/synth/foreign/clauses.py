"""Contract clause texts, by key: a heading and a body with placeholders filled from the contract's terms.

The bodies deliberately carry other amounts (违约金 per day, 运费, 定金/预付款, 质保金) that are not the
contract total, and dates that are not the signing date, as real contracts do.
"""

from __future__ import annotations

#: key → (heading, body template). ``{S}``/``{B}`` are the seller's and buyer's short role words.
CLAUSES: dict[str, tuple[str, str]] = {
    "project": ("项目概况",
                "{B}因生产经营需要，向{S}采购下列设备及配套物资。{S}已充分了解{B}的使用要求、现场条件及相关技术规范，"
                "并保证所供货物为全新、未使用过的合格产品，符合国家有关安全、环保、节能的强制性标准。"),
    "documents": ("合同文件组成及解释顺序",
                  "下列文件构成本合同不可分割的组成部分：（1）本合同书；（2）补充协议；（3）技术协议及附件；"
                  "（4）{B}的采购询价文件；（5）{S}的报价文件。上述文件互为补充，如有不一致，以排列在前者为准。"
                  "合同履行中双方签署的会议纪要、往来函件经双方确认的，亦构成合同的组成部分。"),
    "goods": ("产品名称、规格型号、数量及价款", ""),
    "goods_model": ("标的、数量、价款及交(提)货时间", ""),
    "quality": ("质量标准",
                "产品质量执行国家标准及行业标准，无国家标准、行业标准的按生产企业标准执行；{S}提供产品合格证及"
                "出厂检验报告。"),
    "packaging": ("包装标准",
                  "按行业通用包装，包装物不回收，费用由{S}承担。因包装不当造成货物损坏的，由{S}负责。"),
    "delivery": ("交货时间及地点",
                 "{S}应于{delivery}前将货物送至{B}指定地点：{address}。{B}收货人：{receiver}。"),
    "delivery_per_line": ("交货",
                          "{S}按上表所列交货日期分批交货，最迟不晚于{delivery}；交货地点为{B}仓库（{address}）。"),
    "transport": ("运输方式及费用", "汽车运输，{S}送货上门，运输费用及途中风险由{S}承担。"),
    "freight": ("运费",
                "本批货物运费共计{freight}元，由{B}另行支付，不包含在合同价款内。"),
    "installation": ("安装调试", "{S}负责设备的安装调试及操作培训，调试期间的差旅费用由{S}自理。"),
    "acceptance": ("验收",
                   "{B}应在收货后{check_days}日内按本合同约定验收，对数量、外观有异议的应在验收期内书面提出，"
                   "逾期未提出视为验收合格。"),
    "tax": ("税费", "本合同单价为含税价，增值税税率为{tax_rate}，{S}应向{B}开具增值税专用发票。"),
    "payment": ("结算方式及期限",
                "{B}在货到验收合格并收到{S}开具的增值税专用发票后{pay_days}日内，以银行转账方式一次性付清货款。"),
    "payment_deposit": ("付款方式",
                        "合同签订后{advance_days}日内{B}向{S}支付合同总价的{deposit_pct}%作为预付款，即{deposit}元；"
                        "余款在货到验收合格后{pay_days}日内付清。"),
    "payment_terms": ("付款条件",
                      "货到验收合格后{pay_days}日内{B}支付至合同总价的{paid_pct}%，剩余{warranty_pct}%作为质量保证金"
                      "（计{retention}元），质保期满无质量问题后无息支付。"),
    "warranty": ("质保期", "质保期为验收合格之日起{warranty_months}个月，质保期内非人为损坏由{S}免费维修或更换。"),
    "ownership": ("所有权转移", "标的物所有权自交付时起转移，但{B}未付清全部价款前，所有权仍属于{S}。"),
    "breach": ("违约责任",
               "{S}逾期交货的，每逾期一日按逾期交货部分货款的{penalty_rate}向{B}支付违约金；{B}逾期付款的，"
               "每逾期一日按逾期付款金额的{penalty_rate}向{S}支付违约金。"),
    "breach_daily": ("违约责任",
                     "任何一方逾期履行的，每逾期一日应向对方支付违约金{penalty_daily}元，违约金总额不超过"
                     "{penalty_cap}元；给对方造成损失的，还应赔偿损失。"),
    "confidential": ("保密", "双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，本条款在合同终止后仍然有效。"),
    "dispute": ("争议解决", "因本合同引起的争议，双方应协商解决；协商不成的，向{court}人民法院提起诉讼。"),
    "effect": ("其他", "本合同自双方签字盖章之日起生效，有效期至{valid_until}。本合同一式两份，双方各执一份。"),
    "effect_copies": ("合同生效",
                      "本合同经双方法定代表人或委托代理人签字并加盖公章或合同专用章后生效。本合同一式{copies}份，"
                      "双方各执{half}份，具有同等法律效力。"),
}
#: Clause numbering styles: the nth heading's prefix.
_CN = "一二三四五六七八九十"


def number(style: str, n: int) -> str:
    """The prefix of clause ``n`` (1-based) in ``style``: 第一条 / 一、 / 1. / 1、 / （一）."""
    cn = _CN[n - 1] if n <= 10 else "十" + _CN[n - 11]
    if style == "第一条":
        return f"第{cn}条"
    if style == "一、":
        return f"{cn}、"
    if style == "1.":
        return f"{n}."
    if style == "1、":
        return f"{n}、"
    if style == "（一）":
        return f"（{cn}）"
    raise ValueError(f"unknown clause style {style!r}")


def text(key: str, terms: dict[str, str]) -> tuple[str, str]:
    """(heading, body) of clause ``key`` with ``terms`` filled in."""
    heading, body = CLAUSES[key]
    return heading, body.format(**terms)
