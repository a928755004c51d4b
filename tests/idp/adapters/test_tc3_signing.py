"""TC3-HMAC-SHA256 against Tencent's published worked example and a vector computed here step by step."""

from __future__ import annotations

import hashlib
import hmac
import json

from idp.adapters import tc3

# Tencent Cloud API 3.0 signing guide (https://www.tencentcloud.com/document/api/213/30654), worked example:
# CVM DescribeInstances, timestamp 1551113065 (2019-02-25 UTC but 2019-02-26 in Beijing), example key.
DOC_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
DOC_BODY = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
DOC_TS = 1551113065


def test_payload_and_canonical_request_hashes_match_the_published_example() -> None:
    assert tc3.sha256_hex(DOC_BODY) == "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
    canonical = tc3.canonical_request(host="cvm.tencentcloudapi.com", body=DOC_BODY)
    assert tc3.sha256_hex(canonical) == "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"


def test_signature_matches_the_published_example() -> None:
    canonical = tc3.canonical_request(host="cvm.tencentcloudapi.com", body=DOC_BODY)
    to_sign = tc3.string_to_sign(canonical=canonical, timestamp=DOC_TS, service="cvm")
    assert to_sign.splitlines()[2] == "2019-02-25/cvm/tc3_request"  # the UTC date, not Beijing's
    sig = tc3.signature(secret_key=DOC_KEY, timestamp=DOC_TS, service="cvm", to_sign=to_sign)
    assert sig == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"


def _independent_signature(secret_key: str, timestamp: int, host: str, body: bytes) -> str:
    """The documented algorithm written out again, line by line, without the module under test."""
    date = "2024-05-20"  # 1716163200 is 2024-05-20 00:00:00 UTC
    canonical = ("POST\n/\n\n" + "content-type:application/json; charset=utf-8\nhost:" + host + "\n"
                 + "\n" + "content-type;host" + "\n" + hashlib.sha256(body).hexdigest())
    scope = date + "/ocr/tc3_request"
    hashed = hashlib.sha256(canonical.encode()).hexdigest()
    sts = "TC3-HMAC-SHA256\n" + str(timestamp) + "\n" + scope + "\n" + hashed
    k = hmac.new(("TC3" + secret_key).encode(), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"ocr", hashlib.sha256).digest()
    k = hmac.new(k, b"tc3_request", hashlib.sha256).digest()
    return hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()


def test_ocr_request_headers_carry_the_independently_computed_signature() -> None:
    body = json.dumps({"InvoiceNo": "41678993", "InvoiceDate": "2025-11-09", "InvoiceKind": "10",
                       "CheckCode": "323148"}, ensure_ascii=False).encode()
    headers = tc3.signed_headers(secret_id="AKIDtest", secret_key="test-secret-key", service="ocr",
                                 host="ocr.tencentcloudapi.com", action="VatInvoiceVerifyNew",
                                 version="2018-11-19", timestamp=1716163200, body=body, region="ap-guangzhou")
    expected = _independent_signature("test-secret-key", 1716163200, "ocr.tencentcloudapi.com", body)
    assert headers["Authorization"] == (
        "TC3-HMAC-SHA256 Credential=AKIDtest/2024-05-20/ocr/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={expected}")
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-TC-Timestamp"] == "1716163200" and headers["X-TC-Region"] == "ap-guangzhou"
    assert headers["X-TC-Action"] == "VatInvoiceVerifyNew" and headers["X-TC-Version"] == "2018-11-19"


def test_any_change_to_the_body_changes_the_signature() -> None:
    def sign(body: bytes) -> str:
        return tc3.authorization(secret_id="x", secret_key="k", service="ocr", host="h", timestamp=1,
                                 body=body)

    assert sign(b'{"A":"1"}') != sign(b'{"A":"2"}')
