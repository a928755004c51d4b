"""The bank statement (银行流水 / 对账单): account header, period, balances and every transaction."""

from __future__ import annotations

from idp.models.schema.spec import Constraint, ConstraintKind, DocumentSchema, FieldSpec, Part
from idp.models.schema.values import ValueType

_V = ValueType

HEADER = (
    # which bank printed it: shown, but no check of the decision uses it (the account and its chain do)
    FieldSpec("bank", "银行", _V.TEXT, Part.ACCOUNT, ("银行名称", "银行"), informational=True),
    FieldSpec("account_holder", "户名", _V.NAME, Part.ACCOUNT,
              ("账户名称", "账户户名", "户名", "账户名", "客户名称", "客户姓名", "单位名称", "开户名称", "姓名",
               "Account Name", "Account Holder", "Name of Account", "Customer Name", "Account Title"),
              decisive=True),
    FieldSpec("account_number", "账号", _V.IDENTIFIER, Part.ACCOUNT,
              ("账号", "帐号", "账户号码", "账户账号", "客户账号", "卡号", "账户", "Account Number", "Account No",
               "A/C No", "Card No"),
              four_eyes=True, informational=True),
    FieldSpec("bank_branch", "开户行", _V.TEXT, Part.ACCOUNT,
              ("开户行", "开户网点", "开户机构", "开户银行", "Branch", "Opening Branch"), informational=True),
    FieldSpec("currency", "币种", _V.CODE, Part.ACCOUNT, ("币种", "货币", "Currency"),
              choices=(("CNY", "人民币"), ("USD", "美元"), ("EUR", "欧元"), ("HKD", "港币"), ("JPY", "日元"),
                       ("GBP", "英镑"))),
    FieldSpec("period_start", "起始日期", _V.DATE, Part.HEADER,
              ("查询起始日期", "查询开始日期", "起始日期", "开始日期", "开始时间", "起始时间", "查询起日", "起始日",
               "起日", "自", "Start Date", "From Date", "Period From", "Date From"),
              decisive=True),
    FieldSpec("period_end", "截止日期", _V.DATE, Part.HEADER,
              ("查询截止日期", "查询结束日期", "查询终止日期", "截止日期", "结束日期", "终止日期", "结束时间",
               "截止时间", "终止时间", "查询止日", "止日", "至", "End Date", "To Date", "Period To", "Date To"),
              decisive=True),
    FieldSpec("opening_balance", "期初余额", _V.MONEY, Part.TOTALS,
              ("期初余额", "上期余额", "承前余额", "上日余额", "期初金额", "起始余额", "Opening Balance",
               "Beginning Balance", "Previous Balance", "Balance Brought Forward"),
              four_eyes=True, decisive=True),
    FieldSpec("closing_balance", "期末余额", _V.MONEY, Part.TOTALS,
              ("期末余额", "本期余额", "当前余额", "期末金额", "截止余额", "Closing Balance",
               "Ending Balance"), four_eyes=True,
              decisive=True),
    FieldSpec("total_credit", "贷方合计", _V.MONEY, Part.TOTALS,
              ("贷方发生额合计", "贷方合计", "收入合计", "总收入", "Total Credits", "Total Credit",
               "Total Deposits"), four_eyes=True),
    FieldSpec("total_debit", "借方合计", _V.MONEY, Part.TOTALS,
              ("借方发生额合计", "借方合计", "支出合计", "总支出", "Total Debits", "Total Debit",
               "Total Withdrawals"), four_eyes=True),
    FieldSpec("transaction_count", "交易笔数", _V.COUNT, Part.TOTALS,
              ("交易笔数", "笔数", "Number of Transactions", "No. of Transactions")),
    FieldSpec("first_transaction_date", "首笔交易日期", _V.DATE, Part.HEADER),
    FieldSpec("last_transaction_date", "末笔交易日期", _V.DATE, Part.HEADER),
    FieldSpec("layout", "流水版式", _V.CODE, Part.HEADER, informational=True),
    FieldSpec("columns", "识别到的列", _V.TEXT, Part.HEADER, informational=True),
    FieldSpec("order", "交易排序", _V.CODE, Part.HEADER, informational=True,
              choices=(("oldest_first", "由远及近"), ("newest_first", "由近及远"))),
)
#: Header labels that introduce the whole period ("查询期间: 2024-01-01 至 2024-06-30").
PERIOD_LABELS = ("查询期间", "起止日期", "查询日期", "交易期间", "账单周期", "对账期间", "交易日期范围", "期间",
                 "Statement Period", "Transaction Period", "Inquiry Period", "Query Period", "Period")
ITEMS = (
    FieldSpec("date", "交易日期", _V.DATE, Part.ITEMS,
              ("交易日期", "记账日期", "入账日期", "发生日期", "交易日", "记账日", "日期", "Transaction Date",
               "Posting Date", "Value Date", "Trans Date", "Txn Date", "Date")),
    FieldSpec("time", "交易时间", _V.TIME, Part.ITEMS, ("交易时间", "记账时间", "时间", "Transaction Time", "Time"),
              informational=True),  # shown; the rules work by day
    FieldSpec("description", "摘要", _V.TEXT, Part.ITEMS,
              ("交易摘要", "业务摘要", "摘要", "交易用途", "用途", "附言", "交易类型", "业务类型", "交易描述",
               "交易说明", "备注", "Transaction Details", "Description", "Particulars", "Narrative",
               "Summary", "Details", "Remarks", "Purpose"), informational=True),
    FieldSpec("debit", "支出", _V.MONEY, Part.ITEMS,
              ("借方发生额", "借方金额", "支出金额", "付款金额", "支取金额", "转出金额", "支出", "借方",
               "Debit Amount", "Withdrawals", "Withdrawal", "Paid Out", "Debit"),
              four_eyes=True, payment=True),
    FieldSpec("credit", "收入", _V.MONEY, Part.ITEMS,
              ("贷方发生额", "贷方金额", "收入金额", "存入金额", "收款金额", "转入金额", "收入", "贷方",
               "Credit Amount", "Deposits", "Deposit", "Paid In", "Credit"),
              four_eyes=True, payment=True),
    FieldSpec("amount", "交易金额", _V.MONEY, Part.ITEMS,
              ("交易金额", "发生额", "交易额", "金额", "Transaction Amount", "Amount"), four_eyes=True,
              payment=True),
    FieldSpec("balance", "余额", _V.MONEY, Part.ITEMS,
              ("账户余额", "交易后余额", "联机余额", "本次余额", "余额", "结余", "Running Balance", "Balance"),
              four_eyes=True),
    FieldSpec("counterparty_name", "对方户名", _V.NAME, Part.ITEMS,
              ("对方户名", "对方账户名称", "对方账户名", "对方名称", "对方单位", "收/付款人名称", "对手户名",
               "对手方户名", "对手方名称", "对手信息", "对方单位名称", "交易对手", "交易对方",
               "Counterparty Name", "Counterparty", "Payer/Payee", "Payee/Payer", "Other Party"),
              informational=True),
    FieldSpec("counterparty_account", "对方账号", _V.IDENTIFIER, Part.ITEMS,
              ("对方账号", "对方帐号", "对方账户", "对方卡号", "对手账号", "对手方账号", "对方单位账号", "对方单位账户",
               "收/付款人账号", "Counterparty Account Number", "Counterparty Account No",
               "Counterparty Account", "Counterparty A/C No", "Counterparty A/C"),
              four_eyes=True, informational=True),
    FieldSpec("counterparty_bank", "对方开户行", _V.TEXT, Part.ITEMS,
              ("对方开户行", "对方开户机构", "对方行名", "对方银行", "对手行名", "Counterparty Bank"),
              informational=True),
)
#: Columns that say which way an unsigned amount goes (借/贷, 收/支), and the marks printed in them (or beside
#: an amount): the first words make a debit (money out), the second a credit (money in).
DIRECTION_LABELS = ("借贷标志", "借贷方向", "收支方向", "收支标志", "收付标志", "交易方向", "资金方向", "借贷", "借/贷",
                    "收/支", "收/付", "收支", "收付", "方向", "Debit/Credit", "Dr/Cr", "D/C")
DEBIT_MARKS = ("借", "支出", "支", "付", "出", "转出", "Debit", "DR", "D", "-")
CREDIT_MARKS = ("贷", "收入", "收", "存", "入", "转入", "Credit", "CR", "C", "+")
#: Transaction-table columns read (so their text stays in them) but not kept as fields.
OTHER_COLUMNS = {
    "voucher": ("交易流水号", "凭证号码", "凭证号", "流水号", "凭证种类", "传票号", "Reference No", "Reference",
                "Ref No", "Voucher No", "Serial No", "Cheque No"),
    "channel": ("交易渠道", "交易地点", "渠道", "Channel"),
    "currency": ("币种", "币别", "Currency", "CCY"),
    "seq": ("序号",),
}
#: Rows of the table that carry a balance but are not transactions: the opening balance, and a balance
#: carried from the page before (or to the next); total lines that are neither.
OPENING_ROW_WORDS = ("期初余额", "上期余额", "上日余额", "承前余额", "Opening Balance", "Beginning Balance",
                     "Balance Brought Forward")
CARRY_ROW_WORDS = ("承前页", "承上页", "上页余额", "过次页", "转下页", "过页", "Carried Forward",
                   "B/F", "C/F")
TOTAL_ROW_WORDS = ("本页合计", "本页小计", "合计", "小计", "累计", "总计", "Page Total", "Subtotal", "Sub-total",
                   "Total")
#: Labels printed outside the table whose values are not fields (they end the value before them).
OTHER_HEADER_LABELS = ("打印日期", "打印时间", "账户类型", "客户号", "页码", "开户日期", "钞汇标志", "账户性质",
                       "查询时间", "交易笔数", "笔数", "打印机构", "柜员", "Page", "币别", "联系电话", "地址",
                       "Printed on", "Print Date", "Printed", "Account Type", "Customer No", "Address")

CONSTRAINTS = (
    Constraint("running_balance", ConstraintKind.RUNNING_BALANCE, ("opening_balance", "closing_balance"),
               item_field="balance", description="上一笔余额 ± 本笔发生额 = 本笔余额"),
    Constraint("period_order", ConstraintKind.DATE_ORDER, ("period_start", "period_end"),
               description="起始日期不晚于截止日期"),
    Constraint("period_spans_rows", ConstraintKind.SPANS_ITEMS, ("period_start", "period_end"), item_field="date",
               description="起止日期涵盖全部交易，首笔与末笔交易分别落在起始与截止日期所在月份"),
    Constraint("rows_in_date_order", ConstraintKind.ITEMS_IN_ORDER, ("period_start", "period_end"),
               item_field="date", description="余额链证明的交易次序中，每笔日期介于前后两笔之间"),
)

SCHEMA = DocumentSchema(
    kind="bank_statement", label="银行流水", fields=HEADER, items=ITEMS, item_label="交易明细",
    constraints=CONSTRAINTS, titles=("对账单", "交易明细", "账户明细", "流水", "明细账", "交易清单", "月结单"),
)
