"""A real S3-compatible HTTP server on loopback for the tests: moto's server mode (werkzeug), one per session."""

from __future__ import annotations

import atexit
import uuid

from idp.standins.runner import free_port

_SERVER: list[object] = []


def s3_endpoint() -> str:
    if not _SERVER:
        from moto.server import ThreadedMotoServer

        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        _SERVER.append(server)
        _SERVER.append(f"http://127.0.0.1:{port}")
        atexit.register(server.stop)
    return str(_SERVER[1])


def s3_env() -> dict[str, str]:
    """Settings (as ``configure`` extras) for a fresh bucket on the test server."""
    return {"file_store": "s3", "s3_endpoint_url": s3_endpoint(), "s3_bucket": f"idp-{uuid.uuid4().hex[:12]}",
            "s3_access_key_id": "test", "s3_secret_access_key": "test"}
