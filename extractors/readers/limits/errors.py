"""Input codes for files over a limit, and for the errors libraries raise on hostile input.

Anything mapped here is the file's fault: it fails at once, visibly, with no retry. Anything not mapped
(the database, Redis, the disk) is treated as transient and retried.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import Any

from idp.errors import InputRejected


def reject(code: str, zh: str, en: str, **detail: Any) -> InputRejected:
    """An ``InputRejected`` with a stable code and a ``中文 (English)`` message."""
    return InputRejected(f"{zh} ({en})", code=code, **detail)


def input_error(exc: BaseException) -> InputRejected | None:
    """The input code for an error a reader library raised on a bad file; None for anything else."""
    if isinstance(exc, InputRejected):
        return exc
    reason = f"{type(exc).__name__}: {exc}"[:500]
    if isinstance(exc, MemoryError):
        return reject("memory_limit", "处理该文件所需内存超出上限", "memory limit exceeded", reason=reason)
    if isinstance(exc, RecursionError):
        return reject("corrupt_structure", "文件结构自我引用或嵌套过深", "self-referencing structure",
                      reason=reason)
    for kinds, code, zh, en in _library_errors():
        if isinstance(exc, kinds):
            return reject(code, zh, en, reason=reason)
    return None


def _library_errors() -> list[tuple[tuple[type[BaseException], ...], str, str, str]]:
    """(error types, code, 中文, English), most specific first; imported lazily (all are reader libraries)."""
    import xml.etree.ElementTree as ET

    import cv2
    import pypdfium2
    from defusedxml import DefusedXmlException
    from PIL import Image, UnidentifiedImageError

    table: list[tuple[tuple[type[BaseException], ...], str, str, str]] = [
        ((Image.DecompressionBombError,), "image_too_large", "图像尺寸超出上限", "image too large"),
        ((DefusedXmlException,), "xml_forbidden", "XML 含有不允许的 DTD 或实体声明", "XML entities not allowed"),
        ((pypdfium2.PdfiumError,), "corrupt_pdf", "PDF 文件已损坏，无法解析", "the PDF cannot be parsed"),
        ((UnidentifiedImageError,), "corrupt_image", "图像文件损坏或无法解码", "corrupt image"),
        ((cv2.error,), "corrupt_image", "图像无法处理（尺寸或格式异常）", "image cannot be processed"),
        ((zipfile.BadZipFile, zipfile.LargeZipFile), "corrupt_ofd", "OFD 文件损坏或无法解析", "corrupt OFD"),
        ((zlib.error,), "corrupt_stream", "文件中的压缩数据已损坏", "corrupt compressed data"),
        ((ET.ParseError,), "corrupt_xml", "文件中的 XML 已损坏", "corrupt XML"),
    ]
    try:
        from lxml import etree

        table.append(((etree.LxmlError,), "corrupt_xml", "文件中的 XML 已损坏", "corrupt XML"))
    except ImportError:  # pragma: no cover - lxml comes with the readers
        pass
    try:
        import ofdkit

        table.append(((ofdkit.OFDLimitError,), "file_too_large", "OFD 文件超出安全限制", "OFD too large"))
        table.append(((ofdkit.OFDError,), "corrupt_ofd", "OFD 文件损坏或无法解析", "corrupt OFD"))
    except ImportError:  # pragma: no cover
        pass
    try:
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psexceptions import PSException

        table.append(((PDFSyntaxError, PSException), "corrupt_pdf", "PDF 文件已损坏，无法解析",
                      "the PDF cannot be parsed"))
    except ImportError:  # pragma: no cover
        pass
    return table
