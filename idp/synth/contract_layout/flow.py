"""Page flow for synthetic contracts: text placed top-down onto as many A4 pages as it needs, tables with
wrapped cells that break across pages, then everything drawn with reportlab.

Widths are estimated (a CJK character is one em, ASCII about half), which is all wrapping needs.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

W, H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 539.0, 62.0, 72.0


def text_width(s: str, size: float) -> float:
    """Estimated width of ``s`` at ``size`` points."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56 * size for ch in s)


_TOKEN = re.compile(r"[A-Za-z0-9.,¥%‰*/+\-Φ()]+|.", re.S)


def wrap(s: str, width: float, size: float) -> list[str]:
    """``s`` cut into lines no wider than ``width``: between any two Chinese characters, never inside a run of
    Latin letters and digits (an amount or a model number stays on one line unless it alone is too wide)."""
    lines, line = [], ""
    for token in _TOKEN.findall(s):
        if line and text_width(line + token, size) > width:
            lines.append(line)
            line = ""
        while text_width(token, size) > width and len(token) > 1:  # a run wider than the line: cut it
            cut = max(1, int(width / (0.56 * size)))
            if line:
                lines.append(line)
                line = ""
            lines.append(token[:cut])
            token = token[cut:]
        line += token
    return [*lines, line] if line or not lines else lines


@dataclass
class Page:
    ops: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    """A table column: header text, width, alignment of its cells (left, right, centre)."""

    label: str
    width: float
    align: str = "left"


class Flow:
    """Places text top-down, starting a new page when the next block does not fit."""

    def __init__(self, body: float, *, bold: bool = False) -> None:
        self.pages: list[Page] = [Page()]
        self.y = TOP
        self.body = body
        self.leading = body * 1.62

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def need(self, height: float) -> bool:
        """Start a new page unless ``height`` fits; True when it did."""
        if self.y + height > H - BOTTOM:
            self.pages.append(Page())
            self.y = TOP
            return True
        return False

    def text(self, x: float, s: str, size: float | None = None, *, align: str = "left", advance: bool = True,
             bold: bool = False) -> None:
        size = size or self.body
        self.need(size * 1.6)
        self.page.ops.append(("text", x, self.y, s, size, align, bold))
        if advance:
            self.y += max(self.leading, size * 1.6)

    def para(self, s: str, *, indent: float = 0.0, first_indent: bool = True, x1: float = RIGHT) -> None:
        """A paragraph wrapped to the text width, the first line indented two characters."""
        x0 = LEFT + indent
        first = 2 * self.body if first_indent else 0.0
        head = wrap(s, x1 - x0 - first, self.body)[0]
        self.text(x0 + first, head)
        rest = s[len(head):]
        for more in wrap(rest, x1 - x0, self.body) if rest else []:
            self.text(x0, more)

    def gap(self, h: float) -> None:
        self.y += h

    def seal(self, x: float, top: float, name: str, seed: int) -> None:
        self.page.ops.append(("seal", x, top, name, seed))

    def sign(self, x: float, top: float, seed: int) -> None:
        self.page.ops.append(("sign", x, top, seed))

    def table(self, columns: list[Column], rows: list[list[str]], *, size: float, rules: str = "grid",
              header: bool = True, repeat_header: bool = True, valign: str = "top", x0: float = LEFT,
              spans: dict[int, list[tuple[int, int]]] | None = None) -> list[tuple[int, float, float]]:
        """Draw a table; cells wrap to their column. Returns (page index, top, bottom) of each body row.

        ``spans`` maps a row index to (first, last) column ranges merged into one cell (the 合计 row).
        """
        pad, line = 3.0, size * 1.45
        spans = spans or {}
        widths = [c.width for c in columns]
        placed: list[tuple[int, float, float]] = []

        def cells_of(values: list[str], merged: list[tuple[int, int]]) -> list[tuple[float, float, str, str]]:
            groups = merged or [(i, i) for i in range(len(columns))]
            out = []
            for a, b in groups:
                x = x0 + sum(widths[:a])
                out.append((x, sum(widths[a:b + 1]), values[a], columns[a].align if a == b else "left"))
            return out

        def draw_row(values: list[str], merged: list[tuple[int, int]], *, is_header: bool) -> tuple[float, float]:
            cells = cells_of(values, merged)
            wrapped = [wrap(v, w - 2 * pad, size) if v else [""] for _, w, v, _ in cells]
            height = max(len(w) for w in wrapped) * line + 2 * pad
            if self.need(height) and repeat_header and header and not is_header:
                draw_row([c.label for c in columns], [], is_header=True)
            top = self.y
            for (x, w, _, align), lines in zip(cells, wrapped, strict=True):
                offset = (height - 2 * pad - len(lines) * line) / 2 if valign == "middle" or is_header else 0.0
                for k, s in enumerate(lines):
                    y = top + pad + offset + (k + 0.78) * line
                    if align == "right":
                        self.page.ops.append(("text", x + w - pad, y, s, size, "right", is_header))
                    elif align == "centre" or is_header:
                        self.page.ops.append(("text", x + w / 2, y, s, size, "centre", is_header))
                    else:
                        self.page.ops.append(("text", x + pad, y, s, size, "left", False))
            bottom = top + height
            if rules in ("grid", "rows"):
                self.page.ops.append(("hline", x0, top, x0 + sum(widths)))
                self.page.ops.append(("hline", x0, bottom, x0 + sum(widths)))
            if rules == "grid":
                xs = {x0, x0 + sum(widths)} | {x for x, _, _, _ in cells} | {x + w for x, w, _, _ in cells}
                for x in sorted(xs):
                    self.page.ops.append(("vline", x, top, bottom))
            self.y = bottom
            return top, bottom

        if header:
            self.need(3 * line + 4 * pad)
            draw_row([c.label for c in columns], [], is_header=True)
        for i, values in enumerate(rows):
            top, bottom = draw_row(values, spans.get(i, []), is_header=False)
            placed.append((len(self.pages) - 1, top, bottom))
        self.y += self.body * 1.3  # the next baseline clears the last rule
        return placed


def render_pdf(flow: Flow, *, title: str, font: str, header: str, footer: str) -> bytes:
    """Draw the flow's pages with reportlab: text, rules, seal images and signature strokes."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from idp.synth._seal import draw_signature, seal_png

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(W, H), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("idp.synth")
    total = len(flow.pages)
    for n, page in enumerate(flow.pages, start=1):
        for op in page.ops:
            kind = op[0]
            if kind == "text":
                _, x, top, s, size, align, bold = op
                width = canvas.stringWidth(s, font, size)
                start = {"left": x, "right": x - width, "centre": x - width / 2}[align]
                obj = canvas.beginText(start, H - top)
                obj.setFont(font, size)
                obj.setFillColorRGB(0, 0, 0)
                if bold:  # fill and stroke: a heavier face from the one regular font
                    obj.setTextRenderMode(2)
                    canvas.setLineWidth(0.3)
                obj.textOut(s)
                if bold:
                    obj.setTextRenderMode(0)  # the mode outlives the text object
                canvas.drawText(obj)
            elif kind == "hline":
                canvas.setLineWidth(0.6)
                canvas.line(op[1], H - op[2], op[3], H - op[2])
            elif kind == "vline":
                canvas.setLineWidth(0.6)
                canvas.line(op[1], H - op[2], op[1], H - op[3])
            elif kind == "seal":
                _, x, top, name, seed = op
                size = 112.0
                img = ImageReader(io.BytesIO(seal_png(name, seed)))
                canvas.drawImage(img, x - size / 2 + 40, H - top - size / 2 - 4, size, size, mask="auto")
            elif kind == "sign":
                _, x, top, seed = op
                draw_signature(canvas, x, H - top - 6, 80, 22, seed)
        canvas.setFont(font, 8.5)
        canvas.setFillColorRGB(0.25, 0.25, 0.25)
        if header:
            canvas.drawString(LEFT, H - 34, header.format(page=n, pages=total))
            canvas.setLineWidth(0.4)
            canvas.line(LEFT, H - 39, RIGHT, H - 39)
        if footer:
            canvas.drawCentredString(W / 2, 36, footer.format(page=n, pages=total))
        canvas.showPage()
    canvas.save()
    return out.getvalue()
