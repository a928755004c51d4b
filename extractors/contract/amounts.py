"""The contract total and its 大写, chosen by constraints among every amount on the pages, not by position.

Candidates are all amounts printed with two decimals (and every run of 大写 numerals), each with the words
before it in its sentence. The total is the candidate that equals the sum of the goods lines and a 大写 run,
is labelled as a total, and is not labelled as something else (违约金, 运费, 定金, a percentage of the total …);
the reason is written into the field's evidence. A total no constraint confirms gets a low confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.contract.text import ContractText, Segment
from idp.models.schema import schema_for
from idp.models.schema.purchase_contract import NOT_TOTAL_WORDS
from idp.models.schema.values import find_money
from idp.models.schema.words import WORDS_CHARS, clean_words, words_value

_SPEC = schema_for("purchase_contract")
assert _SPEC is not None
_TOTAL_WORDS = tuple(_SPEC.field("total_amount").synonyms)  # type: ignore[union-attr]
_WORDS_LABELS = (*_SPEC.field("total_in_words").synonyms, "人民币")  # type: ignore[union-attr]
#: A run of 大写 numerals (a wrapped line may cut it).
_WORDS_RUN = re.compile(rf"[{WORDS_CHARS}](?:\n?[{WORDS_CHARS}])+")
#: How far back (characters) the words before an amount are read; a sentence end stops them.
_WINDOW = 36
_SENTENCE_END = re.compile(r"[。；;\n]")
#: A share of something (的30%, 5%，即 …): the amount after it is a part, not the total (含13%增值税 is not one).
_PERCENT = re.compile(r"的\s*\d{1,3}(?:\.\d+)?\s*[%％]|[%％]\s*[，,]?\s*(?:即|计|为|计人民币)")
_INCLUDES = re.compile(r"(?:含|包括|包含|已扣除|扣除)$")
#: Confidence of a total two constraints confirm, one confirms, none confirm.
CONF_TWO, CONF_ONE, CONF_NONE = 0.99, 0.97, 0.8


@dataclass
class Amount:
    """An amount printed on the page with the words before it."""

    value: Decimal
    seg: Segment
    before: str
    offset: int
    text: str = ""  #: the 大写 as printed (word runs only)

    @property
    def excluded(self) -> str | None:
        """The word that says this is not the total (违约金, 运费, a percentage …), if any."""
        for word in NOT_TOTAL_WORDS:
            for m in re.finditer(re.escape(word), self.before):
                if not _INCLUDES.search(self.before[: m.start()]):
                    return word  # 含运费 / 不含运费 describe the total; 运费 alone names another amount
        return "%" if _PERCENT.search(self.before) else None

    @property
    def label(self) -> str | None:
        return next((w for w in _TOTAL_WORDS if w in self.before), None)


@dataclass
class Choice:
    value: str
    seg: Segment
    confidence: float
    evidence: list[str] = field(default_factory=list)


def _before(text: str, start: int) -> str:
    window = text[max(0, start - _WINDOW) : start]
    ends = list(_SENTENCE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def figures(text: ContractText, skip: set[tuple[int, int]]) -> list[Amount]:
    """Every two-decimal amount outside the rows in ``skip`` ((page, row) of goods lines)."""
    stream = text.stream
    out = []
    for value, start, _end in find_money(stream.text):
        seg = stream.segment_at(start)
        if (seg.page, seg.row) in skip or value <= 0:
            continue
        out.append(Amount(value, seg, _before(stream.text, start), start))
    return out


def word_runs(text: ContractText) -> list[Amount]:
    """Every 大写 amount written out (a run of capital numerals with 元/圆/角/分)."""
    stream = text.stream
    out = []
    for m in _WORDS_RUN.finditer(stream.text):
        cleaned = clean_words(m.group(0).replace("\n", ""))
        value = words_value(cleaned)
        if cleaned and value is not None and value > 0:
            out.append(Amount(value, stream.segment_at(m.start()), _before(stream.text, m.start()), m.start(),
                              cleaned))
    return out


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def choose_total(
    amounts: list[Amount], words: list[Amount], lines_sum: Decimal | None
) -> tuple[Choice | None, Choice | None]:
    """(total, 大写): the total by constraints, then the 大写 run that goes with it."""
    words_ok = [w for w in words if not w.excluded]
    total = None
    ranked = []
    for a in amounts:
        if a.excluded:
            continue
        by_sum = lines_sum is not None and a.value == lines_sum
        by_words = any(w.value == a.value for w in words_ok)
        ranked.append(((int(by_sum) + int(by_words), a.label is not None, a.value, -a.offset), a, by_sum, by_words))
    if ranked:
        _, best, by_sum, by_words = max(ranked, key=lambda t: t[0])
        evidence = [f"标签「{best.label}」"] if best.label else ["金额（无总价标签）"]
        if by_sum:
            evidence.append(f"= Σ 明细金额 {_money(best.value)}")
        if by_words:
            evidence.append(f"= 大写 {next(w for w in words_ok if w.value == best.value).text}")
        skipped = sorted({f"{a.excluded} {_money(a.value)}" for a in amounts if a.excluded})
        if skipped:
            evidence.append("排除: " + "、".join(skipped[:4]))
        conf = CONF_TWO if by_sum and by_words else CONF_ONE if (by_sum or by_words) else CONF_NONE
        if not best.label and conf < CONF_TWO:
            conf = min(conf, CONF_NONE)
        total = Choice(str(best.value), best.seg, min(conf, best.seg.conf), evidence)
    elif words_ok:  # only the 大写 states the total
        best_w = max(words_ok, key=lambda w: (lines_sum is not None and w.value == lines_sum, w.value))
        ok = lines_sum is not None and best_w.value == lines_sum
        total = Choice(str(best_w.value), best_w.seg, min(0.9 if ok else CONF_NONE, best_w.seg.conf),
                       ["只印有大写金额", *([f"= Σ 明细金额 {_money(best_w.value)}"] if ok else [])])
    return total, _choose_words(words_ok, total)


def _choose_words(words: list[Amount], total: Choice | None) -> Choice | None:
    if not words:
        return None
    if total is not None:
        same = [w for w in words if str(w.value) == total.value]
        if same:
            w = same[0]
            return Choice(w.text, w.seg, min(CONF_TWO, w.seg.conf), [f"= 合同总金额 {total.value}"])
    labelled = [w for w in words if any(lab in w.before for lab in _WORDS_LABELS)]
    w = (labelled or words)[0]
    return Choice(w.text, w.seg, min(0.9, w.seg.conf), ["大写金额与总价不符" if total else "大写金额"])
