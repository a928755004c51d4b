"""The file store port: every upload is stored durably before anything refers to it, under its sha256.

``local`` (the default) keeps files under the data dir; ``s3`` keeps them in an S3-compatible store that
several hosts share (:mod:`idp.storage.s3store`), so a worker on another host reads what this API host
stored. Readers need a file on disk: :meth:`BlobStore.local_path` gives one (a remote store downloads it
once into a local cache and checks its digest).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from idp.settings import Settings


class BlobStore(Protocol):
    """Content-addressed, durable: ``put`` returns only once the bytes would survive a crash."""

    def put(self, data: bytes) -> tuple[str, str]:
        """Store the bytes durably and return ``(sha256, storage_key)``."""

    def read(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path:
        """A local file holding the object's bytes (for readers that need a path)."""


def storage_key(digest: str) -> str:
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


def write_durably(target: Path, data: bytes) -> None:
    """Write to a temp file beside ``target``, fsync it, rename it into place, fsync the directory."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class FileStore:
    """Files kept under ``root/ab/cd/<sha256>``; the same bytes are stored once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> tuple[str, str]:
        """Store the bytes durably and return ``(sha256, storage_key)``."""
        digest = hashlib.sha256(data).hexdigest()
        key = storage_key(digest)
        target = self.root / key
        if target.exists() and target.stat().st_size == len(data):
            return digest, key
        write_durably(target, data)
        return digest, key

    def path(self, key: str) -> Path:
        return self.root / key

    def local_path(self, key: str) -> Path:
        return self.path(key)

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self.path(key).exists()


def file_store(settings: Settings) -> BlobStore:
    """The configured store (``IDP_FILE_STORE``): local disk, or the shared S3-compatible store."""
    if settings.file_store == "s3":
        from idp.storage.s3store import S3Store

        return S3Store.from_settings(settings)
    return FileStore(settings.files_dir)
