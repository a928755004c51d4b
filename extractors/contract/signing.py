"""Which party each seal (and signature) belongs to, by the signing part's structure, never by position.

Each party's signing heading (甲方（盖章）, 供方 at the top of a details table, 出卖人（签章）：某公司) owns a
region of its page: across, up to the boundary with a party printed beside it (the ruling line between their
columns, else the middle of the gap between them); down, to the heading of a party stacked under it, or a
block's depth when none is. A seal belongs to the party whose region holds its centre; one just outside
every region goes to the nearest within reach, with a lower confidence. Each party gets at most one mark, and
two marks never go to one party while the other has none near.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.contract.columns import boundary
from extractors.contract.parties import Heading
from extractors.contract.text import ContractText
from idp.models import BBox, Mark, MarkKind

#: How far above its heading a party's region starts (text heights): stamps are pressed over the heading line.
_ABOVE = 3.0
#: How far a stacked block reaches down without a heading under it (share of the page height).
_DEPTH = 0.22
#: A mark this far outside every region (share of the page's smaller side) still goes to the nearest one.
_REACH = 0.06
#: Confidence of a mark that lay outside every region, or inside the regions of two parties.
UNSURE = 0.8
#: Signature marks on one line closer than this (share of the page width) are the strokes of one signature.
_STROKE_GAP = 0.02


@dataclass(frozen=True)
class Region:
    """The part of a page where a party signs and stamps (page units)."""

    role: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def distance(self, x: float, y: float) -> float:
        dx = max(self.x0 - x, 0.0, x - self.x1)
        dy = max(self.y0 - y, 0.0, y - self.y1)
        return (dx * dx + dy * dy) ** 0.5


@dataclass(frozen=True)
class Attached:
    """A mark given to a party, and how sure the attachment is."""

    mark: Mark
    page: int
    confidence: float


def signing_headings(headings: list[Heading]) -> list[Heading]:
    """The headings of the signing part: every 盖章/签字 heading of a role, else the role's last heading (a
    details table at the end of the contract is its signing part)."""
    out: list[Heading] = []
    for role in ("buyer", "seller"):
        mine = [h for h in headings if h.role == role]
        signed = [h for h in mine if h.signature]
        out += signed or mine[-1:]
    return out


def regions(text: ContractText, headings: list[Heading]) -> list[Region]:
    """Each signing heading's region (see the module docstring)."""
    signing = signing_headings(headings)
    out = []
    for h in signing:
        seg = h.seg
        w, page_h = text.sizes.get(seg.page, (1.0, 1.0))
        others = [o.seg for o in signing if o.seg.page == seg.page and o.role != h.role]
        beside = [o for o in others if abs((o.y0 + o.y1) / 2 - (seg.y0 + seg.y1) / 2) < 2 * seg.h]
        x0, x1 = 0.0, w
        for o in beside:
            if o.x0 >= seg.x1 - seg.h:
                x1 = min(x1, boundary(text, seg, o))
            elif o.x1 <= seg.x0 + seg.h:
                x0 = max(x0, boundary(text, o, seg))
        under = [o for o in others if o not in beside and o.y0 > seg.y1 and o.x0 < x1 and o.x1 > x0]
        over = [o for o in others if o not in beside and o.y1 < seg.y0 and o.x0 < x1 and o.x1 > x0]
        y0 = max([seg.y0 - _ABOVE * seg.h] + [o.y0 - 0.3 * o.h for o in over])
        y1 = min([seg.y1 + _DEPTH * page_h] + [o.y0 - 0.3 * o.h for o in under])
        out.append(Region(h.role or "", seg.page, x0, y0, x1, y1))
    return out


def attach(text: ContractText, headings: list[Heading], marks: dict[int, list[Mark]],
           kind: MarkKind) -> dict[str, Attached]:
    """Per role, the mark of ``kind`` that belongs to it (see the module docstring)."""
    areas = regions(text, headings)
    candidates: list[tuple[Mark, int, dict[str, float], set[str]]] = []
    for page, page_marks in marks.items():
        w, h = text.sizes.get(page, (1.0, 1.0))
        mine = [r for r in areas if r.page == page]
        for mark in (strokes_joined(page_marks) if kind == MarkKind.SIGNATURE else page_marks):
            if mark.kind != kind or not mine:
                continue
            x, y = mark.bbox.cx * w, mark.bbox.cy * h
            inside = {r.role for r in mine if r.distance(x, y) == 0.0}
            near: dict[str, float] = {}
            for r in mine:
                d = r.distance(x, y)
                if d <= _REACH * min(w, h) and d < near.get(r.role, float("inf")):
                    near[r.role] = d
            if near:
                candidates.append((mark, page, near, inside))
    return _best(candidates)


def strokes_joined(marks: list[Mark]) -> list[Mark]:
    """Signature marks side by side on one line with almost no gap joined into one: a handwritten name whose
    strokes were found apart is one signature, and its second half must not count as the next party's."""
    out: list[Mark] = []
    for mark in sorted(marks, key=lambda m: m.bbox.x0):
        last = next((m for m in reversed(out) if m.kind == MarkKind.SIGNATURE), None)
        if mark.kind == MarkKind.SIGNATURE and last is not None and _one_line(last, mark) and \
                mark.bbox.x0 - last.bbox.x1 < _STROKE_GAP:
            box = last.bbox
            joined = BBox(x0=box.x0, y0=min(box.y0, mark.bbox.y0), x1=max(box.x1, mark.bbox.x1),
                          y1=max(box.y1, mark.bbox.y1))
            out[out.index(last)] = last.model_copy(update={"bbox": joined,
                                                           "confidence": max(last.confidence, mark.confidence)})
        else:
            out.append(mark)
    return out


def _one_line(a: Mark, b: Mark) -> bool:
    overlap = min(a.bbox.y1, b.bbox.y1) - max(a.bbox.y0, b.bbox.y0)
    return overlap > 0.5 * min(a.bbox.y1 - a.bbox.y0, b.bbox.y1 - b.bbox.y0)


def _best(candidates: list[tuple[Mark, int, dict[str, float], set[str]]]) -> dict[str, Attached]:
    """The assignment of marks to roles (one each, a mark to one role) that attaches the most marks, then
    the nearest."""
    roles = sorted({role for _, _, near, _ in candidates for role in near})

    def search(k: int, used: frozenset[int]) -> tuple[int, float, dict[str, int]]:
        if k == len(roles):
            return 0, 0.0, {}
        best = search(k + 1, used)  # this role gets no mark
        for i, (_, _, near, _) in enumerate(candidates):
            if i in used or roles[k] not in near:
                continue
            n, total, chosen = search(k + 1, used | {i})
            if (n + 1, -(total + near[roles[k]])) > (best[0], -best[1]):
                best = (n + 1, total + near[roles[k]], {roles[k]: i, **chosen})
        return best

    out = {}
    for role, i in search(0, frozenset())[2].items():
        mark, page, _, inside = candidates[i]
        sure = inside == {role}
        out[role] = Attached(mark, page, mark.confidence if sure else min(mark.confidence, UNSURE))
    return out
