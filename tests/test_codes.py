"""Code normalisation: what brokers type and what spreadsheets hold."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permitcli.codes import CodeKind, format_code, parse_code

ten_digits = st.text(alphabet="0123456789", min_size=10, max_size=10)


@pytest.mark.parametrize(
    "value",
    ["8471 50 000 0", "8471.50.000.0", "8471-50-000-0", "8471\u00a050\u00a0000\u00a00", "8471\u202f50 000 0",
     " 8471500000 ", 8471500000, 8471500000.0, Decimal("8471500000"), "8471500000.0", "8471 50 000 0\n"],
)
def test_spellings_of_one_code(value):
    parsed = parse_code(value)
    assert parsed.kind is CodeKind.CODE
    assert parsed.digits == "8471500000"


def test_number_cell_that_lost_its_leading_zero_is_padded():
    parsed = parse_code(901420200)  # 0901 42 020 0 would be chapter 09
    assert parsed.kind is CodeKind.CODE
    assert parsed.digits == "0901420200"
    assert parsed.padded


def test_nine_digits_typed_as_text_is_not_a_code():
    parsed = parse_code("847150000")
    assert parsed.kind is CodeKind.INVALID
    assert "9 digits" in parsed.reason


@pytest.mark.parametrize("value, digits", [("8529 10", "852910"), ("8807", "8807"), ("8481 80 81", "84818081"), (8807, "8807")])
def test_short_codes_are_prefixes(value, digits):
    parsed = parse_code(value)
    assert parsed.kind is CodeKind.PREFIX
    assert parsed.digits == digits


@pytest.mark.parametrize("value", ["abc", "8471 50 000 0x", "12345", 8471.5, -8471500000, True, "84715000001", "٨٤٧١٥٠٠٠٠٠"])
def test_not_codes_say_why(value):
    parsed = parse_code(value)
    assert parsed.kind is CodeKind.INVALID
    assert parsed.reason


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0"])
def test_empty(value):
    assert parse_code(value).kind is CodeKind.EMPTY


@given(ten_digits, st.sampled_from([" ", ".", "-", "\u00a0", ""]))
def test_printed_form_with_any_separator_round_trips(digits, sep):
    printed = format_code(digits).replace(" ", sep)
    assert parse_code(printed).digits == digits


@given(ten_digits.filter(lambda d: not d.startswith("00")))
def test_numbers_round_trip_through_int_and_float(digits):
    # A number cell keeps no leading zero: a code starting with one zero arrives as 9 digits and is padded back.
    assert parse_code(int(digits)).digits == digits
    assert parse_code(float(int(digits))).digits == digits
    assert parse_code(int(digits)).padded is digits.startswith("0")


@given(st.text())
def test_never_raises_and_digits_only_for_codes_and_prefixes(text):
    parsed = parse_code(text)
    if parsed.kind in (CodeKind.CODE, CodeKind.PREFIX):
        assert parsed.digits is not None and parsed.digits.isdigit()
        assert len(parsed.digits) in (4, 6, 8, 10)
    else:
        assert parsed.digits is None and parsed.reason


@pytest.mark.parametrize("value", [
    "код 8471500000", "Код ТН ВЭД: 8471 50 000 0", "ТН ВЭД 8471500000", "HS: 8471500000", "HS code 8471.50.000.0",
    "из 8471500000", "ex 8471500000", "8471500000 (ex)", "8471500000 (из)", "№ 8471500000", "8471500000 ex.", "ex. 8471500000",
])
def test_labels_and_ex_markings_around_a_code_are_not_part_of_it(value):
    parsed = parse_code(value)
    assert (parsed.kind, parsed.digits, parsed.raw) == (CodeKind.CODE, "8471500000", value)


@pytest.mark.parametrize("value", ["кодекс 8471500000", "экс 8471500000", "код", "из", "ex 8471500000 и 8517620009"])
def test_other_words_still_make_a_value_no_code(value):
    assert parse_code(value).kind is CodeKind.INVALID


@given(ten_digits, st.sampled_from(["", " ", "."]))
def test_ten_digits_read_the_same_however_they_come(digits, spacer):
    # A number cell, text, text with separators, a float: one code, kept as written.
    spaced = f"{digits[:4]}{spacer}{digits[4:6]}{spacer}{digits[6:9]}{spacer}{digits[9]}"
    forms = [spaced] if digits[0] == "0" else [spaced, int(digits), float(digits)]
    for value in forms:
        parsed = parse_code(value)
        assert (parsed.kind, parsed.digits, parsed.padded) == (CodeKind.CODE, digits, False), value
        assert parsed.raw == str(value)
