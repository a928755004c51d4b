"""Input backends: each module has ``read(path) -> list[PageText]`` and ``is_available() -> bool``."""

from __future__ import annotations

from types import ModuleType

from extractors.readers import dispatch, image, ofd, pdf_text

#: Registered readers by name; a backend whose ``is_available()`` is False is skipped by callers.
READERS: dict[str, ModuleType] = {
    "pdf_text": pdf_text,
    "ofd": ofd,
    "image": image,
    "document": dispatch,  # any accepted file: sniffs the bytes and picks one of the above per page
}
