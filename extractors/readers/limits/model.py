"""The limits (from the settings) and what a check learnt about a file."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.readers.limits.errors import reject
from idp.settings import Settings, get_settings

#: Resolution scanned PDF pages are rendered at for OCR (the dispatcher's RENDER_DPI).
OCR_DPI = 200


@dataclass(frozen=True)
class Limits:
    """Every input limit, in one value that can be handed to a child process."""

    max_pages: int = 100
    max_image_pixels: int = 50_000_000
    max_page_pixels: int = 40_000_000
    max_aspect_ratio: float = 25.0
    max_total_pixels: int = 600_000_000
    max_stream_bytes: int = 64 * 1024 * 1024
    max_inflated_bytes: int = 256 * 1024 * 1024
    max_xml_bytes: int = 8 * 1024 * 1024
    max_archive_entries: int = 2000

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        s = settings or get_settings()
        return cls(max_pages=s.max_pages, max_image_pixels=s.max_image_pixels, max_page_pixels=s.max_page_pixels,
                   max_aspect_ratio=s.max_aspect_ratio, max_total_pixels=s.max_total_pixels,
                   max_stream_bytes=s.max_stream_bytes, max_inflated_bytes=s.max_inflated_bytes,
                   max_xml_bytes=s.max_xml_bytes, max_archive_entries=s.max_archive_entries)

    def check_pages(self, count: int) -> None:
        if count > self.max_pages:
            raise reject("too_many_pages", f"页数 {count} 超过上限 {self.max_pages} 页", "too many pages",
                         pages=count, limit=self.max_pages)

    def check_shape(self, width: float, height: float, what: str) -> None:
        """A zero, sliver or needle shape (1 x 60000) is no document and breaks image code downstream."""
        small, large = min(width, height), max(width, height)
        if small <= 0:
            raise reject("image_bad_shape", f"{what}尺寸为零", "empty image", width=width, height=height)
        if large / small > self.max_aspect_ratio:
            raise reject("image_bad_shape", f"{what}长宽比异常 ({width:g} x {height:g})", "absurd aspect ratio",
                         width=width, height=height, limit=self.max_aspect_ratio)

    def check_image(self, width: int, height: int, what: str = "图像", *, shape: bool = True) -> None:
        """Pixels from the header; ``shape`` also refuses needles (not for images inside a page: rules)."""
        if width * height > self.max_image_pixels:
            raise reject("image_too_large", f"{what}像素 {width} x {height} 超过上限 {self.max_image_pixels}",
                         "image too large", width=width, height=height, limit=self.max_image_pixels)
        if shape:
            self.check_shape(width, height, what)

    def render_scale(self, width_pt: float, height_pt: float, dpi: float = OCR_DPI) -> float:
        """Pixels per point for a render at ``dpi``, lowered until the page fits ``max_page_pixels``;
        refused when even 72 dpi does not fit (``page_too_large``) or the shape is absurd."""
        self.check_shape(width_pt, height_pt, "页面")
        scale = dpi / 72
        pixels = width_pt * height_pt * scale * scale
        if pixels <= self.max_page_pixels:
            return scale
        fitted = (self.max_page_pixels / (width_pt * height_pt)) ** 0.5
        if fitted < 1.0:
            raise reject("page_too_large", f"页面尺寸 {width_pt:.0f} x {height_pt:.0f} pt 超出上限",
                         "page too large", width_pt=round(width_pt), height_pt=round(height_pt))
        return fitted


@dataclass
class Inspection:
    """What a check learnt: the kind of file, its page count and the pixels of work it holds."""

    kind: str
    pages: int = 0
    pixels: int = 0
    inflated_bytes: int = 0
    notes: list[str] = field(default_factory=list)

    def add_pixels(self, pixels: int, limits: Limits) -> None:
        self.pixels += pixels
        if self.pixels > limits.max_total_pixels:
            raise reject("too_much_work", f"文档总像素超过上限 {limits.max_total_pixels}", "document too large",
                         limit=limits.max_total_pixels)

    def add_inflated(self, size: int, limits: Limits) -> None:
        self.inflated_bytes += size
        if self.inflated_bytes > limits.max_inflated_bytes:
            raise reject("decompression_bomb", f"解压后总大小超过上限 {limits.max_inflated_bytes} 字节",
                         "decompression bomb", limit=limits.max_inflated_bytes)
