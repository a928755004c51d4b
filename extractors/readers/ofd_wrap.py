"""OFD TextCodes that wrap inside one code (a negative DeltaX jump, or DeltaY steps), split into visual lines.

ofdkit reports such a code as one run at its first character (it ignores DeltaY), so a four-line 密码区 or a
wrapped item name would become one long line running off the page. This reads the deltas and cuts the run.
"""

from __future__ import annotations

import logging
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

logger = logging.getLogger(__name__)

#: Content files larger than this are not re-read for wrapped codes (ofdkit has already read them).
_MAX_PART = 16 * 1024 * 1024


@dataclass(frozen=True)
class Piece:
    """One visual line of a wrapped code: its text and offset (object units) from the code's first char."""

    text: str
    dx: float
    dy: float
    advance: float


def wrapped_codes(source: Path | bytes) -> dict[tuple[str, str], tuple[float, list[Piece]]]:
    """``(TextObject ID or "", code text)`` → ``(object Size, pieces)`` for every code that wraps."""
    out: dict[tuple[str, str], tuple[float, list[Piece]]] = {}
    try:
        with zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source) as zf:
            for info in zf.infolist():
                if not info.filename.endswith("Content.xml") or info.file_size > _MAX_PART:
                    continue
                root = ET.fromstring(zf.read(info))
                for obj in root.iter():
                    if obj.tag.rsplit("}", 1)[-1] == "TextObject":
                        _collect(obj, out)
    except (zipfile.BadZipFile, ET.ParseError, OSError, ValueError) as exc:
        logger.info("wrapped OFD text codes not read: %s", exc)
    return out


def _collect(obj: ET.Element, out: dict[tuple[str, str], tuple[float, list[Piece]]]) -> None:
    size = _float(obj.get("Size"), 3.0)
    for code in obj:
        if code.tag.rsplit("}", 1)[-1] != "TextCode" or not code.text:
            continue
        text = code.text
        dxs = _deltas(code.get("DeltaX"), len(text) - 1)
        dys = _deltas(code.get("DeltaY"), len(text) - 1)
        if not any(d < 0 for d in dxs) and not any(dys):
            continue
        pieces = _split(text, dxs, dys, size)
        if len(pieces) > 1:
            out[(obj.get("ID", "").strip(), text)] = (size, pieces)


def _split(text: str, dxs: list[float], dys: list[float], size: float) -> list[Piece]:
    pieces: list[Piece] = []
    x = y = 0.0
    start, start_x, start_y = 0, 0.0, 0.0
    for i in range(1, len(text) + 1):
        dx = dxs[i - 1] if i - 1 < len(dxs) else _width(text[i - 1], size)
        dy = dys[i - 1] if i - 1 < len(dys) else 0.0
        if i == len(text) or dy != 0 or dx < 0:
            advance = x - start_x + _width(text[i - 1], size)
            pieces.append(Piece(text[start:i], start_x, start_y, advance))
            start, start_x, start_y = i, x + dx, y + dy
        x, y = x + dx, y + dy
    return [p for p in pieces if p.text.strip()]


def _width(ch: str, size: float) -> float:
    return size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.5


def _deltas(value: str | None, limit: int) -> list[float]:
    """A DeltaX/DeltaY list with the ``g <count> <value>`` shorthand expanded (at most ``limit`` values)."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    while i < len(tokens) and len(out) < limit:
        if tokens[i] == "g" and i + 2 < len(tokens):
            count = int(_float(tokens[i + 1], 0))
            out.extend([_float(tokens[i + 2], 0.0)] * max(0, min(count, limit - len(out))))
            i += 3
            continue
        out.append(_float(tokens[i], 0.0))
        i += 1
    return out


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
