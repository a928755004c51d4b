"""The parties of a contract: both present and distinct, their ids valid, and both sealed (and signed).

A USCC checksum failure is a warning (misread or mistyped; the registry decides); a malformed id is an error.
A seal is a presence check only: the extractor looks for a red stamp at each party's signing block.
"""

from __future__ import annotations

from idp.errors import InvalidChecksum, InvalidFormat
from idp.models import ExtractedDocument, Finding, Severity
from validators import taxpayer_id
from validators.rules._common import finding, value
from validators.rules.context import RuleContext

RULE_IDS = (
    "contract.party_missing",
    "contract.same_party",
    "contract.party_id_format",
    "contract.party_id_checksum",
    "contract.seal_missing",
    "contract.signature_missing",
)
_ROLES = (("buyer", "买方(需方)"), ("seller", "卖方(供方)"))


def check(doc: ExtractedDocument, context: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for role, label in _ROLES:
        name = value(doc, f"{role}_name")
        if name is None:
            findings.append(
                finding(
                    "contract.party_missing",
                    Severity.ERROR,
                    f"未能识别合同{label}名称",
                    {f"{role}_name": None},
                )
            )
        findings += _tax_id(doc, role, label, name)
        findings += _seal(doc, role, label, name)
    buyer, seller = value(doc, "buyer_name"), value(doc, "seller_name")
    if buyer and seller and buyer == seller:
        findings.append(
            finding(
                "contract.same_party",
                Severity.ERROR,
                f"合同买卖双方为同一主体「{buyer}」",
                {"buyer_name": buyer, "seller_name": seller},
            )
        )
    return findings


def _tax_id(doc: ExtractedDocument, role: str, label: str, name: str | None) -> list[Finding]:
    number = value(doc, f"{role}_tax_id")
    if number is None:
        return []
    key = f"{role}_tax_id"
    try:
        taxpayer_id.validate(number)
    except InvalidChecksum as exc:
        return [
            finding(
                "contract.party_id_checksum",
                Severity.WARNING,
                f"{label}「{name or ''}」统一社会信用代码「{number}」校验位不符，需工商核验 ({exc.message})",
                {key: number},
            )
        ]
    except (InvalidFormat, ValueError) as exc:
        return [
            finding(
                "contract.party_id_format",
                Severity.ERROR,
                f"{label}「{name or ''}」统一社会信用代码「{number}」格式错误：{exc}",
                {key: number},
            )
        ]
    return []


def _seal(doc: ExtractedDocument, role: str, label: str, name: str | None) -> list[Finding]:
    out = []
    seal = doc.fields.get(f"seal_{role}")
    if seal is None or seal.value != "true":
        where = f"第{seal.page}页签章处" if seal is not None and seal.page else "签章处"
        out.append(
            finding(
                "contract.seal_missing",
                Severity.ERROR,
                f"{label}「{name or ''}」{where}未发现印章",
                {f"seal_{role}": seal.value if seal else None},
            )
        )
    sign = doc.fields.get(f"signature_{role}")
    if sign is not None and sign.value != "true":
        out.append(
            finding(
                "contract.signature_missing",
                Severity.INFO,  # the party's seal binds it; a signature beside it is shown, not required
                f"{label}「{name or ''}」未发现法定代表人或授权代表签字",
                {f"signature_{role}": sign.value},
            )
        )
    return out
