"""Purchase-sale contract extractor (购销合同 / 采购合同 / 买卖合同): number, parties by role, dates, goods,
totals, delivery, payment, validity, and per party whether its seal and signature are present and where.

Everything is found by labels and structure (role words, 第N条 clauses, table headers), never by position,
so 甲方 may be the buyer or the seller and blocks may be stacked or side by side.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal

from extractors.contract.amounts import Choice, choose_total, figures, word_runs
from extractors.contract.delivery import delivery_date, table_dates
from extractors.contract.found import Found
from extractors.contract.items import read_goods
from extractors.contract.lines import GoodsRow, repair_by_total
from extractors.contract.number import contract_number
from extractors.contract.parties import (
    assign_roles,
    find_headings,
    mirror_headings,
    named_headings,
    party_blocks,
)
from extractors.contract.party_values import clean_value
from extractors.contract.signing import attach, signing_headings
from extractors.contract.terms import (
    delivery,
    payment_terms,
    reprinted,
    sign_date,
    sign_place,
    tax,
    validity,
)
from extractors.contract.text import ContractText, Segment, read_text
from idp.errors import ExtractionFailed
from idp.models import (
    BBox,
    DocumentKind,
    ExtractedDocument,
    ExtractedField,
    FieldSource,
    MarkKind,
    PageText,
    TextSource,
)
from idp.models.schema import BUYER_WORDS, SELLER_WORDS

logger = logging.getLogger(__name__)

#: Confidence of a value found beside its label.
_SURE = 0.99
#: Ceiling of a party's detail read by OCR that nothing on the page can check (a person's name, an address, a
#: phone): one misread character leaves it plausible, so only a second source (the registry) may raise it.
_OCR_ONLY = 0.9
#: Party details the page or the case checks: the name (registry, invoices) and the code (its checksum).
_CHECKED = frozenset({"name", "tax_id"})
#: Confidence of a value found by a fallback (a table's 合计 row, the signing block's date).
_FALLBACK = 0.85
#: Confidence of a seal or signature found, and of one looked for in its signing block and not found (a
#: handwritten signature is missed far more often than a red stamp: its absence is a weaker reading).
_MARK = 0.95
_ABSENT = {MarkKind.SEAL: 0.9, MarkKind.SIGNATURE: 0.75}
#: Confidence that a party's seal is absent while a seal on the pages belongs to nobody.
_STRAY = 0.6
_SIGNALS = tuple(
    re.compile(p)
    for p in (
        r"合同|协议|订单|订货单|订购单",
        "甲方|乙方|" + "|".join(BUYER_WORDS + SELLER_WORDS),
        r"合同编号|编号",
        r"签订|签署",
        r"第[一二三四五六七八九十]+条",
        r"违约",
        r"盖章|签字|签章",
        r"交货|交付",
        r"付款|结算",
    )
)
_PARTY_KEYS = ("name", "tax_id", "address", "legal_rep", "contact", "phone", "bank", "account")


class PurchaseContractExtractor:
    """Reads a purchase-sale contract; sees only :class:`PageText` (and its seal/signature marks)."""

    name = "purchase_contract"
    kind = DocumentKind.PURCHASE_CONTRACT

    def score(self, pages: list[PageText]) -> int | None:
        """10 per contract signal in the first two pages; None without 合同 and two party words."""
        text = "".join("".join(p.text.split()) for p in pages[:2])
        hits = sum(1 for s in _SIGNALS if s.search(text))
        if not (_SIGNALS[0].search(text) and _SIGNALS[1].search(text)) or hits < 4:
            return None
        return 10 * hits

    def extract(self, pages: list[PageText]) -> ExtractedDocument:
        if not any(p.lines for p in pages):
            raise ExtractionFailed("页面没有可读文字 (no text on the pages)", code="no_text")
        text = read_text(pages)
        ocr = any(p.source == TextSource.OCR for p in pages)
        source = FieldSource.OCR if ocr else FieldSource.TEXT_LAYER
        fields: dict[str, ExtractedField] = {}

        def put(name: str, found: tuple[str, Segment] | None, conf: float = _SURE) -> None:
            if found is not None and found[0]:
                value, seg = found
                fields[name] = ExtractedField(
                    name=name,
                    value=value,
                    confidence=min(conf, seg.conf),
                    page=seg.page,
                    bbox=seg.bbox,
                    source=source,
                    raw=seg.text,
                )

        _found(fields, "contract_number", contract_number(text, ocr=ocr), source)
        signing = sign_date(text)
        _found(fields, "sign_date", signing, source)
        _found(fields, "reprint.sign_date", reprinted(text, signing), source)
        put("sign_place", sign_place(text))
        title = _title(pages)
        if title:
            fields["title"] = ExtractedField(
                name="title", value=title, confidence=_SURE, page=pages[0].page_no, source=source
            )
        headings = find_headings(text)
        letters = assign_roles(headings, text.full_text())
        headings += mirror_headings(text, headings)
        headings += named_headings(text, headings)
        blocks = party_blocks(text, headings)
        for role, block in blocks.items():
            for key in _PARTY_KEYS:
                if key in block.values:
                    raw, seg = block.values[key]
                    put(f"{role}_{key}", (clean_value(key, raw) or "", seg),
                        _OCR_ONLY if ocr and key not in _CHECKED else _SURE)
            letter = block.heading.letter or next((k for k, v in letters.items() if v == role), None)
            if letter:
                fields[f"{role}_letter"] = ExtractedField(
                    name=f"{role}_letter", value=f"{letter}方", confidence=_SURE, source=FieldSource.DERIVED
                )
        goods = read_goods(text)
        lines = goods.rows if goods else []
        amounts_found = figures(text, goods.body if goods else set())
        runs = word_runs(text)
        stated = {a.value for a in runs if not a.excluded} | {a.value for a in amounts_found if a.label}
        repair_by_total(lines, stated)
        amounts = [r.values.get("amount") for r in lines]
        lines_sum = (
            sum((Decimal(a) for a in amounts if a), Decimal("0.00")) if lines and all(amounts) else None
        )
        total, words = choose_total(amounts_found, runs, lines_sum)
        _chosen(fields, "total_amount", total, source)
        _chosen(fields, "total_in_words", words, source)
        rate, included, where = tax(text)
        if rate and where is not None:
            put("tax_rate", (rate, where))
        if included and where is not None:
            put("tax_included", (included, where))
        signed = fields["sign_date"].value if "sign_date" in fields else None
        _found(fields, "delivery_date", delivery_date(
            text, signed=date.fromisoformat(signed) if signed else None, skip=goods.body if goods else set(),
            table_dates=table_dates(lines, text.sizes)), source)
        _plain(fields, "delivery_terms", delivery(text), _FALLBACK)
        _plain(fields, "payment_terms", payment_terms(text), _FALLBACK)
        until, valid_clause = validity(text)
        _plain(fields, "valid_until", until, _SURE)
        _plain(fields, "validity", valid_clause, _FALLBACK)
        _marks(fields, text, headings, pages)
        fields["page_count"] = ExtractedField(
            name="page_count", value=str(len(pages)), confidence=1.0, source=FieldSource.DERIVED
        )
        items = [_item(row, text, source, confirmed=lines_sum is not None and total is not None
                       and Decimal(total.value) == lines_sum) for row in lines]
        return ExtractedDocument(
            kind=DocumentKind.PURCHASE_CONTRACT, extractor=self.name, fields=fields, items=items
        )


def _title(pages: list[PageText]) -> str | None:
    for line in pages[0].lines[:4]:
        compact = "".join(line.text.split())
        if re.fullmatch(r"[\u4e00-\u9fff]{0,10}(合同|协议|订单|订货单|订购单)书?", compact):
            return compact
    return None


def _plain(fields: dict[str, ExtractedField], name: str, value: str | None, conf: float) -> None:
    if value:
        fields[name] = ExtractedField(
            name=name,
            value=value[:300],
            confidence=conf,
            source=FieldSource.DERIVED if name.endswith(("terms", "validity")) else FieldSource.TEXT_LAYER,
        )


def _marks(
    fields: dict[str, ExtractedField], text: ContractText, headings: list, pages: list[PageText]
) -> None:
    """seal_<role> / signature_<role> ("true"/"false") with the page and box of the mark found; a mark that
    belongs to no party leaves the absent ones unsure."""
    sign = {h.role: h for h in signing_headings(headings)}
    by_page = {p.page_no: p.marks for p in pages}
    for kind, prefix in ((MarkKind.SEAL, "seal"), (MarkKind.SIGNATURE, "signature")):
        found = attach(text, headings, by_page, kind)
        taken = {id(a.mark) for a in found.values()}
        stray = kind == MarkKind.SEAL and any(m.kind == kind and id(m) not in taken for p in pages for m in p.marks)
        for role in ("buyer", "seller"):
            name = f"{prefix}_{role}"
            if role in found:
                got = found[role]
                conf = min(_MARK, got.confidence)
                fields[name] = ExtractedField(
                    name=name, value="true", confidence=conf, page=got.page, bbox=got.mark.bbox,
                    source=FieldSource.DERIVED,
                )
                fields[f"{name}_page"] = ExtractedField(
                    name=f"{name}_page", value=str(got.page), confidence=conf, source=FieldSource.DERIVED
                )
            else:
                # a mark not found may be a mark missed (a signature drawn over text): never sure it is absent;
                # without a signing block we do not even know where to look
                conf = (_ABSENT[kind] if not stray else _STRAY) if role in sign else 0.5
                fields[name] = ExtractedField(
                    name=name,
                    value="false",
                    confidence=conf,
                    page=sign[role].seg.page if role in sign else None,
                    bbox=sign[role].seg.bbox if role in sign else None,
                    source=FieldSource.DERIVED,
                )


def _found(fields: dict[str, ExtractedField], name: str, found: Found | None, source: FieldSource) -> None:
    if found is not None and found.value:
        seg = found.seg
        fields[name] = ExtractedField(
            name=name, value=found.value, confidence=min(found.confidence, seg.conf if seg else 1.0),
            page=seg.page if seg else None, bbox=seg.bbox if seg else None, source=source,
            raw=seg.text if seg else None, evidence=list(found.evidence),
        )


def _chosen(fields: dict[str, ExtractedField], name: str, choice: Choice | None, source: FieldSource) -> None:
    if choice is not None and choice.value:
        fields[name] = ExtractedField(
            name=name, value=choice.value, confidence=choice.confidence, page=choice.seg.page,
            bbox=choice.seg.bbox, source=source, raw=choice.seg.text, evidence=choice.evidence,
        )


def _item(row: GoodsRow, text: ContractText, source: FieldSource, *, confirmed: bool) -> dict[str, ExtractedField]:
    """A goods line's fields; amounts the total confirms (Σ 明细 = 合同总金额) keep their line confidence."""
    w, h = text.sizes.get(row.page, (1.0, 1.0))
    out: dict[str, ExtractedField] = {}
    for name, value in row.values.items():
        found = row.cells.get(name) or []
        bbox = (
            BBox.from_points(min(c.x0 for c in found), min(c.y0 for c in found), max(c.x1 for c in found),
                             max(c.y1 for c in found), w, h)
            if found
            else None
        )
        conf = min([row.confidence.get(name, _FALLBACK)] + [c.conf for c in found])
        if name == "amount" and not confirmed:
            conf = min(conf, 0.9)
        evidence = [*row.evidence, *(["Σ 明细金额 = 合同总金额"] if confirmed else [])]
        out[name] = ExtractedField(
            name=name, value=value, confidence=conf, page=row.page, bbox=bbox, source=source,
            raw=" ".join(c.text for c in found) or None, evidence=evidence,
        )
    return out
