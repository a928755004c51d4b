"""Synthetic bank statements: rows with running balances (:mod:`.model`), drawn in layout families that are data
files (:mod:`.families`, ``families/*.toml``) by :mod:`.render`; truth files carry the family."""

from idp.synth.statement.families import FAMILY_DIR, Family, family_ids, load_family
from idp.synth.statement.model import (
    PLANTED_ERRORS,
    RED_FLAGS,
    STYLES,
    SyntheticStatement,
    Txn,
    balance_rows,
    generate,
    write_sample,
)

#: Every family shipped (``families/*.toml``).
FAMILIES = family_ids()
#: Families the statement reader was developed on; the others are held out (leave-family-out evaluation).
DEVELOPED = ("icbc", "ccb", "abc", "cmb", "boc", "rcb", "spdb")
#: Held out from the start (bocom, cib, citic, nbcb, psbc), and added only after the reader was frozen, to check it
#: again on layouts nobody had tuned on (pab, hxb, ccbp).
HELD_OUT = ("bocom", "cib", "citic", "nbcb", "psbc")
FROZEN_CHECK = ("pab", "hxb", "ccbp")
__all__ = [
    "DEVELOPED",
    "FROZEN_CHECK",
    "HELD_OUT",
    "FAMILIES",
    "FAMILY_DIR",
    "PLANTED_ERRORS",
    "RED_FLAGS",
    "STYLES",
    "Family",
    "SyntheticStatement",
    "Txn",
    "balance_rows",
    "family_ids",
    "generate",
    "load_family",
    "write_sample",
]
