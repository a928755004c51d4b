"""Text normalisation in one place, so text-layer, OFD and OCR text compare equal.

Sources disagree on widths and punctuation (``：``/``:``, ``（``/``(``, ``￥``/``¥``, and Kangxi
radicals such as ``⼦`` for ``子`` in OFD files). :func:`normalize_text` is what readers store in
``PageText``; :func:`normalize_cjk` keeps Chinese sentence punctuation for display; :func:`compact`
is the key form used for matching and scoring.
"""

from __future__ import annotations

import re
import unicodedata

from idp.models.page import PageText

#: Chinese punctuation with an ASCII twin in field text. NFKC already folds the full-width forms
#: (U+FF01..U+FF5E); these are the ones it leaves alone. Sentence marks (。、《》“”) are not here:
#: they carry meaning.
_PUNCT_TO_ASCII = str.maketrans(
    {
        "﹕": ":",
        "︰": ":",
        "－": "-",
        "−": "-",
        "—": "-",
        "–": "-",
        "‐": "-",
        "―": "-",
        "﹣": "-",
        "～": "~",
        "〜": "~",
        "‘": "'",
        "’": "'",
        "‚": ",",
    }
)
#: Brackets a document number prints (苏商〔2024〕12号, 【2024】): kept as printed in stored text, since the
#: number is the value; folded to ASCII only in the matching key (:func:`compact`).
_BRACKETS_TO_ASCII = str.maketrans({"〔": "(", "〕": ")", "【": "[", "】": "]"})
#: The full-width yuan sign (NFKC maps it too; :func:`normalize_cjk` does not run NFKC on it).
_YEN = str.maketrans({"￥": "¥"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (U+FF01..U+FF5E) and the ideographic space to their half-width forms, nothing else."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalize_text(text: str) -> str:
    """The form readers store: NFKC, one ¥, ASCII ``:()-``, single spaces, no control characters.

    >>> normalize_text("价税合计（小写）：￥１２，３４５.６７")
    '价税合计(小写):¥12,345.67'
    >>> normalize_text("电⼦发票　号码")
    '电子发票 号码'
    """
    text = unicodedata.normalize("NFKC", _CONTROL.sub("", text))
    text = text.translate(_YEN).translate(_PUNCT_TO_ASCII)
    return _SPACES.sub(" ", text).strip()


def normalize_cjk(text: str) -> str:
    """A gentler form for display: Kangxi radicals and compatibility ideographs unified, ASCII letters
    and digits made half-width, ¥ unified, but Chinese punctuation (``，。：（）``) kept as written.

    >>> normalize_cjk("金额：￥１２０，合计（大写）⼀佰贰拾圆整。")
    '金额：¥120，合计（大写）一佰贰拾圆整。'
    """
    out = []
    for ch in _CONTROL.sub("", text):
        if 0x2F00 <= ord(ch) <= 0x2FDF or 0xF900 <= ord(ch) <= 0xFAFF or 0x2E80 <= ord(ch) <= 0x2EFF:
            ch = unicodedata.normalize("NFKC", ch)
        elif 0xFF10 <= ord(ch) <= 0xFF19 or 0xFF21 <= ord(ch) <= 0xFF3A or 0xFF41 <= ord(ch) <= 0xFF5A:
            ch = to_halfwidth(ch)
        out.append(ch)
    return _SPACES.sub(" ", "".join(out).translate(_YEN)).strip()


def compact(text: str) -> str:
    """Normalised text without any whitespace: the key form for matching tokens and for character error rates.

    >>> compact("91310115 MA1H 8XXX2Q ")
    '91310115MA1H8XXX2Q'
    """
    return re.sub(r"\s+", "", normalize_text(text)).translate(_BRACKETS_TO_ASCII)


def normalize_page(page: PageText) -> PageText:
    """The page with :func:`normalize_text` applied to every line and word (boxes untouched)."""
    lines = []
    for line in page.lines:
        words = [w.model_copy(update={"text": normalize_text(w.text)}) for w in line.words]
        lines.append(
            line.model_copy(update={"text": normalize_text(line.text), "words": [w for w in words if w.text]})
        )
    return page.model_copy(update={"lines": [ln for ln in lines if ln.text]})
