"""Document classification per page and per file, from text cues and simple layout, with a confidence.

A file may hold several documents (a contract followed by its invoices); :func:`split_documents` cuts it into
spans. A span below ``UNSURE_BELOW`` comes back as ``DocumentKind.UNKNOWN`` so the caller opens an
``unclassified`` review task instead of trusting a guess.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from extractors.readers.normalize import compact
from idp.models.fields import DocumentKind
from idp.models.page import PageText
from idp.models.schema import BUYER_WORDS, SELLER_WORDS

logger = logging.getLogger(__name__)

#: Below this confidence a page or span is reported as unsure (kind UNKNOWN), never as a guess.
UNSURE_BELOW = 0.6
#: Cue weight at which the evidence for a kind counts as complete.
_FULL_EVIDENCE = 10.0
#: Less total cue weight than this: the page says too little to be anything (blank, a signature page).
_MIN_EVIDENCE = 3.0

_Cue = tuple[re.Pattern[str], float]


def _cues(*pairs: tuple[str, float]) -> tuple[_Cue, ...]:
    return tuple((re.compile(p), w) for p, w in pairs)


#: Role words an invoice prints; a contract's other role words (采购方, 供应方, 需方, 出卖人 …) are contract cues.
_INVOICE_ROLES = (("购买方", "购货单位", "购方"), ("销售方", "销货单位", "销方"))
_CONTRACT_ROLES = "|".join(sorted((w for w in BUYER_WORDS + SELLER_WORDS if w not in sum(_INVOICE_ROLES, ())),
                                  key=len, reverse=True))
_INVOICE = _cues(
    (r"发票代码", 2),
    (r"发票号码", 3),
    (r"开票日期", 2),
    (r"价税合计", 3),
    (r"校验码", 1),
    (r"机器编号", 1),
    ("|".join(_INVOICE_ROLES[0]), 1),
    ("|".join(_INVOICE_ROLES[1]), 1),
    (r"纳税人识别号", 1),
    (r"税额", 1),
    (r"税率", 1),
    (r"密码区?", 1),
    (r"发票", 1),
    (r"税务局|监制", 1),
    (r"开票人", 1),
    (r"\(小写\)|\(大写\)", 1),
    (r"销货清单|货物或应税劳务|应税劳务清单", 2),
    #: the title itself, which a scan keeps when the form's pale printed labels are lost
    (r"电子发票\((?:增值税专用|普通)发票\)|增值税(?:电子)?(?:专用|普通)发票", 4),
)
_CONTRACT = _cues(
    (r"(购销|采购|买卖|销售|供货|供销|订购|订货|购货|加工|供应)(合同|协议)|合同书|(采购|订购|订货|购货)(订单|单)", 4),
    (r"合同编号", 2),
    (r"甲方", 2),
    (r"乙方", 2),
    (rf"(?<!购)(?:{_CONTRACT_ROLES})", 1),
    (r"签订(日期|地点|时间)", 2),
    (r"第[一二三四五六七八九十]+条", 2),
    (r"违约", 1),
    (r"争议|仲裁|诉讼", 1),
    (r"交货|交付", 1),
    (r"付款方式|结算方式", 1),
    (r"盖章|签字|签章", 1),
    (r"法定代表人|委托代理人", 1),
    (r"本合同", 2),
)
_STATEMENT = _cues(  # English alternatives in the same cue: a bilingual page does not count a word twice
    (r"对账单|交易明细|流水|账户明细|明细账|交易清单|(?i:statementofaccount|accountstatement|transactiondetails)", 3),
    (r"账号|帐号|(?i:accountno|accountnumber|a/cno)", 1),
    (r"户名|(?i:accountname)", 1),
    (r"余额|(?i:balance)", 2),
    (r"借方|贷方|(?i:withdrawal|deposit|debit|credit)", 2),
    (r"收入|支出", 1),
    (r"交易日期|记账日期|交易时间|(?i:transactiondate|valuedate|postingdate)", 2),
    (r"摘要|用途|附言|(?i:description|particulars|narrative|summary)", 1),
    (r"对方(户名|账号|帐号|行名|开户行)|(?i:counterparty)", 2),
    (r"币种|(?i:currency)", 1),
    (r"查询期间|起止日期|起始日期|(?i:statementperiod)", 1),
    (r"银行", 1),
)
_DATE_ROW = re.compile(r"^(19|20)\d{2}[-/.年]?\d{2}[-/.月]?\d{2}")
#: A row of an invoice's 密码区 (cipher text: digits and + - * / < >), which OCR reads however garbled the labels
#: around it are on a poor photo.
_CIPHER_ROW = re.compile(r"^[0-9+\-*/<>]{20,32}$")
#: The printed number after No/№ (8 digits): an invoice's, read even where 发票号码 is not.
_SHUDIAN_NUMBER_LINE = re.compile(r"(?:发票号码:?)?\d{20}")
_NUMBER_MARK = re.compile(r"(?:No|NO|№)[.:：]?(\d{8})(?!\d)")
#: (pattern, type code) from most to least specific; codes as in the verification APIs (domain.md §1.1).
_INVOICE_SUBTYPES = (
    (re.compile(r"电子发票\((增值税)?专用发票\)"), "31"),
    (re.compile(r"电子发票\(普通发票\)"), "32"),
    (re.compile(r"通行费"), "14"),
    (re.compile(r"机动车销售统一发票"), "03"),
    (re.compile(r"二手车销售统一发票"), "15"),
    (re.compile(r"电子专用发票"), "08"),
    (re.compile(r"电子普通发票"), "10"),
    (re.compile(r"普通发票\(?卷"), "11"),
    (re.compile(r"专用发票"), "01"),
    (re.compile(r"普通发票"), "04"),
)
#: Chinese names of the subtype codes, for screens and logs.
SUBTYPE_NAMES = {
    "01": "增值税专用发票",
    "03": "机动车销售统一发票",
    "04": "增值税普通发票",
    "08": "增值税电子专用发票",
    "10": "增值税电子普通发票",
    "11": "增值税普通发票(卷票)",
    "14": "通行费电子普票",
    "15": "二手车销售统一发票",
    "31": "数电票(专用发票)",
    "32": "数电票(普通发票)",
}
_INVOICE_NO = re.compile(r"发票号码:?(\d{20}|\d{8})")
_ACCOUNT_NO = re.compile(r"(?:账号|帐号|卡号):?(\d[\d*]{9,29})")
_CONTRACT_NO = re.compile(r"合同编号:?([A-Za-z0-9][A-Za-z0-9\-_/]{2,40})")
_LIST_PAGE = re.compile(r"销货清单|销售货物或者?提供应税劳务.{0,4}清单|清单")
#: A contract's title line: a few characters ending in 合同 (购销合同, 采购合同书), alone on its line.
_CONTRACT_TITLE = re.compile(r"^[\u4e00-\u9fff]{0,8}合同书?$")


@dataclass(frozen=True)
class PageClass:
    """What one page looks like: best kind, subtype, confidence, and whether it opens a new document."""

    page_no: int
    kind: DocumentKind
    subtype: str | None
    confidence: float
    starts: bool
    key: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def unsure(self) -> bool:
        return self.kind is DocumentKind.UNKNOWN


class DocumentSpan(NamedTuple):
    """One document inside a file: (kind, subtype, confidence, page numbers). UNKNOWN kind = unsure."""

    kind: DocumentKind
    subtype: str | None
    confidence: float
    pages: list[int]

    @property
    def unsure(self) -> bool:
        return self.kind is DocumentKind.UNKNOWN


def classify_page(page: PageText) -> PageClass:
    """Score the page's text against each kind's cues; low or ambiguous evidence gives UNKNOWN."""
    lines = [compact(line.text) for line in page.lines]
    text = "".join(lines)
    scores = {
        DocumentKind.VAT_INVOICE: _score(text, _INVOICE),
        DocumentKind.PURCHASE_CONTRACT: _score(text, _CONTRACT),
        DocumentKind.BANK_STATEMENT: _score(text, _STATEMENT),
    }
    date_rows = sum(1 for ln in lines if _DATE_ROW.match(ln))
    if date_rows >= 3:
        scores[DocumentKind.BANK_STATEMENT] += min(4.0, date_rows / 2)
    cipher_rows = sum(1 for ln in lines if _CIPHER_ROW.match(ln) and sum(ln.count(c) for c in "+*/<>") >= 3)
    if cipher_rows >= 2:
        scores[DocumentKind.VAT_INVOICE] += 3.0
    if any(_NUMBER_MARK.search(ln) for ln in lines):
        scores[DocumentKind.VAT_INVOICE] += 1.0
    if any(_SHUDIAN_NUMBER_LINE.fullmatch(ln) for ln in lines):  # a line that is a 数电票's 20-digit number
        scores[DocumentKind.VAT_INVOICE] += 2.0
    prose = [ln for ln in lines if len(ln) >= 25 and not _CIPHER_ROW.match(ln)]
    if len(prose) >= 3 and len(prose) >= 0.3 * max(1, len(lines)):
        scores[DocumentKind.PURCHASE_CONTRACT] += 2.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (kind, best), (_, second) = ranked[0], ranked[1]
    if best < _MIN_EVIDENCE:
        kind, confidence = DocumentKind.OTHER, 0.0
    else:
        confidence = round(best / (best + second) * min(1.0, best / _FULL_EVIDENCE), 3)
    subtype, starts, key = _details(kind, text, lines)
    named = {k.value: round(v, 1) for k, v in scores.items()}
    if kind is not DocumentKind.OTHER and confidence < UNSURE_BELOW:
        return PageClass(page.page_no, DocumentKind.UNKNOWN, None, confidence, starts, key, named)
    return PageClass(page.page_no, kind, subtype, confidence, starts, key, named)


def split_documents(pages: list[PageText]) -> list[DocumentSpan]:
    """Cut a file into documents: a page joins the previous one when it continues it (same kind and no new
    header, same invoice/account/contract number, or a page with too little text to say)."""
    spans: list[tuple[list[PageClass], DocumentKind]] = []
    for page in pages:
        pc = classify_page(page)
        if spans and _continues(spans[-1], pc):
            spans[-1][0].append(pc)
            continue
        spans.append(([pc], pc.kind))
    return [_span(members, kind) for members, kind in spans]


def classify_file(pages: list[PageText]) -> DocumentSpan:
    """One class for the whole file: its only document, or the largest one with confidence lowered when the
    file mixes kinds (callers should then split it)."""
    spans = split_documents(pages)
    if not spans:
        return DocumentSpan(DocumentKind.UNKNOWN, None, 0.0, [])
    kinds = {s.kind for s in spans}
    main = max(spans, key=lambda s: (len(s.pages), s.confidence))
    if len(kinds) == 1:
        return DocumentSpan(
            main.kind, main.subtype, min(s.confidence for s in spans), [p.page_no for p in pages]
        )
    confidence = round(main.confidence * len(main.pages) / len(pages), 3)
    kind = main.kind if confidence >= UNSURE_BELOW else DocumentKind.UNKNOWN
    return DocumentSpan(
        kind, main.subtype if kind is main.kind else None, confidence, [p.page_no for p in pages]
    )


def _score(text: str, cues: tuple[_Cue, ...]) -> float:
    return sum(weight for pattern, weight in cues if pattern.search(text))


def _details(kind: DocumentKind, text: str, lines: list[str]) -> tuple[str | None, bool, str | None]:
    """(subtype, starts a new document, identifying key) for the page's kind."""
    if kind is DocumentKind.VAT_INVOICE:
        number = _INVOICE_NO.search(text)
        key = number.group(1) if number else None
        subtype = next((code for pattern, code in _INVOICE_SUBTYPES if pattern.search(text)), None)
        if subtype is None and key and len(key) == 20:
            subtype = "31" if "专用" in text else "32"
        is_list = bool(_LIST_PAGE.search("".join(lines[:6]))) and "价税合计" not in text
        return subtype, not is_list, key
    if kind is DocumentKind.PURCHASE_CONTRACT:
        number = _CONTRACT_NO.search("\n".join(lines))  # per line: a page header's number ends at its line
        titled = any(_CONTRACT_TITLE.match(ln) for ln in lines[:3])
        return None, titled or bool(number), number.group(1) if number else None
    if kind is DocumentKind.BANK_STATEMENT:
        account = _ACCOUNT_NO.search(text)
        return None, account is not None, account.group(1) if account else None
    return None, False, None


def _continues(span: tuple[list[PageClass], DocumentKind], page: PageClass) -> bool:
    members, kind = span
    if page.kind is DocumentKind.OTHER and page.confidence == 0.0:
        return True  # a near-blank page (signatures, a back side) stays with what precedes it
    if page.kind is DocumentKind.UNKNOWN:
        if kind is DocumentKind.UNKNOWN:
            return _lean(page) == _lean(members[-1])
        return _lean(page) == kind
    if page.kind is not kind:
        return False
    if not page.starts:
        return True
    keys = {m.key for m in members if m.key}
    return bool(page.key) and page.key in keys


def _lean(page: PageClass) -> DocumentKind | None:
    """The kind an unsure page scored highest for."""
    if not page.scores:
        return None
    return DocumentKind(max(page.scores, key=lambda k: page.scores[k]))


def _span(members: list[PageClass], kind: DocumentKind) -> DocumentSpan:
    sure = [m for m in members if m.kind is kind]
    confidence = max((m.confidence for m in sure), default=max(m.confidence for m in members))
    subtype = next((m.subtype for m in sure if m.subtype), None)
    if kind in (DocumentKind.UNKNOWN, DocumentKind.OTHER) or confidence < UNSURE_BELOW:
        return DocumentSpan(
            DocumentKind.UNKNOWN if kind is not DocumentKind.OTHER else kind,
            None,
            confidence,
            [m.page_no for m in members],
        )
    return DocumentSpan(kind, subtype, confidence, [m.page_no for m in members])
