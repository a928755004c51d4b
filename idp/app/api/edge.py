"""Validation at the edge: what no handler should ever see, refused with a 4xx problem body and a stable code.

- Path ids (after authentication: an anonymous caller gets 401 whatever the id): every ``*_id`` path
  parameter is a canonical UUID, except ``correction_id``, a positive integer
  that fits the database column; anything else is "no such object" (404 ``not_found``), never a database
  error (a NUL in an id, 2^63 as a correction id).
- Query strings and JSON bodies carry no NUL and no other C0 control character but tab, CR and LF (PostgreSQL
  refuses NUL in text; nothing a lending system sends needs them): 422 ``invalid_characters``.
- JSON bodies are small: over ``MAX_JSON_BYTES`` is 413 ``body_too_large`` (uploads are multipart and have
  their own limit).
- A value the database still refuses (``DataError``: too long, out of range) is 422 ``invalid_value``.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from idp.app.deps import ClientDep, StaffDep
from idp.errors import NotFound

#: Largest JSON request body.
MAX_JSON_BYTES = 1024 * 1024
#: Largest integer id (PostgreSQL ``integer``).
MAX_INT_ID = 2**31 - 1
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INT_IDS = {"correction_id"}


def check_client_path_ids(request: Request, client: ClientDep) -> None:
    """Router dependency of the client API: after the API key (401 first), refuse malformed ids."""
    check_path_ids(request)


def check_staff_path_ids(request: Request, staff: StaffDep) -> None:
    """Router dependency of the task and correction API: after the caller's identity, refuse malformed ids."""
    check_path_ids(request)


def check_path_ids(request: Request) -> None:
    """Refuse malformed ids before any handler or query sees them."""
    for name, value in request.path_params.items():
        if not name.endswith("_id"):
            continue
        text = str(value)
        if name in _INT_IDS:
            ok = text.isdigit() and 0 < int(text) <= MAX_INT_ID
        else:
            ok = bool(_UUID.match(text))
        if not ok:
            raise NotFound(f"未找到: {name} 格式不正确 (not found: malformed {name})", field=name)


def problem(status: int, code: str, message: str, **detail: Any) -> JSONResponse:
    return JSONResponse(status_code=status, content={"code": code, "message": message, "detail": detail})


def has_control(value: Any) -> bool:
    """True when any string (or key) in a decoded JSON value holds a forbidden control character."""
    if isinstance(value, str):
        return bool(_CONTROL.search(value))
    if isinstance(value, dict):
        return any(has_control(k) or has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_control(v) for v in value)
    return False


class EdgeGuard:
    """Pure ASGI middleware: the query string and JSON bodies are checked before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = unquote_to_bytes(scope.get("query_string", b"")).decode("utf-8", "replace")
        if _CONTROL.search(query) or _CONTROL.search(scope.get("path", "")):
            await _refuse_characters(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if not headers.get(b"content-type", b"").lower().startswith(b"application/json"):
            await self.app(scope, receive, send)
            return
        body, too_large = await _read_body(receive)
        if too_large:
            await problem(413, "body_too_large", f"请求体超过 {MAX_JSON_BYTES} 字节 (request body too large)",
                          limit=MAX_JSON_BYTES)(scope, receive, send)
            return
        try:
            bad = has_control(json.loads(body)) if body else False
        except (ValueError, RecursionError):
            bad = False  # not JSON: FastAPI answers 422 with the parse error
        if bad:
            await _refuse_characters(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def _refuse_characters(scope: Scope, receive: Receive, send: Send) -> None:
    await problem(422, "invalid_characters", "请求中含有不允许的控制字符 (control characters such as NUL are not "
                  "allowed)")(scope, receive, send)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks), False


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then the client's own messages (a disconnect, eventually)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
