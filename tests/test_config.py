"""The applicant profile and the shipment file: checks, clear errors naming file and key, atomic writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permitcli.config import (
    PROFILE_KEYS,
    bin_control_digit,
    check_bin,
    default_profile_path,
    init_profile,
    load_profile,
    load_shipment,
    profile_from_values,
    read_profile_values,
    set_profile_value,
)
from permitcli.errors import ConfigError, OutputError, UsageError

GOOD_PROFILE = """\
[applicant]
name = "ТОО «Астана Трейд Логистик»"
bin = "123456789013"
address = "010000, Астана, ул. Кенесары, 40"

[authorized_person]
full_name = "Сейтқали Айгерім Нұрланқызы"
position = "директор"
phone = "+7 701 234 56 78"
"""

VALUES = {
    "applicant.name": "ТОО «Астана Трейд Логистик»",
    "applicant.bin": "123456789013",
    "applicant.address": "Астана",
    "authorized_person.full_name": "Сейтқали Айгерім",
    "authorized_person.position": "директор",
    "authorized_person.phone": "+7 701 234 56 78",
}

GOOD_SHIPMENT = """\
[contract]
number = "KZ-2026/15"
date = 2026-10-01
currency = "USD"

[buyer]
name = "ООО «Северный Ветер»"
address = "Москва, ул. Тверская, 1"
country = "RU"

[shipment]
destination = "RU"
border_crossing = "Жайсан (автомобильный)"
statistical_value_rate = 1.0
"""


def _write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------- BIN


def test_bin_control_digit_on_worked_examples() -> None:
    # 9·1+7·2+1·3+2·4+4·5+0+0+0+1·9+3·10+1·11 = 104; 104 mod 11 = 5.
    assert bin_control_digit("97124000131") == 5
    # 9·1+4·2+0+7·4+4·5+0+0+0+0+9·10+1·11 = 166; 166 mod 11 = 1.
    assert bin_control_digit("94074000091") == 1
    # 1..9,0,1 with weights 1..11 gives 296, remainder 10; weights 3..11,1,2 give 377, remainder 3.
    assert bin_control_digit("12345678901") == 3


def test_check_bin_accepts_spaces_and_rejects_a_wrong_control_digit() -> None:
    assert check_bin("9712 4000 1315") == "971240001315"
    with pytest.raises(ValueError, match="wrong control digit.*ends in 3"):
        check_bin("123456789012")  # the example number in the issue is not a valid BIN
    with pytest.raises(ValueError, match="12 digits"):
        check_bin("12345678901")
    with pytest.raises(ValueError, match="12 digits"):
        check_bin("12345678901O")  # letter O


def test_both_remainders_ten_means_no_valid_bin() -> None:
    # 2·9 + 8·10 + 1·11 = 109 ≡ 10; again with weights 11, 1, 2: 22 + 8 + 2 = 32 ≡ 10: no control digit fits.
    assert bin_control_digit("00000000281") is None
    with pytest.raises(ValueError, match="no control digit fits"):
        check_bin("000000002810")


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_check_bin_agrees_with_the_control_digit(first11: str) -> None:
    control = bin_control_digit(first11)
    for last in "0123456789":
        if control is not None and int(last) == control:
            assert check_bin(first11 + last) == first11 + last
        else:
            with pytest.raises(ValueError):
                check_bin(first11 + last)


# --------------------------------------------------------------------------------------------- profile


def test_load_profile(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, GOOD_PROFILE))
    assert profile.applicant.name == "ТОО «Астана Трейд Логистик»"
    assert profile.applicant.bin == "123456789013"
    assert profile.authorized_person.phone == "+7 701 234 56 78"
    assert list(profile.flat()) == list(PROFILE_KEYS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD_PROFILE.replace('"123456789013"', '"123456789012"'), r"applicant\.bin: wrong control digit"),
        (GOOD_PROFILE.replace('"123456789013"', '"12345678901"'), r"applicant\.bin: must be 12 digits"),
        (GOOD_PROFILE.replace('"123456789013"', "123456789013"), r"applicant\.bin: must be text in quotes.*leading zeros"),
        (GOOD_PROFILE.replace('bin = "123456789013"\n', ""), r"applicant\.bin: missing; set it with: permitcli profile set"),
        (GOOD_PROFILE.replace('position = "директор"', 'position = "  "'), r"authorized_person\.position: must not be empty"),
        (GOOD_PROFILE.replace('"+7 701 234 56 78"', '"call me"'), r"authorized_person\.phone: must be a phone number"),
        (GOOD_PROFILE + 'fax = "1"\n', r"authorized_person\.fax: unknown key"),
        (GOOD_PROFILE + '[bank]\nname = "x"\n', r"bank: unknown table"),
        ('applicant = "x"\n', r"applicant: must be a table"),
        (GOOD_PROFILE.replace("[applicant]", "[applicant"), r"not valid TOML"),
    ],
)
def test_broken_profiles_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_profile(path)
    assert str(info.value).startswith(str(path) + ": ")
    assert "\n" not in str(info.value)


def test_missing_profile_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no applicant profile there; create it with: permitcli profile init"):
        load_profile(tmp_path / "nope.toml")


def test_profile_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    path.write_bytes('[applicant]\nname = "ТОО"\n'.encode("cp1251"))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_profile(path)


def test_default_profile_path_follows_the_user_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_profile_path() == tmp_path / "cfg" / "permitcli" / "profile.toml"


def test_init_then_set_then_load(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "profile.toml"
    init_profile(path, VALUES)
    assert load_profile(path).applicant.address == "Астана"
    assert set_profile_value(path, "applicant.bin", " 9712 4000 1315 ") == "971240001315"
    profile = load_profile(path)
    assert profile.applicant.bin == "971240001315"
    assert profile.applicant.name == VALUES["applicant.name"]  # the other keys are kept
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_init_does_not_replace_without_force(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_PROFILE)
    with pytest.raises(OutputError, match="already exists"):
        init_profile(path, VALUES)
    assert path.read_text(encoding="utf-8") == GOOD_PROFILE
    init_profile(path, VALUES | {"applicant.address": "Алматы"}, force=True)
    assert load_profile(path).applicant.address == "Алматы"


def test_init_checks_every_value(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    with pytest.raises(UsageError, match=r"^profile init: applicant\.bin: wrong control digit"):
        init_profile(path, VALUES | {"applicant.bin": "123456789012"})
    assert not path.exists()


def test_set_rejects_bad_values_and_keys_and_leaves_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_PROFILE)
    with pytest.raises(UsageError, match=r"^profile set: applicant\.bin: wrong control digit"):
        set_profile_value(path, "applicant.bin", "123456789012")
    with pytest.raises(UsageError, match=r"^profile set: applicant\.iin: unknown key"):
        set_profile_value(path, "applicant.iin", "123456789013")
    assert path.read_text(encoding="utf-8") == GOOD_PROFILE


def test_set_creates_a_partial_profile_that_show_can_read(tmp_path: Path) -> None:
    path = tmp_path / "profile.toml"
    set_profile_value(path, "applicant.name", "ИП Ахметов")
    assert read_profile_values(path) == {"applicant.name": "ИП Ахметов"}
    with pytest.raises(ConfigError, match=r"applicant\.bin: missing"):
        load_profile(path)


def test_set_on_a_broken_file_does_not_overwrite_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "[applicant\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_profile_value(path, "applicant.name", "x")
    assert path.read_text(encoding="utf-8") == "[applicant\n"


# -------------------------------------------------------------------------------------------- shipment


def test_load_shipment(tmp_path: Path) -> None:
    shipment = load_shipment(_write(tmp_path, GOOD_SHIPMENT, "shipment.toml"))
    assert shipment.contract_number == "KZ-2026/15"
    assert shipment.contract_date == date(2026, 10, 1)
    assert shipment.currency == "USD"
    assert shipment.buyer_country == "RU"
    assert shipment.destination == "RU"
    assert shipment.border_crossing == "Жайсан (автомобильный)"
    assert shipment.statistical_value_rate == Decimal("1.0")


def test_options_override_the_file_and_are_checked(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_SHIPMENT, "shipment.toml")
    shipment = load_shipment(path, {"contract.currency": "eur", "shipment.statistical_value_rate": "1,085",
                                    "contract.date": "05.11.2026", "buyer.name": None})
    assert shipment.currency == "EUR"
    assert shipment.statistical_value_rate == Decimal("1.085")
    assert shipment.contract_date == date(2026, 11, 5)
    assert shipment.buyer_name == "ООО «Северный Ветер»"  # None: option not given
    with pytest.raises(UsageError, match=r"^--destination: 'Russia' is not an ISO 3166-1 two-letter country code"):
        load_shipment(path, {"shipment.destination": "Russia"})


def test_shipment_from_options_only() -> None:
    shipment = load_shipment(None, {
        "contract.number": "1", "contract.date": "2026-10-01", "contract.currency": "KZT", "buyer.name": "B",
        "buyer.address": "A", "buyer.country": "kg", "shipment.destination": "KG", "shipment.border_crossing": "Қордай",
    })
    assert shipment.buyer_country == "KG"
    assert shipment.statistical_value_rate is None
    with pytest.raises(UsageError, match=r"^shipment: contract\.number: missing; put it in a shipment file "
                                         r"\(--shipment\) or give --contract-number$"):
        load_shipment(None, {})


def test_float_rate_is_kept_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_SHIPMENT.replace("= 1.0", "= 1.1"), "shipment.toml")
    assert load_shipment(path).statistical_value_rate == Decimal("1.1")  # not 1.100000000000000088...


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("date = 2026-10-01", 'date = "2026-13-01"', r"contract\.date: must be a date"),
        ("date = 2026-10-01", "date = 2026-10-01T10:00:00", r"contract\.date: must be a date .*not a date and time"),
        ('currency = "USD"', 'currency = "DOLLAR"', r"contract\.currency: 'DOLLAR' is not an ISO 4217 three-letter"),
        ('currency = "USD"', 'currency = "XYZ"', r"contract\.currency: 'XYZ' is not an ISO 4217 three-letter"),
        ('country = "RU"', 'country = "XX"', r"buyer\.country: 'XX' is not an ISO 3166-1 two-letter"),
        ('country = "RU"', "country = 643", r"buyer\.country: must be text in quotes"),
        ("statistical_value_rate = 1.0", "statistical_value_rate = -2", r"statistical_value_rate: must be a number greater than 0"),
        ("statistical_value_rate = 1.0", "statistical_value_rate = true", r"statistical_value_rate: must be a number"),
        ("statistical_value_rate = 1.0", 'statistical_value_rate = "abc"', r"statistical_value_rate: must be a number"),
        ('border_crossing = "Жайсан (автомобильный)"\n', "", r"shipment\.border_crossing: missing; .*--border-crossing"),
        ('number = "KZ-2026/15"', 'number = "KZ-2026/15"\nnumbr = "x"', r"contract\.numbr: unknown key"),
        ("[buyer]", "[seller]", r"seller: unknown table"),
        ("[buyer]", "[buyer", r"not valid TOML"),
    ],
)
def test_broken_shipments_name_the_file_and_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _write(tmp_path, GOOD_SHIPMENT.replace(old, new), "shipment.toml")
    with pytest.raises(ConfigError, match=message) as info:
        load_shipment(path)
    assert str(info.value).startswith(str(path) + ": ")


def test_missing_shipment_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"shipment\.toml: no shipment file there"):
        load_shipment(tmp_path / "shipment.toml")
    with pytest.raises(ConfigError, match="is a folder"):
        load_shipment(tmp_path)


def test_a_profile_from_python_with_an_unknown_key_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"applicant\.nmae: unknown key"):
        profile_from_values(VALUES | {"applicant.nmae": "x"}, "test")
