"""A goods table's drawn ruling lines, where it has them: the bands between horizontal rules are its rows (a
wrapped name belongs to the row it is drawn in, whatever its distance to the numbers), the gaps between
vertical rules its columns (a run OCR read across a border is cut there)."""

from __future__ import annotations

from extractors.text.rulings import Rule
from extractors.text.table import Row
from extractors.text.table_columns import Column, Header

#: Rules closer than this many text heights are one (a double border, or both sides of a thick line).
_SAME = 0.4


def bands(rules: list[Rule], header: Header, body: list[Row], h: float) -> list[tuple[float, float]] | None:
    """(top, bottom) of each ruled row band under the header, or None when the rows are not ruled."""
    if not body:
        return None
    left = min(x0 for x0, _ in header.labels.values())
    right = max(x1 for _, x1 in header.labels.values())
    top, bottom = body[0].y0 - 3 * h, body[-1].y1 + 1.5 * h  # a band without text is skipped
    ys = sorted(r.at for r in rules if r.horizontal and top <= r.at <= bottom
                and r.start <= left + h and r.end >= right - h)
    ys = _merge(ys, _SAME * h)
    inside = [y for y in ys if body[0].y0 - 0.5 * h <= y <= body[-1].y1 + 0.5 * h]
    if len(inside) < 2:
        return None
    return list(zip(ys, ys[1:], strict=False))


def columns(rules: list[Rule], header: Header, body: list[Row], h: float) -> list[Column] | None:
    """Columns between the vertical rules crossing the body rows, each named by the header label it holds;
    None when fewer than three such rules are drawn or a label straddles one."""
    if not body:
        return None
    top, bottom = body[0].y0, body[-1].y1
    xs = _merge(sorted(r.at for r in rules if not r.horizontal and r.start <= top + h and r.end >= bottom - h),
                _SAME * h)
    if len(xs) < 3:
        return None
    out = []
    for x0, x1 in zip(xs, xs[1:], strict=False):
        inside = [k for k, (lx0, lx1) in header.labels.items() if x0 - 0.3 * h <= lx0 and lx1 <= x1 + 0.3 * h]
        straddle = [k for k, (lx0, lx1) in header.labels.items()
                    if lx0 < x0 - 0.3 * h < lx1 or lx0 < x1 + 0.3 * h < lx1]
        if straddle:
            return None
        key = inside[0] if len(inside) == 1 else "other:unnamed"
        out.append(Column(key, x0, x1, header.labels.get(key, (x0, x1))))
    if sum(1 for c in out if not c.key.startswith("other:")) < len(header.labels) - 1:
        return None
    return out


def _merge(values: list[float], gap: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= gap:
            continue
        out.append(v)
    return out
