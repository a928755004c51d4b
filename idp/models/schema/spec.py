"""The shapes of the document schema: a field, a constraint between fields, a document kind's whole schema.

A ``FieldSpec`` is everything the product knows about one field in one place: its name, what it is called on
screens (``label``) and on documents (``synonyms``, the label texts printed beside it on layouts seen or not),
its value type and parser, whether a correction needs four eyes, and which key a second source (QR code, the tax
authority, the registry) uses for it. Extractors find fields by their synonyms and types, validators check the
constraints, scoring compares by type, the review UI and the API show the labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from idp.models.schema import values
from idp.models.schema.values import ValueType
from idp.models.schema.words import clean_words


class Part(StrEnum):
    """Where on the document a field belongs (reports group accuracy by part, the UI groups rows by it)."""

    HEADER = "header"
    PARTIES = "parties"
    TOTALS = "totals"
    ITEMS = "items"
    TERMS = "terms"
    SEALS = "seals"
    FOOTER = "footer"
    ACCOUNT = "account"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a document kind (or one column of its line items)."""

    name: str
    label: str  #: the Chinese name shown to people
    type: ValueType
    part: Part
    #: Texts printed beside the value on documents, most specific first (label-free layouts read none).
    synonyms: tuple[str, ...] = ()
    #: Allowed lengths for DIGITS fields.
    lengths: tuple[int, ...] = ()
    #: A manual correction of this field needs a second reviewer (amounts, ids, accounts, statuses).
    four_eyes: bool = False
    #: The decision uses this value (it gates straight-through); others are kept and shown.
    decisive: bool = False
    #: Key of the same value in the tax authority's record / the invoice QR code, when they hold it.
    authority_key: str | None = None
    qr_key: str | None = None
    #: Enumerated values of a CODE field and their Chinese names.
    choices: tuple[tuple[str, str], ...] = ()
    #: A value the decision does not use (free-text clauses, addresses, clerks' names, whether a person also
    #: signed beside the seal): kept and shown, but it stops straight-through only under a policy that names
    #: it (``gated_fields``).
    informational: bool = False
    #: Money a transaction moved (a statement row's 收入/支出/发生额): the decision uses it where it takes the
    #: row as an invoice's payment; elsewhere it is kept and shown, and gates only under a policy that says so
    #: (``unmatched_amounts_gate``).
    payment: bool = False
    #: A credential the tax authority's verification asks for (校验码): once the authority's record has
    #: confirmed the invoice (its number and date), its work is done; it is kept and shown and gates no more.
    verification_key: bool = False

    def normalise(self, text: str | None) -> str | None:
        """Printed text → the canonical text form stored in ``ExtractedField.value``; None if it does not fit."""
        return normalise_as(self.type, text, self.lengths)

    def parse(self, value: str | None) -> object:
        """The canonical text → a typed value (Decimal, date, bool, int, str); None when absent or unfit."""
        return parse_as(self.type, value)

    def same(self, a: str | None, b: str | None) -> bool:
        """Whether two texts hold the same value of this field (1234.5 == ¥1,234.50; （） == ())."""
        return same_value(self.type, a, b, self.lengths)


def normalise_as(kind: ValueType, text: str | None, lengths: tuple[int, ...] = ()) -> str | None:
    """The canonical text of ``text`` read as a value of type ``kind``."""
    if text is None:
        return None
    if kind is ValueType.MONEY:
        money = values.parse_money(text)
        return values.format_money(money) if money is not None else None
    if kind is ValueType.DECIMAL:
        number = values.parse_decimal(text)
        return values.format_decimal(number) if number is not None else None
    if kind is ValueType.DATE:
        day = values.parse_date(text)
        return day.isoformat() if day else None
    if kind is ValueType.TIME:
        return values.parse_time(text)
    if kind is ValueType.RATE:
        return values.parse_rate(text)
    if kind is ValueType.TAX_ID:
        return values.parse_tax_id(text)
    if kind is ValueType.DIGITS:
        return values.parse_digits(text, lengths) if lengths else values.parse_identifier(text)
    if kind is ValueType.IDENTIFIER:
        return values.parse_identifier(text)
    if kind is ValueType.WORDS:
        return clean_words(text)
    if kind is ValueType.FLAG:
        flag = values.parse_flag(text)
        return None if flag is None else ("true" if flag else "false")
    if kind is ValueType.COUNT:
        count = values.parse_count(text)
        return str(count) if count is not None else None
    if kind is ValueType.NAME:
        return values.normalise_name(text)
    return values.normalise_text(text)


def parse_as(kind: ValueType, value: str | None) -> object:
    """A canonical text as a typed value: MONEY/DECIMAL → Decimal, DATE → date, FLAG → bool, COUNT → int."""
    if value is None:
        return None
    if kind is ValueType.MONEY:
        return values.parse_money(value)
    if kind is ValueType.DECIMAL:
        return values.parse_decimal(value)
    if kind is ValueType.DATE:
        return values.parse_date(value)
    if kind is ValueType.FLAG:
        return values.parse_flag(value)
    if kind is ValueType.COUNT:
        return values.parse_count(value)
    return normalise_as(kind, value)


def same_value(kind: ValueType, a: str | None, b: str | None, lengths: tuple[int, ...] = ()) -> bool:
    """Equal as values of ``kind`` (both absent counts as equal)."""
    if a is None or b is None:
        return a is None and b is None
    if kind in (ValueType.MONEY, ValueType.DECIMAL, ValueType.DATE, ValueType.FLAG, ValueType.COUNT):
        pa, pb = parse_as(kind, a), parse_as(kind, b)
        return pa is not None and pa == pb
    na, nb = normalise_as(kind, a, lengths), normalise_as(kind, b, lengths)
    if kind in (ValueType.NAME, ValueType.TEXT) and na and nb:
        na, nb = values.nfkc(na), values.nfkc(nb)
    return na is not None and na == nb


class ConstraintKind(StrEnum):
    """How a constraint ties fields together."""

    SUM_OF_ITEMS = "sum_of_items"  #: Σ items[].<item_field> = <field>
    ADDS_UP = "adds_up"  #: <fields[0]> + <fields[1]> + … = <target>
    LINE_PRODUCT = "line_product"  #: items[].quantity × items[].price = items[].amount
    LINE_TAX = "line_tax"  #: items[].amount × items[].tax_rate = items[].tax (rounded half up)
    WORDS_EQUAL = "words_equal"  #: 大写 <fields[0]> = 小写 <target>
    RUNNING_BALANCE = "running_balance"  #: items[i-1].balance + items[i].amount = items[i].balance
    DATE_ORDER = "date_order"  #: <fields[0]> ≤ <fields[1]> ≤ …
    #: <fields[0]> ≤ every items[].<item_field> ≤ <fields[1]>, the first and last items close to the bounds
    SPANS_ITEMS = "spans_items"
    #: items[].<item_field> in the order the running balance proves, each between its neighbours (the first and
    #: last between <fields[0]> / <fields[1]> and their neighbour)
    ITEMS_IN_ORDER = "items_in_order"


@dataclass(frozen=True)
class Constraint:
    """A rule that ties fields together; validators check it, extractors choose among candidates by it."""

    id: str  #: stable, used as a finding's rule id suffix and in evidence
    kind: ConstraintKind
    fields: tuple[str, ...]
    target: str | None = None
    item_field: str | None = None
    #: Largest difference still counted as equal (money rounding).
    tolerance: Decimal = Decimal("0.01")
    description: str = ""  #: Chinese, shown with a finding or an evidence line


@dataclass(frozen=True)
class DocumentSchema:
    """Every field and line-item column of one document kind, with the constraints between them."""

    kind: str  #: a ``DocumentKind`` value
    label: str
    fields: tuple[FieldSpec, ...]
    items: tuple[FieldSpec, ...] = ()
    item_label: str = "明细"
    constraints: tuple[Constraint, ...] = ()
    #: Names the document is printed under (its title), most specific first.
    titles: tuple[str, ...] = ()
    _by_name: dict[str, FieldSpec] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_item: dict[str, FieldSpec] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({f.name: f for f in self.fields})
        self._by_item.update({f.name: f for f in self.items})
        if len(self._by_name) != len(self.fields) or len(self._by_item) != len(self.items):
            raise ValueError(f"duplicate field names in the {self.kind} schema")

    def field(self, name: str) -> FieldSpec | None:
        """The spec of a header field, or of ``items[i].<column>`` / ``items.<column>``."""
        if name.startswith("items"):
            column = name.rsplit(".", 1)[-1]
            return self._by_item.get(column)
        return self._by_name.get(name)

    def item(self, column: str) -> FieldSpec | None:
        return self._by_item.get(column)

    def names(self, *, part: Part | None = None) -> list[str]:
        return [f.name for f in self.fields if part is None or f.part is part]

    def four_eyes(self) -> set[str]:
        """Header fields and item columns (as ``items.<column>``) whose correction needs a second reviewer."""
        return {f.name for f in self.fields if f.four_eyes} | {f"items.{f.name}" for f in self.items if f.four_eyes}


def money_or_none(value: str | None) -> Decimal | None:
    """Shorthand used by constraint checks."""
    return values.parse_money(value)


def date_or_none(value: str | None) -> date | None:
    return values.parse_date(value)
