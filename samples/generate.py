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

#: (folder, file name, kind, seed, form) of the scanned and photographed invoices (JPEG, read by OCR).
VAT_INVOICE_IMAGES = (
    ("vat_invoice_scan", "zhuanyong_zhizhi_scan_01", "01", 111, "scan"),
    ("vat_invoice_scan", "putong_zhizhi_scan_01", "04", 222, "scan"),
    ("vat_invoice_photo", "putong_dianzi_photo_01", "10", 333, "photo"),
    ("vat_invoice_photo", "shudian_putong_photo_01", "32", 444, "photo"),
)


#: (file name, layout, seed, condition, planted errors) of every purchase-contract sample.
CONTRACTS = (
    ("jiayi_01", "jiayi", 11, "text", ()),
    ("maimai_01", "maimai", 12, "text", ()),
    ("gongxu_01", "gongxu", 13, "text", ()),
    ("caigou_01", "caigou", 14, "text", ()),
    ("error_total_mismatch_01", "jiayi", 15, "text", ("total_mismatch",)),
    ("error_amount_words_01", "caigou", 16, "text", ("amount_words_mismatch",)),
    ("error_missing_seal_01", "gongxu", 17, "text", ("missing_seal",)),
    ("scan_maimai_01", "maimai", 18, "scan", ()),
)
#: (file name, bank style, seed, condition, options) of every bank-statement sample.
STATEMENTS = (
    ("icbc_01", "icbc", 21, "text", {}),
    ("ccb_01", "ccb", 22, "text", {}),
    ("abc_newest_first_01", "abc", 23, "text", {}),
    ("cmb_01", "cmb", 24, "text", {}),
    ("error_balance_break_01", "icbc", 25, "text", {"planted": ("balance_break",)}),
    ("error_period_gap_01", "ccb", 26, "text", {"planted": ("period_gap",), "months": 3}),
    ("flag_fast_in_out_01", "abc", 27, "text", {"flags": ("fast_in_out", "round_amounts")}),
    ("tampered_mixed_fonts_01", "icbc", 28, "text", {"planted": ("mixed_fonts",)}),
    ("scan_cmb_01", "cmb", 29, "scan", {"months": 1, "per_month": 12}),
)


def main() -> None:
    out = ROOT / "samples" / "vat_invoice"
    for name, kind, seed, planted, red in VAT_INVOICES:
        path = write_sample(out, name, kind, seed, planted=planted, red=red)
        print(path.relative_to(ROOT))  # noqa: T201 - a script's output
    invoice_images()
    contracts_and_statements()


def invoice_images() -> None:
    """Scans of paper invoices and phone photos of printed e-invoices, with truth JSON beside them."""
    from idp.synth.invoice_set import write_invoice
    from idp.synth.vat_invoice import generate

    for folder, name, kind, seed, form in VAT_INVOICE_IMAGES:
        path = write_invoice(ROOT / "samples" / folder, name, generate(kind, seed), form)
        print(path.relative_to(ROOT))  # noqa: T201 - a script's output


def contracts_and_statements() -> None:
    """Purchase contracts and bank statements (text PDFs, one scan each) with truth JSON beside them."""
    from idp.synth import contract, statement

    for name, layout, seed, condition, planted in CONTRACTS:
        path = contract.write_sample(ROOT / "samples" / "purchase_contract", name, layout, seed,
                                     condition=condition, planted=planted)
        print(path.relative_to(ROOT))  # noqa: T201 - a script's output
    for name, style, seed, condition, options in STATEMENTS:
        path = statement.write_sample(ROOT / "samples" / "bank_statement", name, style, seed,
                                      condition=condition, **options)
        print(path.relative_to(ROOT))  # noqa: T201 - a script's output


if __name__ == "__main__":
    main()
