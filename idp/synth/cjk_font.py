"""A Chinese font that reportlab can embed: Noto Sans CJK SC (CFF outlines) subset and converted to TrueType.

reportlab refuses PostScript (CFF) outlines, and the only CJK font installed is the Noto OTC collection, so the
glyphs a document needs are subset with fontTools and their cubic curves turned into quadratic ones.
"""

from __future__ import annotations

import hashlib
import io
import logging
import string
from functools import lru_cache

logger = logging.getLogger(__name__)

#: Face preferred inside the collection (simplified Chinese glyph forms); face 0 (JP) if it is missing.
_PREFERRED_FACE = "Noto Sans CJK SC"
#: Always included, so ASCII digits, letters and common punctuation never fall back to a missing glyph.
_BASE_CHARS = string.printable + "¥￥（）：；，。、《》“”【】—·％×"


def cjk_font_name(text: str) -> str:
    """Register (once) a font covering every character of ``text`` and return its reportlab name."""
    chars = "".join(sorted(set(text + _BASE_CHARS) - {"\n", "\r", "\t", "\x0b", "\x0c"}))
    return _register(chars)


@lru_cache(maxsize=32)
def _register(chars: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

    name = "IdpCJK-" + hashlib.sha1(chars.encode("utf-8")).hexdigest()[:10]
    pdfmetrics.registerFont(ReportlabFont(name, io.BytesIO(_truetype_subset(chars))))
    logger.debug("registered %s with %d characters", name, len(chars))
    return name


def _truetype_subset(chars: str) -> bytes:
    """TrueType bytes of the Noto CJK face restricted to ``chars``."""
    import noto_cjk_sans_otc
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(noto_cjk_sans_otc.FONT_PATH), lazy=True)
    font = next(
        (f for f in collection.fonts if f["name"].getDebugName(4) == _PREFERRED_FACE), collection.fonts[0]
    )
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font: object) -> None:
    """Replace the CFF table by a glyf table (cubic → quadratic curves), in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    assert isinstance(font, TTFont)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for glyph_name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[glyph_name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[glyph_name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    maxp.recalc(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"
