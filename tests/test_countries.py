"""Country resolution: codes, English/Russian/Kazakh names, aliases, bilingual values, never a guess."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pycountry
import pytest

from permitcli._paths import data_dir
from permitcli.countries import country_name, fold, resolve_country
from permitcli.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO codes in any case, alpha-3, numeric (with and without the leading zeros a number cell loses)
        ("KZ", "KZ"),
        ("kz", "KZ"),
        ("KAZ", "KZ"),
        ("rus", "RU"),
        ("398", "KZ"),
        ("040", "AT"),
        ("40", "AT"),
        # English short and official names from pycountry
        ("Kazakhstan", "KZ"),
        ("Republic of Kazakhstan", "KZ"),
        ("Russian Federation", "RU"),
        ("Korea, Republic of", "KR"),
        ("People's Republic of China", "CN"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        # Russian and Kazakh names from pycountry's translations
        ("Российская Федерация", "RU"),
        ("Соединённые Штаты", "US"),
        ("Соединенные Штаты Америки", "US"),
        ("Китайская Народная Республика", "CN"),
        ("Ресей", "RU"),
        ("Қытай", "CN"),
        ("Германия Федеративтік Республикасы", "DE"),
        ("Ұлыбритания", "GB"),
        # aliases kept as data
        ("США", "US"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("u. s. a.", "US"),
        ("КНР", "CN"),
        ("Китай", "CN"),
        ("КИТАЙ", "CN"),
        ("ФРГ", "DE"),
        ("Германия", "DE"),
        ("UK", "GB"),
        ("Великобритания", "GB"),
        ("Англия", "GB"),
        ("Корея", "KR"),
        ("Южная Корея", "KR"),
        ("КНДР", "KP"),
        ("Тайвань (Китай)", "TW"),
        ("РК", "KZ"),
        ("Казахстан", "KZ"),
        ("Қазақстан", "KZ"),
        ("РФ", "RU"),
        ("Россия", "RU"),
        ("Беларусь", "BY"),
        ("Белоруссия", "BY"),
        ("Кыргызстан", "KG"),
        ("Киргизия", "KG"),
        ("ОАЭ", "AE"),
        ("Турция", "TR"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        # folding: whitespace, "ё", punctuation, case
        ("  соединённые   штаты  америки ", "US"),
        ("россия.", "RU"),
        # a trailing qualifier is tried with and without
        ("Корея (Республика)", "KR"),
        ("Германия (ЕС)", "DE"),
        ("Корея (Солтүстік)", "KP"),  # pycountry's Kazakh name of North Korea, qualifier and all
        # bilingual values: each side of "/"
        ("CHINA/КИТАЙ", "CN"),
        ("China / Китай", "CN"),
        ("Germany/ Германия", "DE"),
        ("Made in China", "CN"),
    ],
)
def test_resolves(text: str, expected: str) -> None:
    assert resolve_country(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Xyzland",
        "China/Germany",  # two different countries: no guess
        "see invoice",
        "12345",
        "Корея Северная или Южная",
    ],
)
def test_unknown_is_none(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(
    "text", ["EU", "Made in EU", "European Union", "Европейский союз", "Евросоюз", "Еуропалық Одақ"]
)
def test_the_european_union_itself_is_eu(text: str) -> None:
    # Not a country: ISO 3166-1's exceptionally reserved code, which the rule tables list as a sanctioned origin.
    assert resolve_country(text) == "EU"
    assert pycountry.countries.get(alpha_2="EU") is None


def test_non_string_input_is_tolerated() -> None:
    assert resolve_country(None) is None  # type: ignore[arg-type]
    assert resolve_country(398) == "KZ"  # type: ignore[arg-type]


def test_every_pycountry_code_and_name_resolves_to_itself() -> None:
    for country in pycountry.countries:
        assert resolve_country(country.alpha_2) == country.alpha_2
        assert resolve_country(country.alpha_3) == country.alpha_2
        assert resolve_country(country.name) == country.alpha_2, country.name


def test_aliases_file_is_consistent() -> None:
    with (data_dir() / "countries.toml").open("rb") as fh:
        data = tomllib.load(fh)
    owners: dict[str, str] = {}
    for alpha2, names in [*data["aliases"].items(), *data["unions"].items()]:
        assert alpha2 in data["unions"] or pycountry.countries.get(alpha_2=alpha2) is not None, alpha2
        for name in names:
            key = fold(name)
            assert owners.setdefault(key, alpha2) == alpha2, f"{name!r} is under {owners[key]} and {alpha2}"
            assert resolve_country(name) == alpha2, name


def test_fold() -> None:
    assert fold("  Соединённые  Штаты, Америки! ") == "соединенные штаты америки"
    assert fold("Côte d’Ivoire") == "cote d ivoire"
    assert fold("Қазақстан") == "қазақстан"  # Kazakh letters are kept


@pytest.mark.parametrize(
    ("code", "lang", "expected"),
    [
        ("KZ", "en", "Kazakhstan"),
        ("KZ", "ru", "Казахстан"),
        ("KZ", "kk", "Қазақстан"),
        ("CN", "ru", "Китай"),
        ("CN", "kk", "Қытай"),
        ("RU", "kk", "Ресей"),
        ("DE", "ru", "Германия"),
        ("US", "ru", "Соединённые Штаты Америки"),
        ("kr", "en", "Republic of Korea"),
        ("TW", "en", "Taiwan"),
        ("EU", "ru", "Европейский союз"),
    ],
)
def test_country_name(code: str, lang: str, expected: str) -> None:
    assert country_name(code, lang) == expected


def test_country_name_round_trips_through_resolve() -> None:
    for country in pycountry.countries:
        for lang in ("en", "ru", "kk"):
            name = country_name(country.alpha_2, lang)
            assert resolve_country(name) == country.alpha_2, (country.alpha_2, lang, name)


def test_country_name_unknown_code_and_language() -> None:
    assert country_name("XX", "ru") == "XX"
    with pytest.raises(ValueError, match="language"):
        country_name("KZ", "de")


@pytest.mark.parametrize(
    ("toml", "match"),
    [
        ('[aliases]\nXX = ["Nowhere"]\n', "'XX' is not an ISO 3166-1 alpha-2 code"),
        ('[aliases]\nDE = ["Германия"]\nAT = ["германия"]\n', "given for both DE and AT"),
        ('[aliases]\nDE = "Германия"\n', "must be a list of names"),
        ("[aliases\n", "cannot read country data"),
    ],
)
def test_broken_country_data_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, match: str
) -> None:
    from permitcli import countries

    bad = tmp_path / "countries.toml"
    bad.write_text(toml, encoding="utf-8")
    monkeypatch.setattr(countries, "_countries_file", lambda: bad)
    for cached in (countries._config, countries._own, countries._index, countries.resolve_country):
        cached.cache_clear()
    try:
        with pytest.raises(ConfigError, match=match):
            resolve_country("Германия")
    finally:
        monkeypatch.undo()
        for cached in (countries._config, countries._own, countries._index, countries.resolve_country):
            cached.cache_clear()


@pytest.mark.parametrize(("text", "expected"), [
    ("Корея (Республика)", "KR"),
    ("Германия (ФРГ)", "DE"),
    ("Китай (КНР)", "CN"),
    ("Корея (КНДР)", None),  # the bracket names another country: no guess
    ("Китай (Тайвань)", None),
    ("Великобритания (Гонконг)", None),
    ("Корея (Северная)", None),  # a bracket that changes the meaning without naming a country
    ("Конго (ДР)", None),
])
def test_a_bracket_after_a_name_may_not_change_the_country(text, expected):
    assert resolve_country(text) == expected


def test_what_countries_toml_settles_is_what_the_whole_index_says() -> None:
    """Names and codes data/countries.toml gives are answered without pycountry's index: the answer must be the
    one the index (pycountry's names with those aliases over them) gives, and every [aliases] key an ISO code."""
    from permitcli import countries

    own, index = countries._own(), countries._index()
    assert own.names and own.codes
    assert {key: index.exact[key] for key in own.names} == own.names
    assert {key: index.exact[key] for key in own.codes} == own.codes
    assert all(pycountry.countries.get(alpha_2=code) for code in own.codes.values())


def test_a_name_from_countries_toml_needs_no_pycountry() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom permitcli.countries import resolve_country\n"
            "print([resolve_country(t) for t in ('Китай', 'cn', 'Евросоюз', 'США', 'Корея (Республика)')])\n"
            "print('pycountry' in sys.modules)\n"
            "print(resolve_country('Made in Japan'), resolve_country('Peru'), 'pycountry' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["['CN', 'CN', 'EU', 'US', 'KR']", "False", "JP PE True"]
