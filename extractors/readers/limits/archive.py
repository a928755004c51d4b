"""OFD (zip) checks: entry count and names, every part read through a bounded reader, XML parts parsed with
defusedxml (no DTD, no entities) within a size limit, and image parts measured from their headers.

An unreferenced part counts too: a 1 GB inflating resource is refused whether or not a page uses it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from extractors.readers.limits.errors import reject
from extractors.readers.limits.image import apply_pillow_limit, looks_like_image
from extractors.readers.limits.model import Inspection, Limits

_CHUNK = 1024 * 1024
#: A page's content part (``Doc_0/Pages/Page_0/Content.xml``); templates live elsewhere.
_PAGE = re.compile(r"(?:^|/)Pages/[^/]+/Content\.xml$", re.IGNORECASE)
_MAX_NAME = 1024


def check_archive(path: Path, limits: Limits) -> Inspection:
    """Refuse an archive over a limit; one zipfile cannot open is left to the reader (``corrupt_ofd``)."""
    found = Inspection(kind="ofd")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return found
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_archive_entries:
            raise reject("too_many_entries", f"压缩包条目数 {len(infos)} 超过上限 {limits.max_archive_entries}",
                         "too many archive entries", entries=len(infos), limit=limits.max_archive_entries)
        for info in infos:
            check_entry_name(info.filename)
        found.pages = sum(1 for info in infos if _PAGE.search(info.filename))
        limits.check_pages(found.pages)
        for info in infos:
            if not info.is_dir():
                _check_part(zf, info, limits, found)
    return found


def check_entry_name(name: str) -> None:
    """No absolute path, no ``..``, no NUL or control characters, no endless names."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    bad = (len(name) > _MAX_NAME or name.startswith(("/", "\\")) or ".." in parts
           or any(ord(ch) < 32 for ch in name) or (len(name) > 1 and name[1] == ":"))
    if bad:
        raise reject("bad_archive_path", "压缩包中含有非法路径", "unsafe archive path", entry=name[:200])


def read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The part's bytes, refused (``decompression_bomb``) once more than ``limit`` bytes came out."""
    out = io.BytesIO()
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            out.write(chunk)
            if out.tell() > limit:
                raise reject("decompression_bomb", f"压缩包条目 {info.filename[:100]} 解压后超过 {limit} 字节",
                             "decompression bomb", entry=info.filename[:200], limit=limit)
    return out.getvalue()


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, found: Inspection) -> None:
    is_xml = info.filename.lower().endswith(".xml")
    limit = limits.max_xml_bytes if is_xml else limits.max_stream_bytes
    if info.file_size > limit:  # the declared size already says no: do not inflate it at all
        code, zh, en = ("xml_too_large", "XML 部件", "XML part too large") if is_xml else (
            "decompression_bomb", "压缩包条目", "decompression bomb")
        raise reject(code, f"{zh} {info.filename[:100]} 大小 {info.file_size} 超过上限 {limit}", en,
                     entry=info.filename[:200], limit=limit)
    try:
        data = read_bounded(zf, info, limit)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise reject("corrupt_ofd", f"压缩包条目 {info.filename[:100]} 已损坏", "corrupt OFD part",
                     entry=info.filename[:200], reason=str(exc)[:200]) from exc
    found.add_inflated(len(data), limits)
    if is_xml:
        _check_xml(data, info.filename)
    elif looks_like_image(data[:16]):
        _check_image_part(data, limits, found)


def _check_xml(data: bytes, name: str) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise reject("xml_forbidden", f"XML 部件 {name[:100]} 含有 DTD 或实体声明", "XML entities not allowed",
                     entry=name[:200]) from exc
    except ParseError:
        pass  # malformed XML: ofdkit names it (or tolerates a part no page uses)


def _check_image_part(data: bytes, limits: Limits, found: Inspection) -> None:
    from PIL import Image, UnidentifiedImageError

    apply_pillow_limit(limits)
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
    except Image.DecompressionBombError as exc:
        raise reject("image_too_large", "OFD 中的图像尺寸超出上限", "image too large", reason=str(exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return
    limits.check_image(width, height, "OFD 中的图像", shape=False)
    found.add_pixels(width * height, limits)
