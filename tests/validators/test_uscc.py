"""USCC and taxpayer-id validators: stdnum's behaviour kept, Y/A/N authorities added, junk never crashes."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc

from idp.errors import FieldInvalid, InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from validators import taxpayer_id, uscc

VALID = ["91110000600037341L", "91120110MA06J3WLX8", "92510107MA634W4K90", "91330000734500338C"]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_agree_with_stdnum(number: str):
    assert uscc.validate(number) == number
    assert stdnum_uscc.is_valid(number)
    assert uscc.calc_check_digit(number[:17]) == number[17]


def test_compact_and_format():
    assert uscc.compact(" 9111 0000-6000 3734 1l ") == "91110000600037341L"
    assert uscc.compact("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"
    assert uscc.format("91 1100 00600037341L") == "91110000600037341L"


def test_non_digit_authority_that_stdnum_rejects():
    number = "Y1110000600037341" + uscc.calc_check_digit("Y1110000600037341")
    assert not stdnum_uscc.is_valid(number)
    assert uscc.validate(number) == number
    for authority in "AN":
        other = authority + number[1:17]
        assert uscc.is_valid(other + uscc.calc_check_digit(other))


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("91110000600037341M", InvalidChecksum),
        ("9111000060003734", InvalidLength),
        ("91110000600037341I", InvalidFormat),  # I is not in the charset
        ("Z1110000600037341L", InvalidFormat),
        ("01110000600037341L", InvalidComponent),  # 0 is no registration authority
        ("911A0000600037341L", InvalidFormat),  # region code must be digits
    ],
)
def test_invalid(number: str, error: type[FieldInvalid]):
    with pytest.raises(error):
        uscc.validate(number)
    assert not uscc.is_valid(number)


@pytest.mark.parametrize("junk", [None, "", "€", object(), 12345, "9" * 18])
def test_is_valid_never_raises(junk: object):
    assert uscc.is_valid(junk) is False  # type: ignore[arg-type]
    assert taxpayer_id.is_valid(junk) is False  # type: ignore[arg-type]


def test_org_code_check_digit():
    assert uscc.calc_org_check_digit("60003734") == "1"  # domain.md §3.1 hand check
    assert uscc.is_org_code_valid("91110000600037341L")
    assert not uscc.is_org_code_valid("91110000600037342L")


def test_taxpayer_id_forms():
    assert taxpayer_id.get_kind("91110000600037341L") == "uscc"
    assert (
        taxpayer_id.validate("110108600037341") == "110108600037341"
    )  # 6-digit region + org code 60003734-1
    assert taxpayer_id.get_kind("110108600037341") == "legacy"
    with pytest.raises(InvalidChecksum):
        taxpayer_id.validate("110108600037342")
    person = "11010519491231002X"  # the GB 11643 example resident id
    assert taxpayer_id.get_kind(person) == "resident_id"
    assert taxpayer_id.validate(person + "01") == person + "01"
    assert taxpayer_id.get_kind(person + "01") == "individual"
    with pytest.raises(InvalidChecksum):
        taxpayer_id.validate("110105194912310021" + "01")
    assert taxpayer_id.validate("110105491231002" + "01")  # 15-digit old id + 2 digits
    with pytest.raises(InvalidLength):
        taxpayer_id.validate("1234567890")
    with pytest.raises(InvalidChecksum):
        taxpayer_id.validate("91110000600037341M")
