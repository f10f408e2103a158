"""Labels and finding messages in three languages: same slugs, same placeholders, really translated."""

import re
import string

import pytest

from permitcli.i18n import _LABELS, _MESSAGES, LANGS, label, message
from permitcli.model import InvoiceLine, Status
from permitcli.screen import ScreenOptions, Screener

CYRILLIC = re.compile("[а-яёәғқңөұүһі]", re.IGNORECASE)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(_MESSAGES))
def test_every_message_has_the_same_placeholders_in_each_language(key):
    en, ru, kk = _MESSAGES[key]
    assert placeholders(en) == placeholders(ru) == placeholders(kk)
    assert CYRILLIC.search(ru) and CYRILLIC.search(kk)


def test_every_label_has_three_languages():
    for key, texts in _LABELS.items():
        assert len(texts) == len(LANGS) and all(texts), key
    for status in Status:
        assert label(status.value, "ru") != status.value


def test_unknown_language_falls_back_to_english():
    assert label("row", "de") == "Row"
    assert message("code-missing", "de") == "no TN VED code on this line"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_screening_speaks_the_chosen_language_with_the_same_slugs(lang):
    line = InvoiceLine(row=2, code_raw="8471500000", origin_raw="Германия")
    en = Screener(options=ScreenOptions()).screen_line(line)
    other = Screener(options=ScreenOptions(lang=lang)).screen_line(line)
    assert en.status is other.status is Status.REFUSAL_RISK
    assert [f.type for f in en.findings] == [f.type for f in other.findings]
    for a, b in zip(en.findings, other.findings):
        assert not CYRILLIC.search(a.message) and CYRILLIC.search(b.message)


def test_every_invoice_field_has_a_label():
    from permitcli.invoices import FIELDS

    for field in FIELDS:
        assert label(f"field-{field}", "ru") != f"field-{field}"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_reader_notes_follow_the_language(tmp_path, lang):
    from permitcli.invoices import read_invoice

    path = tmp_path / "a.csv"
    path.write_bytes("Наименование;Код ТН ВЭД;Кол-во;Сумма\nСервер;8471500000;около пяти;10\n".encode("cp1251"))
    en = read_invoice(path)
    other = read_invoice(path, lang=lang)
    assert [n.type for n in en.notes] == [n.type for n in other.notes] == ["csv-encoding"]
    assert [f.type for f in en.lines[0].notes] == [f.type for f in other.lines[0].notes] == ["unreadable-number"]
    for a, b in zip(en.notes + en.lines[0].notes, other.notes + other.lines[0].notes):
        assert not CYRILLIC.search(a.message.replace("около пяти", "")) and CYRILLIC.search(b.message)


def test_numbers_take_the_noun_form_their_language_wants():
    from permitcli.i18n import counted

    assert [counted(n, "files", "ru") for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "1 файл", "2 файла", "5 файлов", "11 файлов", "21 файл", "22 файла", "112 файлов"]
    assert (counted(1, "lines"), counted(3, "lines"), counted(3, "lines", "kk")) == ("1 line", "3 lines", "3 жол")
