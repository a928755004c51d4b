"""An S3-compatible file store (boto3) that several hosts share: MinIO, Ceph RGW, a bank's object store, AWS.

Same promise as the local store: ``put`` returns only after the store acknowledged the object (S3 answers a
PUT once the object is durable) and the bytes were checked in transit (``Content-MD5``). Objects are named
by their sha256, so a repeat upload is recognised and never rewritten. Readers get a local copy from
:meth:`S3Store.local_path`, downloaded once into ``<data dir>/cache`` and checked against the digest.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from pathlib import Path
from typing import Any

from idp.settings import Settings
from idp.storage.blobstore import storage_key, write_durably

_clients: dict[tuple[str | None, str, str | None], Any] = {}
_lock = threading.Lock()


class StoreCorrupt(Exception):
    """The bytes read back do not have the digest they are stored under."""


class S3Store:
    def __init__(self, client: Any, bucket: str, *, prefix: str = "", cache_dir: Path) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.cache_dir = cache_dir

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        return cls(_client(settings), settings.s3_bucket, prefix=settings.s3_prefix,
                   cache_dir=settings.data_dir / "cache")

    def _name(self, key: str) -> str:
        return self.prefix + key

    def put(self, data: bytes) -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        key = storage_key(digest)
        if self._size(key) == len(data):
            return digest, key
        md5 = base64.b64encode(hashlib.md5(data).digest()).decode()  # noqa: S324 - transfer check, not security
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data, ContentMD5=md5,
                               Metadata={"sha256": digest})
        return digest, key

    def read(self, key: str) -> bytes:
        data: bytes = self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()
        digest = key.rsplit("/", 1)[-1]
        if len(digest) == 64 and hashlib.sha256(data).hexdigest() != digest:
            raise StoreCorrupt(f"object {key} does not match its digest")
        return data

    def exists(self, key: str) -> bool:
        return self._size(key) is not None

    def local_path(self, key: str) -> Path:
        target = self.cache_dir / key
        if target.exists():
            return target
        write_durably(target, self.read(key))
        return target

    def _size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self._name(key))["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist (the demo, tests; production buckets are provisioned)."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.client.create_bucket(Bucket=self.bucket)


def _client(settings: Settings) -> Any:
    """One boto3 client per endpoint, bucket and key per process (boto3 clients are thread-safe)."""
    key = (settings.s3_endpoint_url, settings.s3_bucket, settings.s3_access_key_id)
    with _lock:
        if key not in _clients:
            import boto3
            from botocore.config import Config

            secret = settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key else None
            config = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60,
                            request_checksum_calculation="when_required",
                            response_checksum_validation="when_required")
            _clients[key] = boto3.client("s3", endpoint_url=settings.s3_endpoint_url, region_name=settings.s3_region,
                                         aws_access_key_id=settings.s3_access_key_id,
                                         aws_secret_access_key=secret, config=config)
        return _clients[key]
