"""The S3-compatible store against a real HTTP S3 server: same promise as the local store."""

from __future__ import annotations

import hashlib

import pytest

from idp.settings import Settings
from idp.storage.blobstore import FileStore, file_store
from idp.storage.s3store import S3Store, StoreCorrupt
from tests.storage.s3_server import s3_env


@pytest.fixture
def store(tmp_path) -> S3Store:
    settings = Settings(data_dir=tmp_path, **s3_env())
    made = file_store(settings)
    assert isinstance(made, S3Store)
    made.ensure_bucket()
    return made


def test_put_is_content_addressed_and_read_back_exactly(store):
    data = b"%PDF-1.7 invoice bytes"
    sha, key = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest() and key.endswith(sha)
    assert store.put(data) == (sha, key)  # the same bytes are stored once
    assert store.exists(key) and store.read(key) == data
    assert not store.exists(key.replace(sha[-4:], "0000"))


def test_local_path_is_a_checked_copy_in_the_cache(store):
    sha, key = store.put(b"page bytes")
    path = store.local_path(key)
    assert path.read_bytes() == b"page bytes" and store.cache_dir in path.parents
    assert store.local_path(key) == path


def test_bytes_that_do_not_match_their_digest_are_refused(store):
    bogus = "ab/cd/" + "ab" * 32
    store.client.put_object(Bucket=store.bucket, Key=bogus, Body=b"not what the name says")
    with pytest.raises(StoreCorrupt):
        store.read(bogus)


def test_the_local_store_stays_the_default(tmp_path):
    assert isinstance(file_store(Settings(data_dir=tmp_path)), FileStore)
