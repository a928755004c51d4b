"""Regenerate the synthetic samples under ``samples/`` (fixed seeds, byte-identical on every run).

Usage: ``python samples/generate.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from idp.synth.vat_invoice import write_sample  # noqa: E402

#: (file name, kind, seed, planted errors, red) of every VAT invoice sample.
VAT_INVOICES = (
    ("putong_dianzi_01", "10", 101, (), False),
    ("zhuanyong_dianzi_01", "08", 202, (), False),
    ("shudian_putong_01", "32", 303, (), False),
    ("shudian_zhuanyong_01", "31", 404, (), False),
    ("putong_dianzi_02", "10", 505, (), False),
    ("shudian_putong_red_01", "32", 606, (), True),
    ("error_amount_words_01", "10", 707, ("amount_words_mismatch",), False),
    ("error_bad_uscc_01", "31", 808, ("bad_uscc_checksum",), False),
)


def main() -> None:
    out = ROOT / "samples" / "vat_invoice"
    for name, kind, seed, planted, red in VAT_INVOICES:
        path = write_sample(out, name, kind, seed, planted=planted, red=red)
        print(path.relative_to(ROOT))  # noqa: T201 - a script's output


if __name__ == "__main__":
    main()
