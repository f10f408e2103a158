"""The reader's vocabulary (data/headers.toml): which field a heading names, which words open a totals or a
charges row, how a document states its origin or currency, and which currency a text names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from permitcli._paths import data_dir
from permitcli.datafiles import read_toml
from permitcli.countries import fold
from permitcli.errors import ConfigError
from permitcli.reading.columns import FIELDS


class _Openers(dict[str, bool]):
    """Could a text that starts with a given character open one of `words` (case-insensitively, or after
    blanks)? Asked of a pattern once per character, then looked up: a test that lets most texts skip the words'
    own pattern."""

    def __init__(self, words: Sequence[str]) -> None:
        super().__init__()
        self._first = re.compile("[" + "".join(sorted({re.escape(w[0]) for w in words if w})) + r"]|\s", re.IGNORECASE)

    def __missing__(self, char: str) -> bool:
        opens = self[char] = self._first.match(char) is not None
        return opens


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    threshold: float
    choices: tuple[str, ...]  # folded terms
    index: dict[str, int]  # folded term -> its place in choices
    targets: tuple[tuple[str | None, int], ...]  # per term: (field, or None for an ignored heading; priority)
    totals: re.Pattern[str]
    totals_opener: _Openers  # first character -> could the text open a totals word
    charges: re.Pattern[str]  # matched against folded text
    origin_colon: re.Pattern[str]  # "Country of origin/ Страна происхождения: CHINA/КИТАЙ"
    origin_label: re.Pattern[str]  # a cell holding only the label; the value is in the next cell
    origin_made_in: re.Pattern[str]  # "Made in China"
    made_in_anywhere: re.Pattern[str]  # "Realflame Logo … Made in China" in a shipping-marks cell
    origin_loose: re.Pattern[str]  # "Country of Original Cambodia": a label and a country with nothing between
    currency_colon: re.Pattern[str]
    currency_label: re.Pattern[str]
    currency_words: tuple[tuple[str, str, int], ...]  # (" folded term ", code, words in the term)
    currency_symbols: tuple[tuple[str, str], ...]
    currency_codes: frozenset[str]  # the ISO 4217 codes [currency_words] names (tests check them with pycountry)


def _label_pattern(labels: Sequence[str]) -> str:
    alternatives = sorted({" ".join(lab.split()) for lab in labels if lab.strip()}, key=len, reverse=True)
    one = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives)
    return rf"(?:{one})(?:\s*[/|\\]\s*(?:{one}))*"


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    path = data_dir() / "headers.toml"
    try:
        data = read_toml(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: header vocabulary is missing") from None
    except (OSError, ValueError) as exc:  # ValueError: tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: cannot read the header vocabulary: {exc}") from None
    try:
        choices: list[str] = []
        targets: list[tuple[str | None, int]] = []
        seen: dict[str, tuple[str | None, int]] = {}

        def add(term: str, target: tuple[str | None, int]) -> None:
            key = fold(term)
            if key and key not in seen:
                seen[key] = target
                choices.append(key)
                targets.append(target)

        for term in data["ignore"]["terms"]:  # first: a tie between a field and an ignored heading is no field
            add(term, (None, 0))
        for field in FIELDS:
            table = data["fields"][field]
            for term in table.get("preferred", []):
                add(term, (field, 1))
            for term in table.get("terms", []):
                add(term, (field, 0))
        words = sorted(data["totals"]["words"], key=len, reverse=True)
        totals = re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
        charge_words = sorted({fold(w) for w in data["charges"]["words"] if fold(w)}, key=len, reverse=True)
        charges = re.compile(r"^(?:" + "|".join(re.escape(w) for w in charge_words) + r")(?!\w)")
        origin = _label_pattern(data["document_origin"]["labels"])
        currency = _label_pattern(data["document_currency"]["labels"])
        # A folded text is words between single spaces: a term is in it as whole words when " term " is in
        # " text " (a substring test, no pattern to compile per term).
        word_patterns: list[tuple[str, str, int]] = []
        symbols: list[tuple[str, str]] = []
        for code, names in data["currency_words"].items():
            for name in [code, *names]:
                key = fold(name)
                if key:
                    word_patterns.append((f" {key} ", code, key.count(" ") + 1))
                elif name.strip():
                    symbols.append((name.strip(), code))
        return _Vocabulary(
            threshold=float(data["threshold"]),
            choices=tuple(choices),
            index={key: i for i, key in enumerate(choices)},
            targets=tuple(targets),
            totals=totals,
            totals_opener=_Openers(words),
            charges=charges,
            origin_colon=re.compile(rf"^\s*{origin}[^:：\n]{{0,40}}?(?:[:：]|\s[-–—]\s)\s*(?P<value>\S.*?)\s*$",
                                    re.I | re.S),  # "Страна происхождения: Китай", "… товаров – Китай"
            origin_label=re.compile(rf"^\s*{origin}\s*[:：]?\s*$", re.IGNORECASE),
            origin_made_in=re.compile(r"^\s*(?:\S+\s+){0,3}?made\s+in\s+(?P<value>\S.*?)\s*$",
                                      re.IGNORECASE | re.DOTALL),  # "Made in China", "All goods made in China"
            made_in_anywhere=re.compile(r"\bmade\s+in\s+(?P<value>[^\W\d_][^\n,;:()]{1,40}?)\s*(?:$|[\n,;:()])",
                                        re.IGNORECASE),
            origin_loose=re.compile(rf"^\s*{origin}[a-z]{{0,3}}\s+(?P<value>[^\W\d_][^:：\n]{{1,40}}?)\s*$",
                                    re.IGNORECASE),
            currency_colon=re.compile(rf"^\s*{currency}\s*[:：]\s*(?P<value>\S.*?)\s*$", re.I | re.S),
            currency_label=re.compile(rf"^\s*{currency}\s*[:：]?\s*$", re.IGNORECASE),
            currency_words=tuple(word_patterns),
            currency_symbols=tuple(symbols),
            currency_codes=frozenset(data["currency_words"]),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed header vocabulary ({exc!r})") from None


_SHORT = 3  # cells this short (folded) name a field only when they are one of its terms


_HEADER_PARTS = re.compile(r"[/|\\\n\r()]+")  # "Customs code/ Код ТН ВЭД", "Кол-во (Qty)"


@lru_cache(maxsize=8192)
def _classify(text: str) -> tuple[str | None, float, int] | None:
    """The field a heading names: (field or None for an ignored heading, score, priority), or None."""
    vocab = _vocabulary()
    parts = [text, *_HEADER_PARTS.split(text)] if _HEADER_PARTS.search(text) else [text]
    best: tuple[float, int, int] | None = None  # (score, term length, term index)
    for part in parts:
        key = fold(part)
        if not key or key.isdigit():
            continue
        # "CN", "N", "DE" would match inside longer terms: short cells match exactly; and so do cells without a
        # letter (a code typed as text, a date, "№"), which no heading term can be like.
        if len(key) <= _SHORT or not any(ch.isalpha() for ch in key):
            idx = vocab.index.get(key)
            if idx is not None and (best is None or (100.0, len(key), -idx) > best):
                best = (100.0, len(key), -idx)
            continue
        for choice, score, idx in process.extract(
            key, vocab.choices, scorer=fuzz.WRatio, processor=None, score_cutoff=vocab.threshold, limit=None
        ):
            if len(key) > 1.5 * len(choice) and (
                fuzz.token_set_ratio(key, choice) < vocab.threshold  # its letters are there, not its words
                or key.count(" ") + 1 > max(6, 2 * (choice.count(" ") + 1))  # its words, in a sentence
            ):
                continue  # prose that mentions a heading is not a heading
            candidate = (score, len(vocab.choices[idx]), -idx)
            if best is None or candidate > best:
                best = candidate
    if best is None:
        return None
    field, priority = vocab.targets[-best[2]]
    return field, best[0], priority


def _currency_in(text: str) -> str | None:
    """The one currency a text names ("Сумма, USD", "доллар США"), or None."""
    vocab = _vocabulary()
    key = f" {fold(text)} "
    matched = [(words, code) for term, code, words in vocab.currency_words if term in key]
    longest = max((words for words, _ in matched), default=0)
    found = {code for words, code in matched if words == longest}  # "бел руб" is BYN, not the "руб" in it
    found.update(code for symbol, code in vocab.currency_symbols if symbol in text)
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1024)
def currency_code(text: str) -> str:
    """A currency cell as its ISO 4217 code when it names one currency ("долл. США", "$", "840", "rmb"), else
    the text as written."""
    key = text.strip()
    if len(key) == 3 and key.isascii() and key.isalpha():
        if key.upper() in _vocabulary().currency_codes:  # a code the vocabulary knows: no need for pycountry
            return key.upper()
        import pycountry  # imported here: loaded only for a code the vocabulary does not list

        if pycountry.currencies.get(alpha_3=key.upper()):
            return key.upper()
    if key.isdigit() and len(key) <= 3:
        import pycountry

        found = pycountry.currencies.get(numeric=key.zfill(3))
        return found.alpha_3 if found is not None else key
    return _currency_in(key) or key


def _currency_cell(cell: object) -> bool:
    """Does a cell name a currency ("USD", "$", "долл. США")?"""
    if type(cell) is not str:
        return False
    key = cell.strip()
    if not key or len(key) > 12:
        return False
    if len(key) == 3 and key.isalpha():
        if key.upper() in _vocabulary().currency_codes:
            return True
        import pycountry  # imported here: needed only for a code the vocabulary does not list

        return pycountry.currencies.get(alpha_3=key.upper()) is not None
    return _currency_in(key) is not None


def _is_caption(cell: object) -> bool:
    """A "Label: value" cell naming one origin or currency for what follows: a caption, never a sub-heading."""
    if type(cell) is not str or not cell.strip():
        return False
    vocab = _vocabulary()
    text = cell.strip()
    return any(p.match(text) for p in (vocab.origin_colon, vocab.origin_made_in, vocab.currency_colon))
