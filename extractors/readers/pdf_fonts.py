"""A CJK fallback font for pdfium, so PDFs that name Chinese fonts without embedding them render their text.

Many e-invoices name 宋体/楷体_GB2312/STSong-Light and embed nothing. pdfium then asks the platform for
the font; a slim Linux image has no CJK font, and the Chinese text renders as blank space.
:func:`install_cjk_fallback` registers a pdfium system-font handler that answers every CJK request (GB2312,
Big5, Shift-JIS, Hangul charsets, or a Chinese face name) with Noto Sans CJK SC from the
``noto-cjk-sans-otc`` wheel (a project dependency), and passes every other request to pdfium's own handler.
It is installed for rendering only (synthetic scans); the text reader does not rely on it (it costs ~1 s
per process), but once installed pdfium's text API can also place those fonts' glyphs.
"""

from __future__ import annotations

import ctypes
import io
import logging
import threading
from functools import lru_cache
from typing import Any

logger = logging.getLogger(__name__)

#: Face of NotoSansCJK-Regular.ttc used (0 JP, 1 KR, 2 SC, 3 TC, 4 HK), as :mod:`idp.synth._font`.
_SC_FACE = 2
_FACE_NAME = b"Noto Sans CJK SC"
#: Windows charsets pdfium passes for CJK fonts: Shift-JIS, Hangul, GB2312, Big5.
_CJK_CHARSETS = frozenset({128, 129, 134, 136})
_GB2312 = 134
#: Face-name fragments of Chinese fonts (lower-cased ASCII, or the Chinese names some writers use).
_CJK_NAMES = (
    b"song", b"kai", b"hei", b"fang", b"ming", b"simsun", b"yahei", b"gb2312", b"gbk", b"noto sans cjk",
    "宋".encode(), "楷".encode(), "黑".encode(), "仿".encode(),
)  # fmt: skip
#: The opaque handle pdfium gets for the fallback font (any non-zero value it hands back to us).
_HANDLE = 0x43_4A_4B

_lock = threading.Lock()
_installed: list[Any] = []  # the live handler (pdfium keeps a raw pointer to it)


def install_cjk_fallback() -> bool:
    """Register the fallback once per process; False when the font or pypdfium2's handler API is missing."""
    with _lock:
        if _installed:
            return True
        try:
            from pypdfium2._helpers.sysfontinfo import PdfSysfontBase
        except ImportError:  # pragma: no cover - pypdfium2 < 4.20
            logger.warning("pypdfium2 has no system-font handler API; CJK fallback not installed")
            return False
        data = _font_bytes()
        if data is None:
            return False
        handler = _make_handler(PdfSysfontBase, data)
        handler.setup()
        _installed.append(handler)
        return True


@lru_cache(maxsize=1)
def _font_bytes() -> bytes | None:
    """The SC face of the Noto Sans CJK collection as one OpenType file (about 16 MB, ~1.5 s, once)."""
    try:
        import noto_cjk_sans_otc
        from fontTools.ttLib import TTFont
    except ImportError:
        logger.warning("noto-cjk-sans-otc or fontTools missing; CJK fallback not installed")
        return None
    out = io.BytesIO()
    TTFont(str(noto_cjk_sans_otc.FONT_PATH), fontNumber=_SC_FACE, lazy=True).save(out)
    return out.getvalue()


def is_cjk_request(charset: int, face: bytes | None) -> bool:
    """A font request pdfium should get the CJK fallback for."""
    if charset in _CJK_CHARSETS:
        return True
    name = (face or b"").lower()
    return any(part in name for part in _CJK_NAMES)


def _make_handler(base: type, data: bytes) -> Any:
    buffer = ctypes.create_string_buffer(data, len(data))
    size = len(data)

    def _name(ptr: Any) -> bytes | None:
        return ctypes.cast(ptr, ctypes.c_char_p).value if ptr else None

    class _CjkFallback(base):  # type: ignore[misc, valid-type]
        """pdfium system-font callbacks: the fallback for CJK requests, pdfium's default for the rest."""

        def EnumFonts(self, _: Any, mapper: Any) -> None:  # noqa: N802 - pdfium's callback names
            import pypdfium2.raw as pdfium_c

            self.default.EnumFonts(self.default, mapper)
            pdfium_c.FPDF_AddInstalledFont(mapper, _FACE_NAME, _GB2312)

        def MapFont(self, _: Any, weight: int, italic: int, charset: int, *rest: Any) -> Any:  # noqa: N802
            pitch, face, exact = rest
            if is_cjk_request(charset, _name(face)):
                return _HANDLE
            return self.default.MapFont(self.default, weight, italic, charset, pitch, face, exact)

        def GetFont(self, _: Any, face: Any) -> Any:  # noqa: N802
            if (_name(face) or b"").startswith(_FACE_NAME):
                return _HANDLE
            return self.default.GetFont(self.default, face)

        def GetFontData(self, _: Any, font: Any, table: int, out: Any, out_size: int) -> int:  # noqa: N802
            if font != _HANDLE:
                return self.default.GetFontData(self.default, font, table, out, out_size)
            if table != 0:  # pdfium asks for the whole file (table 0); single tables are read from it
                return 0
            if out and out_size >= size:
                ctypes.memmove(out, buffer, size)
            return size

        def GetFaceName(self, _: Any, font: Any, out: Any, out_size: int) -> int:  # noqa: N802
            if font != _HANDLE:
                return self.default.GetFaceName(self.default, font, out, out_size)
            name = _FACE_NAME + b"\0"
            if out and out_size >= len(name):
                ctypes.memmove(out, name, len(name))
            return len(name)

        def GetFontCharset(self, _: Any, font: Any) -> int:  # noqa: N802
            if font == _HANDLE:
                return _GB2312
            return self.default.GetFontCharset(self.default, font)

        def DeleteFont(self, _: Any, font: Any) -> None:  # noqa: N802
            if font != _HANDLE:
                self.default.DeleteFont(self.default, font)

    return _CjkFallback()
