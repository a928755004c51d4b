"""Small reportlab helpers shared by the foreign renderers: paragraph markup with a Latin face for digits,
a canvas that knows the page count when it writes footers (第 1 页 共 3 页), and a faux-bold title.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from idp.synth._font import register_cjk_font

_DIGITS = re.compile(r"[0-9][0-9,.:\-/%]*")
ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def cjk_font(*texts: str) -> str:
    """A CJK font covering every character of ``texts`` (one subset per document)."""
    return register_cjk_font("".join(texts))


def markup(text: str, digit_font: str = "") -> str:
    """Paragraph markup of plain ``text``: escaped, digit runs in ``digit_font`` when one is given."""
    safe = escape(text)
    if not digit_font:
        return safe
    return _DIGITS.sub(lambda m: f'<font name="{digit_font}">{m.group(0)}</font>', safe)


def style(name: str, font: str, size: float, *, align: str = "left", leading: float | None = None,
          indent: float = 0, space_after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.45,
                          alignment=ALIGN[align], firstLineIndent=indent, spaceAfter=space_after,
                          wordWrap="CJK")


def numbered_canvas(footer: str, font: str, size: float, header: Any = None) -> type[Canvas]:
    """A canvas class that holds pages until ``save`` so the footer can say the total page count.

    ``footer`` is a template with ``{page}`` and ``{pages}`` (empty: no footer); ``header(canvas, page)``,
    when given, draws a running header on every page."""

    class _Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, height = self._pagesize
                if header is not None:
                    header(self, number)
                if footer:
                    self.setFont(font, size)
                    self.drawCentredString(width / 2, 28, footer.format(page=number, pages=total))
                super().showPage()
            super().save()

    return _Numbered


class BoldTitle(Flowable):
    """A centred title drawn filled and stroked (the faux bold of a Word heading), or plain."""

    def __init__(self, text: str, font: str, size: float, *, bold: bool, spacing: float = 0) -> None:
        super().__init__()
        self.text, self.font, self.size, self.bold, self.spacing = text, font, size, bold, spacing

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.9

    def draw(self) -> None:
        c = self.canv
        t = c.beginText()
        t.setFont(self.font, self.size)
        t.setCharSpace(self.spacing)
        width = c.stringWidth(self.text, self.font, self.size) + self.spacing * (len(self.text) - 1)
        t.setTextOrigin((self.width - width) / 2, self.size * 0.5)
        if self.bold:
            c.setLineWidth(self.size / 30)
            t.setTextRenderMode(2)
        t.textOut(self.text)
        c.drawText(t)
