"""The drawing surface of synthetic invoices: text runs, rules and QR codes recorded page by page (top-left
coordinates), replayed into a PDF once the font subset is known; letter spacing draws every glyph as its own run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from idp.synth._font import register_cjk_font

_LABEL_COLOUR = (0.55, 0.25, 0.1)
_VALUE_COLOUR = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class _Text:
    x: float
    top: float
    text: str
    size: float
    align: str  #: "left", "right" or "centre" of ``x``
    colour: tuple[float, float, float]


@dataclass(frozen=True)
class _Qr:
    x: float
    top: float
    size: float
    text: str


@dataclass(frozen=True)
class _Line:
    x0: float
    top0: float
    x1: float
    top1: float
    width: float


class Sheet:
    """Records drawing operations (top-left coordinates), then replays them once the font subset is known."""

    def __init__(self, width: float, height: float, *, spacing: float = 0.0, scale: float = 1.0) -> None:
        self.width, self.height = width, height
        self.ops: list[_Text | _Line | _Qr] = []
        self.pages: list[list[_Text | _Line | _Qr]] = [self.ops]
        #: Extra gap between glyphs (share of the size), each glyph drawn as its own run (OFD → PDF).
        self.spacing = spacing
        self.scale = scale  #: size factor of value texts

    def new_page(self) -> None:
        self.ops = []
        self.pages.append(self.ops)

    def text(
        self, x: float, top: float, s: str, size: float = 9, *, align: str = "left", label: bool = False
    ) -> None:
        if s:
            size = size if label else size * self.scale
            self.ops.append(_Text(x, top, s, size, align, _LABEL_COLOUR if label else _VALUE_COLOUR))

    def label(self, x: float, top: float, s: str, size: float = 9) -> None:
        self.text(x, top, s, size, label=True)

    def spaced(self, x: float, top: float, chars: str, step: float, size: float = 9) -> None:
        """A label whose characters are printed apart (名 称, 校 验 码), each as its own run."""
        for i, ch in enumerate(chars):
            self.label(x + i * step, top, ch, size)

    def vertical(self, x: float, top: float, chars: str, step: float) -> None:
        for i, ch in enumerate(chars):
            self.label(x, top + i * step, ch)

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.6) -> None:
        self.ops.append(_Line(x0, top0, x1, top1, width))

    def qr(self, x: float, top: float, size: float, text: str) -> None:
        self.ops.append(_Qr(x, top, size, text))

    def save(self, path: Path, title: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen.canvas import Canvas

        font = register_cjk_font(
            "".join(op.text for ops in self.pages for op in ops if isinstance(op, _Text))
        )
        canvas = Canvas(str(path), pagesize=(self.width, self.height), invariant=1, pageCompression=1)
        canvas.setTitle(title)
        canvas.setAuthor("idp synthetic sample")
        canvas.setCreator("idp.synth")
        for ops in self.pages:
            for op in ops:
                if isinstance(op, _Qr):
                    _draw_qr(canvas, op, self.height)
                    continue
                if isinstance(op, _Line):
                    canvas.setStrokeColorRGB(*_LABEL_COLOUR)
                    canvas.setLineWidth(op.width)
                    canvas.line(op.x0, self.height - op.top0, op.x1, self.height - op.top1)
                    continue
                width = stringWidth(op.text, font, op.size)
                x = op.x - (width if op.align == "right" else width / 2 if op.align == "centre" else 0)
                canvas.setFillColorRGB(*op.colour)
                canvas.setFont(font, op.size)
                baseline = self.height - op.top - op.size * 0.88
                if not self.spacing:
                    canvas.drawString(x, baseline, op.text)
                    continue
                # every glyph its own run at a pitch wider than the glyph (an OFD's DeltaX converted to PDF):
                # smaller glyphs spread over the same width, a gap of ``spacing`` advances after each
                small = op.size / (1 + self.spacing)
                canvas.setFont(font, small)
                for ch in op.text:
                    if not ch.isspace():  # a converter advances over a space, it draws no glyph for it
                        canvas.drawString(x, baseline, ch)
                    x += stringWidth(ch, font, small) * (1 + self.spacing)
            canvas.showPage()
        canvas.save()


def _draw_qr(canvas: object, op: _Qr, page_height: float) -> None:
    """A QR code as an embedded image (as real e-invoices carry it), 4 px per module, with its quiet zone."""
    from PIL import Image
    from reportlab.graphics.barcode import qrencoder
    from reportlab.lib.utils import ImageReader

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(op.text)
    qr.make()
    n, border, px = qr.getModuleCount(), 2, 4
    image = Image.new("L", ((n + 2 * border) * px,) * 2, 255)
    for row in range(n):
        for col in range(n):
            if qr.isDark(row, col):
                x, y = (col + border) * px, (row + border) * px
                image.paste(0, (x, y, x + px, y + px))
    canvas.drawImage(ImageReader(image), op.x, page_height - op.top - op.size, op.size, op.size)  # type: ignore[attr-defined]
