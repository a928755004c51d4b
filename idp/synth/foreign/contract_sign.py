"""The signing block at the foot of a contract: each party's name with its seal stamped over it (an image, as
in e-signed PDFs, so the seal's text never enters the text layer) and a signature scribble, in one of three
arrangements: two columns, stacked, or a details table (单位名称（章）/地址/开户银行/账号/税号 …).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from idp.synth._seal import draw_signature, seal_png
from idp.synth.foreign.contract_model import Contract

_SEAL = 40 * mm
_SIGN_LABEL = "法定代表人或授权代表（签字）："


def wrap(text: str, font: str, size: float, width: float, canvas: Any) -> list[str]:
    """``text`` cut into lines no wider than ``width`` (character by character, as CJK text wraps)."""
    lines, line = [], ""
    for ch in text:
        if line and canvas.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines or [""]


class SignatureBlock(Flowable):
    def __init__(self, contract: Contract, font: str) -> None:
        super().__init__()
        self.c, self.font = contract, font
        self.size = contract.family.table_size + 0.5
        self.lead = self.size * 1.7
        self.mode = contract.family.signature_block
        self.order = ("seller", "buyer") if contract.family.seller_first else ("buyer", "seller")

    # -- content ------------------------------------------------------------------------------------------
    def _role(self, role: str) -> str:
        f = self.c.family
        return f.seller_role if role == "seller" else f.buyer_role

    def _party(self, role: str) -> Any:
        return self.c.seller if role == "seller" else self.c.buyer

    def _rows(self, role: str) -> list[tuple[str, str, str]]:
        """(label, value, mark) rows of the details table; mark 'seal'/'sign' says what goes over the row."""
        f, p = self.c.family, self._party(role)
        if f.party_style == "bottom_only":
            out = []
            for key in f.party_fields:
                value = self.c.printed(role, key)
                if value is None:
                    continue
                mark = "seal" if key == "name" else "sign" if key == "contact" else ""
                out.append((f.labels[key], value or "", mark))
            return out
        rows = [(f"{self._role(role)}（盖章）", p.shown, "seal"), ("法定代表人（签字）", "", "sign"),
                ("开户银行", p.bank, ""), ("账号", p.account, "")]
        return rows

    # -- geometry -----------------------------------------------------------------------------------------
    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if self.mode == "table_details":
            self.height = max(len(self._rows(r)) for r in self.order) * self.lead * 1.25 + 8
        elif self.mode == "stacked":
            self.height = 2 * (4 * self.lead + 6 * mm)
        else:
            self.height = 5 * self.lead + _SEAL * 0.35
        return self.width, self.height

    def draw(self) -> None:
        {"table_details": self._draw_table, "stacked": self._draw_stacked}.get(self.mode, self._draw_columns)()

    def _seal(self, role: str, cx: float, cy: float) -> None:
        if not self.c.seals[role]:
            return
        name = self._party(role).shown
        png = seal_png(name, self.c.seed + (0 if role == "seller" else 1))
        r = _SEAL / 2
        self.canv.drawImage(ImageReader(io.BytesIO(png)), cx - r, cy - r, _SEAL, _SEAL, mask="auto")

    def _sign(self, role: str, x: float, y: float) -> None:
        if self.c.signatures[role]:
            draw_signature(self.canv, x, y - 3, 26 * mm, self.size * 1.6, self.c.seed * 2 + (role == "buyer"))

    def _text(self, x: float, y: float, text: str) -> None:
        self.canv.setFont(self.font, self.size)
        self.canv.drawString(x, y, text)

    def _block(self, role: str, x: float, top: float, width: float) -> None:
        """Role and name, signature line, date line, starting at ``top``; seal over the name."""
        y = top - self.lead
        name_lines = wrap(f"{self._role(role)}（盖章）：{self._party(role).shown}", self.font, self.size,
                          width - 6, self.canv)
        for line in name_lines:
            self._text(x, y, line)
            y -= self.lead
        self._seal(role, x + min(width * 0.55, 60 * mm), y + self.lead * 1.2)
        self._text(x, y, _SIGN_LABEL)
        self._sign(role, x + self.canv.stringWidth(_SIGN_LABEL, self.font, self.size), y)
        y -= self.lead
        self._text(x, y, "日期：        年     月     日")

    def _draw_columns(self) -> None:
        half = self.width / 2
        for i, role in enumerate(self.order):
            self._block(role, i * half, self.height, half)

    def _draw_stacked(self) -> None:
        top = self.height
        for role in self.order:
            self._block(role, 0, top, self.width * 0.7)
            top -= 4 * self.lead + 6 * mm

    def _draw_table(self) -> None:
        c = self.canv
        half = self.width / 2
        label_w = half * 0.34
        row_h = self.lead * 1.25
        top = self.height
        for i, role in enumerate(self.order):
            x0 = i * half
            y = top
            for label, value, mark in self._rows(role):
                c.setLineWidth(0.5)
                c.rect(x0, y - row_h, label_w, row_h)
                c.rect(x0 + label_w, y - row_h, half - label_w, row_h)
                size = self.size if c.stringWidth(value, self.font, self.size) < half - label_w - 6 else self.size * 0.8
                c.setFont(self.font, self.size * 0.9)
                c.drawString(x0 + 3, y - row_h + row_h * 0.32, label)
                c.setFont(self.font, size)
                c.drawString(x0 + label_w + 3, y - row_h + row_h * 0.32, value)
                if mark == "seal":
                    self._seal(role, x0 + label_w + (half - label_w) * 0.6, y - row_h * 0.9)
                if mark == "sign":
                    self._sign(role, x0 + label_w + 3 + c.stringWidth(value, self.font, size) + 6, y - row_h + 3)
                y -= row_h

