"""Boxes in normalised page coordinates, so a box means the same on a 72-dpi text layer and a 300-dpi scan."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BBox(BaseModel):
    """A rectangle on a page: x to the right, y downwards, both in 0..1 of the page size."""

    model_config = ConfigDict(frozen=True)

    x0: float = Field(ge=0, le=1)
    y0: float = Field(ge=0, le=1)
    x1: float = Field(ge=0, le=1)
    y1: float = Field(ge=0, le=1)

    @classmethod
    def from_points(cls, x0: float, y0: float, x1: float, y1: float, width: float, height: float) -> BBox:
        """Normalise a box given in page units (points or pixels), clamping to the page."""

        def clamp(v: float) -> float:
            return min(1.0, max(0.0, v))

        return cls(
            x0=clamp(min(x0, x1) / width),
            y0=clamp(min(y0, y1) / height),
            x1=clamp(max(x0, x1) / width),
            y1=clamp(max(y0, y1) / height),
        )

    def union(self, other: BBox) -> BBox:
        return BBox(
            x0=min(self.x0, other.x0),
            y0=min(self.y0, other.y0),
            x1=max(self.x1, other.x1),
            y1=max(self.y1, other.y1),
        )

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0
