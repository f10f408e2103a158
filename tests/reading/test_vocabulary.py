"""The vocabulary: currencies as ISO codes, look-alike headings that name no field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from permitcli.invoices import read_invoice


@pytest.mark.parametrize(("cell", "code"), [
    ("долл. США", "USD"), ("$", "USD"), ("840", "USD"), ("usd", "USD"), ("Доллары", "USD"), ("евро", "EUR"),
    ("руб.", "RUB"), ("643", "RUB"), ("бел. руб.", "BYN"), ("юань", "CNY"), ("RMB", "CNY"), ("Тенге", "KZT"),
    ("XYZ", "XYZ"), ("по курсу", "по курсу"),  # not one currency: kept as written
])
def test_currency_cells_become_iso_codes(cell: str, code: str) -> None:
    from permitcli.invoices import currency_code

    assert currency_code(cell) == code


def test_currency_column_is_read_as_iso_codes(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Код ТН ВЭД;Наименование;Сумма;Валюта;Код страны происхождения\n"
                    "8471500000;Сервер;100;долл. США;156\n8471500000;Сервер;100;руб.;CN\n", encoding="utf-8")
    inv = read_invoice(path)
    assert [(line.currency, line.origin_raw) for line in inv.lines] == [("USD", "156"), ("RUB", "CN")]
    assert inv.columns["origin"] == "E"


def test_look_alike_headings_get_no_field(tmp_path: Path) -> None:
    # An internal "Код", a price, a VAT sum and a weight sit next to the real code, value and unit columns.
    heading = (
        "№;Артикул;Наименование;Код;Код ТН ВЭД;Кол-во;Ед.;Цена за ед.;Сумма НДС;Сумма;Вес нетто, кг;"
        "Страна происхождения;Страна назначения;Валюта;Основание освобождения"
    )
    row = "1;A-77;Сервер;00045;8471500000;2;шт;100,00;40,00;200,00;31,5;США;Россия;USD;СТ-1 № 77"
    path = tmp_path / "1c.csv"
    path.write_text(heading + "\n" + row + "\n", encoding="utf-8")
    inv = read_invoice(path)
    assert inv.columns == {
        "description": "C", "code": "E", "quantity": "F", "unit": "G", "unit_price": "H", "value": "J",
        "origin": "L", "destination": "M", "currency": "N", "evidence": "O",
    }
    line = inv.lines[0]
    assert (line.code_raw, line.value, line.destination_raw, line.evidence_raw) == (
        "8471500000", Decimal("200.00"), "Россия", "СТ-1 № 77",
    )


def test_the_vocabulary_names_only_iso_currency_codes() -> None:
    """A three-letter code [currency_words] lists is taken as ISO 4217 without asking pycountry: so each must be."""
    import pycountry

    from permitcli.reading.vocabulary import _vocabulary

    codes = _vocabulary().currency_codes
    assert {"USD", "EUR", "RUB", "KZT", "CNY"} <= codes
    assert sorted(c for c in codes if pycountry.currencies.get(alpha_3=c) is None) == []


@pytest.mark.parametrize(("text", "code"), [
    ("Сумма, USD", "USD"), ("USD/ долл.", "USD"), ("доллар США", "USD"), ("бел. руб.", "BYN"), ("руб", "RUB"),
    ("рубли", "RUB"), ("сумма в руб", "RUB"), ("USD EUR", None), ("USDT", None), ("трубы", None), ("", None),
])
def test_a_currency_is_named_by_whole_words(text: str, code: str | None) -> None:
    from permitcli.reading.vocabulary import _currency_in

    assert _currency_in(text) == code



def test_the_totals_opener_lets_through_every_character_that_can_open_a_totals_word() -> None:
    """The first-character look never turns away a text the totals pattern would match: over every code point,
    it says yes wherever a word's first letter matches (with the pattern's own case rules) or a blank is."""
    import re
    import sys

    from permitcli._paths import data_dir
    from permitcli.datafiles import read_toml
    from permitcli.reading.vocabulary import _Openers, _vocabulary

    words = read_toml(data_dir() / "headers.toml")["totals"]["words"]
    firsts = re.compile(r"\s|" + "|".join(re.escape(w[0]) for w in words), re.IGNORECASE)
    opener = _Openers(words)
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if bool(firsts.match(c)) != opener[c]] == []
    assert opener["И"] and opener["ſ"] and opener[" "] and not opener["Т"] and not opener["8"]  # ſ: long s
    opens = _vocabulary().totals_opener
    assert opens["и"] and opens["T"] and opens["合"] and not opens["Т"]  # Cyrillic Т opens no totals word
