"""A CJK font for reportlab from the PyPI package ``noto-cjk-sans-otc``.

reportlab cannot embed CFF (PostScript) outlines, and Noto Sans CJK is CFF, so the face is subset to the text
a document needs and its outlines are converted to TrueType quadratics with fontTools (cu2qu), in memory.
"""

from __future__ import annotations

import hashlib
import io
import string
from functools import lru_cache

#: Face index in NotoSansCJK-Regular.ttc: 0 JP, 1 KR, 2 SC (simplified Chinese), 3 TC, 4 HK.
SC_FACE = 2
#: Curve approximation error, in font units (of 1000 per em).
_MAX_ERR = 1.0


def register_cjk_font(text: str, *, face: int = SC_FACE) -> str:
    """Register (once) a Noto Sans CJK subset covering ``text`` and ASCII; return its reportlab name.

    ``face`` picks the regional glyph forms of the collection (SC by default; TC and JP draw some characters
    differently, which is how real documents set in other fonts differ too)."""
    chars = "".join(sorted(set(text) | set(string.printable.strip()) | {" "}))
    return _register(chars, face)


@lru_cache(maxsize=32)
def _register(chars: str, face: int = SC_FACE) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # reportlab shares one font object per PostScript name, so each subset gets its own name.
    key = chars if face == SC_FACE else f"{face}:{chars}"  # SC names stay as they were (same bytes)
    name = "NotoSansSC-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    pdfmetrics.registerFont(TTFont(name, io.BytesIO(_truetype_subset(chars, name, face))))
    return name


def _truetype_subset(chars: str, ps_name: str = "NotoSansSC-Subset", face: int = SC_FACE) -> bytes:
    import noto_cjk_sans_otc
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(noto_cjk_sans_otc.FONT_PATH), fontNumber=face, recalcTimestamp=False)
    options = subset.Options()
    options.desubroutinize = True
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for glyph_name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[glyph_name].draw(Cu2QuPen(pen, _MAX_ERR, reverse_direction=True))
        glyf[glyph_name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):  # fmt: skip
        setattr(maxp, attr, 0)
    maxp.maxZones = 2
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    names = font["name"]
    for name_id in (1, 3, 4, 6):
        names.setName(ps_name, name_id, 3, 1, 0x409)
        names.setName(ps_name, name_id, 1, 0, 0)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
