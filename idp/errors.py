"""The one error hierarchy of idp; the API maps it to ``{"code", "message", "detail"}`` in one place.

    IdpError
    ├── InputRejected          a file or request we refuse (bad format, encrypted, empty, too large)
    ├── ExtractionFailed       a document could be read but not understood
    ├── FieldInvalid           a value fails a format or checksum rule (stdnum style subclasses)
    │   ├── InvalidFormat
    │   │   └── InvalidLength
    │   ├── InvalidChecksum
    │   └── InvalidComponent
    ├── VerificationUnavailable  an outside service (tax, registry) cannot answer now
    ├── NotFound               no such object for this client
    ├── Unauthenticated        no one signed in, or a bad, expired or revoked credential
    ├── TooManyAttempts        sign-in refused for a while after repeated failures
    ├── Forbidden              the person's role may not do this (four-eyes, reassigning, 红 items)
    └── Conflict               the request contradicts the current state
"""

from __future__ import annotations

from typing import Any


class IdpError(Exception):
    """Base of every error idp raises on purpose; carries a stable code and a human message."""

    code: str = "idp_error"
    http_status: int = 500
    message: str = "内部错误 (internal error)"

    def __init__(self, message: str | None = None, *, code: str | None = None, **detail: Any) -> None:
        self.message = message or self.message
        if code:
            self.code = code
        self.detail = detail
        super().__init__(self.message)


class InputRejected(IdpError):
    code = "input_rejected"
    http_status = 422
    message = "无法处理该输入 (input rejected)"


class ExtractionFailed(IdpError):
    code = "extraction_failed"
    http_status = 422
    message = "无法从文档中提取字段 (extraction failed)"


class FieldInvalid(IdpError, ValueError):
    code = "field_invalid"
    http_status = 422
    message = "字段无效 (invalid field)"


class InvalidFormat(FieldInvalid):
    code = "invalid_format"
    message = "格式不正确 (invalid format)"


class InvalidLength(InvalidFormat):
    code = "invalid_length"
    message = "长度不正确 (invalid length)"


class InvalidChecksum(FieldInvalid):
    code = "invalid_checksum"
    message = "校验位不正确 (invalid checksum)"


class InvalidComponent(FieldInvalid):
    code = "invalid_component"
    message = "组成部分不正确 (invalid component)"


class VerificationUnavailable(IdpError):
    code = "verification_unavailable"
    http_status = 503
    message = "外部核验服务暂不可用 (verification service unavailable)"


class NotFound(IdpError):
    code = "not_found"
    http_status = 404
    message = "未找到 (not found)"


class Forbidden(IdpError):
    code = "forbidden"
    http_status = 403
    message = "无权执行该操作 (not allowed for this role)"


class Conflict(IdpError):
    code = "conflict"
    http_status = 409
    message = "与当前状态冲突 (conflict)"


class Unauthenticated(IdpError):
    """No one signed in (or a bad, expired or revoked credential): the caller must sign in first."""

    code = "unauthenticated"
    http_status = 401
    message = "请先登录 (sign in first)"


class TooManyAttempts(IdpError):
    """Sign-in refused for a while after repeated failures (per account and per address)."""

    code = "too_many_attempts"
    http_status = 429
    message = "登录失败次数过多,请稍后再试 (too many failed sign-ins)"
