"""Character error rate of an OCR page against its text-layer truth, matched by position.

The OCR lines are first registered onto the truth page (a RANSAC fit on text both sides read identically),
then each OCR line is compared with the truth words under it. Reading order, line splitting and text that
only one side has somewhere else on the page therefore never count twice. Truth characters are put in
classes; only ``text`` makes up :attr:`PageAlignment.cer`, every other class is counted and reported,
never dropped silently:

- ``text``: drawn, ordinary text. Substitutions, deletions (``missed``) and insertions count.
- ``cipher``: the 密码区 block of 税控 invoices (4 strings of digits and ``+-*/<>``). Scored apart.
- ``not_drawn``: text-layer words with no ink under them on the clean render (white, clipped, off the page).
- ``seal_text``: words drawn in seal red (the 发票监制章 ring text); the reader removes seal ink on purpose.
- ``overprinted``: words drawn over a larger word or over one of their own size (seal ring text of the
  stand-in OFD renders, 监制章 characters over the title), which no reader can separate.
- ``unmapped``: characters with no visible form (combining marks, private use, U+FFFD): a broken font mapping.

Read characters over excluded truth, or inside seal ink with no truth under them (the 发票专用章 image), are
counted as ``read_excluded``, and so is ⊗, the circled cross invoices print before the 大写 amount: it is
drawn as a path, so the text layer never has it and a reader that sees it is right. Read characters over
nothing else are insertions (``spurious``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

import cv2
import numpy as np

from extractors.readers.normalize import compact
from extractors.readers.ocr import order_lines
from idp.evaluation.read_ops import edit as _edit
from idp.evaluation.read_ops import weighted_ops as _weighted_ops
from idp.evaluation.read_register import points as _points
from idp.evaluation.read_register import register
from idp.models.geometry import BBox
from idp.models.page import PageText, TextLine

__all__ = ["EXCLUDED", "SCORED", "PageAlignment", "align_page", "register"]

logger = logging.getLogger(__name__)

TEXT, CIPHER = "text", "cipher"
NOT_DRAWN, SEAL_TEXT, OVERPRINTED, UNMAPPED = "not_drawn", "seal_text", "overprinted", "unmapped"
#: Classes whose characters are scored (each in its own rate); the others are only counted.
SCORED = (TEXT, CIPHER)
EXCLUDED = (NOT_DRAWN, SEAL_TEXT, OVERPRINTED, UNMAPPED)
#: A 密码区 string: long, only digits and the cipher symbols, with several symbols.
_CIPHER = re.compile(r"^[0-9+\-*/<>]{16,}$")
_CIPHER_SYMBOLS = re.compile(r"[+\-*/<>]")
#: Unicode categories with no visible glyph of their own.
_INVISIBLE_CATEGORIES = frozenset({"Mn", "Me", "Cc", "Cf", "Co", "Cn", "Cs"})
#: A truth word with less than this share of ink pixels under it on the clean render is not drawn.
_MIN_INK_SHARE = 0.01
#: A word touching the page edge whose box is narrower than this share of its text's width runs off the page.
_CLIPPED_WIDTH = 0.6
#: A word is overprinted when another word covers this share of its box (and is larger, or about as large).
_OVERPRINT_SHARE, _LARGER = 0.3, 1.2
#: Seal red on the render (BGR): bright red with little green or blue (brown form text is darker).
_SEAL_MIN_RED, _SEAL_MAX_GB, _SEAL_GB_SPREAD = 200, 110, 30
#: A read line is seal text when this share of its ink is seal red.
_SEAL_INK_SHARE = 0.6
#: An OCR line and a truth word belong together when their overlap covers this share of either box.
_OVERLAP = 0.4
#: Symbols forms draw as vector paths (absent from every text layer): reading one is not an insertion.
_DRAWN_SYMBOLS = frozenset("⊗ⓧ")
#: Substitution examples kept per page (largest first) for the report.
_EXAMPLES = 12


@dataclass
class PageAlignment:
    """Counts for one page; add pages with :meth:`add`."""

    chars: dict[str, int] = field(default_factory=dict)
    #: edits charged to scored classes: ``substituted``, ``missed`` (deleted), ``spurious`` (inserted).
    errors: dict[str, dict[str, int]] = field(default_factory=dict)
    #: read characters over excluded truth or seal ink, not scored.
    read_excluded: int = 0
    #: plain position-matched CER counts with nothing excluded (every class and every read character).
    all_errors: int = 0
    all_chars: int = 0
    anchors: int = 0
    registered: bool = True
    examples: list[tuple[str, str]] = field(default_factory=list)

    def error_count(self, cls: str = TEXT) -> int:
        return sum(self.errors.get(cls, {}).values())

    def rate(self, cls: str = TEXT) -> float | None:
        n = self.chars.get(cls, 0)
        return self.error_count(cls) / n if n else None

    @property
    def cer(self) -> float | None:
        """Errors on ``text`` characters / ``text`` characters."""
        return self.rate(TEXT)

    @property
    def cer_all(self) -> float | None:
        return self.all_errors / self.all_chars if self.all_chars else None

    def add(self, other: PageAlignment) -> None:
        for cls, n in other.chars.items():
            self.chars[cls] = self.chars.get(cls, 0) + n
        for cls, ops in other.errors.items():
            mine = self.errors.setdefault(cls, {})
            for op, n in ops.items():
                mine[op] = mine.get(op, 0) + n
        self.read_excluded += other.read_excluded
        self.all_errors += other.all_errors
        self.all_chars += other.all_chars
        self.anchors += other.anchors
        self.registered = self.registered and other.registered
        self.examples += other.examples


@dataclass
class _Piece:
    """A truth word (``kinds`` per character) or an OCR line, with its box in truth page units."""

    text: str
    box: tuple[float, float, float, float]
    kinds: tuple[str, ...] = ()


def align_page(
    truth: PageText,
    read: PageText,
    render: np.ndarray | None = None,
    *,
    seal_boxes: list[BBox] | None = None,
) -> PageAlignment:
    """Score ``read`` (OCR of a degraded render) against ``truth`` (the page's text layer).

    ``render`` is the clean render the degradation started from (for the ink tests); ``seal_boxes`` are boxes
    of characters the PDF fills in seal red (from the PDF itself; found on the render when not given).
    """
    out = PageAlignment()
    words = _truth_pieces(truth, render, seal_boxes)
    transform, out.anchors = register(truth, read)
    out.registered = transform is not None
    lines = _read_pieces(truth, read, transform)
    for truth_group, read_group in _groups(words, lines):
        _score_group(truth_group, read_group, render, truth, out)
    out.examples.sort(key=lambda pair: -_edit(pair[0], pair[1]))
    del out.examples[_EXAMPLES:]
    return out


# -- truth classes ----------------------------------------------------------------------------------------


def _truth_pieces(truth: PageText, render: np.ndarray | None, seal_boxes: list[BBox] | None) -> list[_Piece]:
    words = [w for line in truth.lines for w in line.words or [] if compact(w.text)]
    kinds_of = {}
    for i, word in enumerate(words):
        text = compact(word.text)
        if _CIPHER.match(text) and len(_CIPHER_SYMBOLS.findall(text)) >= 3:
            kinds_of[i] = CIPHER
        elif _off_page(word.text, word.bbox, truth) or (
            render is not None and _ink_share(render, word.bbox) < _MIN_INK_SHARE
        ):
            kinds_of[i] = NOT_DRAWN
        elif _in_seal(word.bbox, render, seal_boxes):
            kinds_of[i] = SEAL_TEXT
        else:
            kinds_of[i] = TEXT
    for i in _overprinted([w.bbox for w in words], [kinds_of[i] == TEXT for i in range(len(words))]):
        kinds_of[i] = OVERPRINTED
    pieces = []
    for i, word in enumerate(words):
        text = compact(word.text)
        kind = kinds_of[i]
        kinds = tuple(UNMAPPED if kind == TEXT and _invisible(ch) else kind for ch in text)
        pieces.append(_Piece(text, _points(word.bbox, truth), kinds))
    return pieces


def _off_page(text: str, box: BBox, page: PageText) -> bool:
    """The word touches a page edge and its box is far narrower than its text: the rest is off the page."""
    if not (box.x0 <= 1e-3 or box.x1 >= 1 - 1e-3 or box.y0 <= 1e-3 or box.y1 >= 1 - 1e-3):
        return False
    em = box.height * page.height
    wanted = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text) * em
    return box.width * page.width < _CLIPPED_WIDTH * wanted


def _overprinted(boxes: list[BBox], candidate: list[bool]) -> set[int]:
    """Indexes of candidate words another candidate word covers (by ``_OVERPRINT_SHARE`` of their area) while
    being larger or about as large: glyphs on top of other glyphs."""
    out: set[int] = set()
    idx = [i for i, c in enumerate(candidate) if c]
    for a in idx:
        ba = boxes[a]
        area = max(ba.width * ba.height, 1e-12)
        for b in idx:
            if a == b:
                continue
            bb = boxes[b]
            ix = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
            iy = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
            if ix <= 0 or iy <= 0 or ix * iy < _OVERPRINT_SHARE * area:
                continue
            if bb.height > _LARGER * ba.height or ba.height <= _LARGER * bb.height:
                out.add(a)
                break
    return out


def _invisible(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def _crop(render: np.ndarray, box: BBox) -> np.ndarray:
    h, w = render.shape[:2]
    x0, x1 = int(box.x0 * w), max(int(box.x0 * w) + 1, int(round(box.x1 * w)))
    y0, y1 = int(box.y0 * h), max(int(box.y0 * h) + 1, int(round(box.y1 * h)))
    return render[y0:y1, x0:x1].reshape(-1, 3)


def _ink_share(render: np.ndarray, box: BBox) -> float:
    px = _crop(render, box)
    return float((px.min(axis=1) < 200).mean()) if px.size else 0.0


def _seal_share(render: np.ndarray, box: BBox) -> float:
    """Share of the ink in ``box`` that is seal red."""
    px = _crop(render, box).astype(np.int16)
    if not px.size:
        return 0.0
    b, g, r = px[:, 0], px[:, 1], px[:, 2]
    red = (r >= _SEAL_MIN_RED) & (g <= _SEAL_MAX_GB) & (b <= _SEAL_MAX_GB)
    red &= np.abs(g - b) <= _SEAL_GB_SPREAD
    dark = (px.min(axis=1) < 160) & ~red
    total = int(red.sum() + dark.sum())
    return float(red.sum()) / total if total else 0.0


def _in_seal(box: BBox, render: np.ndarray | None, seal_boxes: list[BBox] | None) -> bool:
    if seal_boxes is not None:
        return any(s.x0 <= box.cx <= s.x1 and s.y0 <= box.cy <= s.y1 for s in seal_boxes)
    return render is not None and _seal_share(render, box) >= _SEAL_INK_SHARE


# -- groups of read lines and truth words -------------------------------------------------------------------


def _read_pieces(truth: PageText, read: PageText, transform: np.ndarray | None) -> list[_Piece]:
    pieces = []
    for line in read.lines:
        text = compact(line.text)
        if not text:
            continue
        if transform is None:  # unregistered: assume the same frame (normalised coordinates)
            box = _points(line.bbox, truth)
        else:
            x0, y0, x1, y1 = _points(line.bbox, read)
            corners = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).reshape(-1, 1, 2)
            moved = cv2.perspectiveTransform(corners, transform.astype(np.float64)).reshape(-1, 2)
            xs, ys = moved[:, 0], moved[:, 1]
            box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        pieces.append(_Piece(text, box))
    return pieces


def _groups(words: list[_Piece], lines: list[_Piece]) -> list[tuple[list[_Piece], list[_Piece]]]:
    """Connected groups of truth words and read lines that overlap (by ``_OVERLAP`` of either box)."""
    parent = list(range(len(words) + len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if words and lines:
        wb = np.array([p.box for p in words], np.float64)
        lb = np.array([p.box for p in lines], np.float64)
        ix = np.minimum(wb[:, None, 2], lb[None, :, 2]) - np.maximum(wb[:, None, 0], lb[None, :, 0])
        iy = np.minimum(wb[:, None, 3], lb[None, :, 3]) - np.maximum(wb[:, None, 1], lb[None, :, 1])
        ix, iy = np.clip(ix, 0, None), np.clip(iy, 0, None)
        inter = ix * iy
        w_area = np.maximum((wb[:, 2] - wb[:, 0]) * (wb[:, 3] - wb[:, 1]), 1e-9)
        l_area = np.maximum((lb[:, 2] - lb[:, 0]) * (lb[:, 3] - lb[:, 1]), 1e-9)
        linked = (inter >= _OVERLAP * w_area[:, None]) | (inter >= _OVERLAP * l_area[None, :])
        for i, j in zip(*np.nonzero(linked), strict=True):
            a, b = find(int(i)), find(len(words) + int(j))
            if a != b:
                parent[a] = b
    groups: dict[int, tuple[list[_Piece], list[_Piece]]] = {}
    for i, piece in enumerate(words):
        groups.setdefault(find(i), ([], []))[0].append(piece)
    for j, piece in enumerate(lines):
        groups.setdefault(find(len(words) + j), ([], []))[1].append(piece)
    return list(groups.values())


def _in_order(pieces: list[_Piece], truth: PageText) -> list[_Piece]:
    """Pieces in reading order (rows top-down, left to right), as OCR output is ordered."""
    if len(pieces) < 2:
        return pieces
    index = {}
    lines = []
    for i, p in enumerate(pieces):
        x0, y0, x1, y1 = p.box
        bbox = BBox.from_points(x0, y0, max(x1, x0 + 1e-6), max(y1, y0 + 1e-6), truth.width, truth.height)
        line = TextLine(text=str(i), bbox=bbox)
        index[id(line)] = p
        lines.append(line)
    return [index[id(ln)] for ln in order_lines(lines)]


def _score_group(
    words: list[_Piece], lines: list[_Piece], render: np.ndarray | None, truth: PageText, out: PageAlignment
) -> None:
    words, lines = _in_order(words, truth), _in_order(lines, truth)
    truth_text = "".join(p.text for p in words)
    kinds = [k for p in words for k in p.kinds]
    read_text = "".join(p.text for p in lines)
    for kind in kinds:
        out.chars[kind] = out.chars.get(kind, 0) + 1
    out.all_chars += len(truth_text)
    out.all_errors += _edit(truth_text, read_text)
    if not words:  # read text over no truth word: seal ink (a seal image's own text) or spurious
        in_seal = [_seal_share(render, _norm(p.box, truth)) if render is not None else 0.0 for p in lines]
        if all(share >= _SEAL_INK_SHARE for share in in_seal):
            out.read_excluded += len(read_text)
        else:
            _charge(out, TEXT, "spurious", len(read_text))
        return
    scored = [k in SCORED for k in kinds]
    if not any(scored):
        out.read_excluded += len(read_text)
        return
    ops = [  # a drawn symbol read where the text layer has none costs nothing, like unscored truth
        ("free" if op == "insert" and read_text[r] in _DRAWN_SYMBOLS else op, t, r)
        for op, t, r in _weighted_ops(truth_text, scored, read_text)
    ]
    main = max(SCORED, key=lambda c: sum(1 for k in kinds if k == c))
    for op, t_index, _r in ops:
        if op == "insert":
            _charge(out, main, "spurious", 1)
        elif op == "free":
            out.read_excluded += 1
        else:
            _charge(out, kinds[t_index], "substituted" if op == "substitute" else "missed", 1)
    if main == TEXT and any(op != "free" for op, _, _ in ops):
        out.examples.append((truth_text, read_text))


def _charge(out: PageAlignment, cls: str, op: str, n: int) -> None:
    if n:
        ops = out.errors.setdefault(cls, {})
        ops[op] = ops.get(op, 0) + n


# -- geometry helpers -------------------------------------------------------------------------------------


def _norm(box: tuple[float, ...], page: PageText) -> BBox:
    x0, y0, x1, y1 = box
    return BBox.from_points(x0, y0, max(x1, x0 + 1e-6), max(y1, y0 + 1e-6), page.width, page.height)
