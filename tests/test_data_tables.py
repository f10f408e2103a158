"""Structural checks of the shipped annex tables, rules, CIS list and manifest."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from typing import Any

import pycountry
import pytest

from permitcli._paths import data_dir
from permitcli.codes import format_code

ANNEXES = data_dir() / "annexes"
LANGS = ("kk", "ru", "en")
CSV_COLUMNS = ["annex", "entry", "code_printed", "code", "footnotes", "description_kk"]
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH_ONLY = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _toml(name: str) -> dict[str, Any]:
    with (ANNEXES / name).open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def rules() -> dict[str, Any]:
    return _toml("rules.toml")


@pytest.fixture(scope="module")
def cis() -> dict[str, Any]:
    return _toml("cis.toml")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return _toml("manifest.toml")


def _rows(annex: int) -> list[dict[str, str]]:
    with (ANNEXES / f"annex{annex}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _language_problems(node: Any, path: str = "") -> list[str]:
    """Every text given in one language must be given in all three, non-empty, in the right script."""
    problems: list[str] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            problems += _language_problems(item, f"{path}[{i}]")
        return problems
    if not isinstance(node, dict):
        return problems
    groups: dict[str, dict[str, Any]] = {}
    for key, value in node.items():
        if key in LANGS:
            groups.setdefault("", {})[key] = value
        elif key[-3:-2] == "_" and key[-2:] in LANGS:
            groups.setdefault(key[:-3], {})[key[-2:]] = value
        else:
            problems += _language_problems(value, f"{path}.{key}")
    for base, texts in groups.items():
        where = f"{path}.{base}" if base else path
        if set(texts) != set(LANGS):
            problems.append(f"{where}: has {sorted(texts)}")
            continue
        values = {lang: texts[lang] if isinstance(texts[lang], list) else [texts[lang]] for lang in LANGS}
        if len({len(v) for v in values.values()}) != 1:
            problems.append(f"{where}: lists of different lengths")
        for lang, items in values.items():
            for text in items:
                if not isinstance(text, str) or not text.strip():
                    problems.append(f"{where}.{lang}: empty")
                elif lang == "en" and _CYRILLIC.search(text):
                    problems.append(f"{where}.en: Cyrillic letters in English text")
                elif lang == "ru" and _KAZAKH_ONLY.search(text):
                    problems.append(f"{where}.ru: Kazakh letters in Russian text")
                elif lang in ("kk", "ru") and not _CYRILLIC.search(text):
                    problems.append(f"{where}.{lang}: no Cyrillic letters")
    return problems


# --- annex CSVs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("annex", [1, 2, 3])
def test_annex_csv_has_the_agreed_columns_and_clean_values(annex: int) -> None:
    with (ANNEXES / f"annex{annex}.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == CSV_COLUMNS
    for r in _rows(annex):
        where = f"annex{annex}.csv entry {r['entry']}"
        assert r["annex"] == str(annex), where
        assert r["entry"].isdigit(), where
        assert r["code"].isdigit() and len(r["code"]) in (4, 6, 10), where
        assert format_code(r["code"]) == r["code_printed"], where
        assert re.fullmatch(r"(?:\d\)(?: \d\))*)?", r["footnotes"]), where
        d = r["description_kk"]
        assert d and d == " ".join(d.split()), f"{where}: stray whitespace"
        assert not re.search(r" [,;)]|\( ", d), f"{where}: space inside brackets or before a comma"
        assert not re.search(r"\d\)$", d), f"{where}: footnote marker left in the description"


def test_no_listed_code_falls_under_another() -> None:
    """An invoice code must lead to one annex entry: no code repeats and none is a prefix of another."""
    codes = [(a, r["entry"], r["code"]) for a in (1, 2, 3) for r in _rows(a)]
    assert len({c for _, _, c in codes}) == len(codes)
    clashes = [(x, y) for x in codes for y in codes if x != y and y[2].startswith(x[2])]
    assert clashes == []


def test_only_annex_3_lists_headings() -> None:
    short = {(a, r["code"]) for a in (1, 2, 3) for r in _rows(a) if len(r["code"]) != 10}
    assert short == {(3, "852910"), (3, "8807")}


# --- rules.toml ------------------------------------------------------------------------------------


def test_every_rules_text_is_in_three_languages(rules: dict[str, Any]) -> None:
    assert _language_problems(rules) == []


def test_committees_cover_the_three_annexes(rules: dict[str, Any]) -> None:
    committees = rules["committees"]
    assert set(committees) == {"industry", "telecom", "aviation"}
    assert {c["annex"]: key for key, c in committees.items()} == {1: "industry", 2: "telecom", 3: "aviation"}
    for c in committees.values():
        assert c["point"] == f"order p.{c['annex'] + 3}"


def test_documents_are_numbered_1_to_7_with_short_labels(rules: dict[str, Any]) -> None:
    docs = rules["documents"]
    assert [d["number"] for d in docs] == list(range(1, 8))
    for d in docs:
        assert 2 <= len(d["short_en"].split()) <= 5, d["short_en"]


def test_documents_by_annex_follow_rules_p6(rules: dict[str, Any]) -> None:
    by_annex = rules["documents_by_annex"]
    assert by_annex == {"1": [1, 2, 3, 4, 5, 7], "2": [1, 2, 3, 4, 5, 7], "3": [1, 2, 3, 4, 6, 7]}
    known = {d["number"] for d in rules["documents"]}
    assert all(set(numbers) <= known for numbers in by_annex.values())


def test_refusal_grounds(rules: dict[str, Any]) -> None:
    grounds = rules["refusal_grounds"]
    assert [g["number"] for g in grounds] == list(range(1, 8))
    slugs = [g["slug"] for g in grounds]
    assert len(set(slugs)) == 7 and all(_KEBAB.match(s) for s in slugs)
    assert slugs[5] == "origin-certificate-or-sanctioned-origin"
    assert slugs[6] == "no-operator-certificate"
    assert [g["annexes"] for g in grounds] == [[1, 2, 3]] * 5 + [[1, 2], [3]]
    assert [g["number"] for g in grounds if g["visible_in_invoice"]] == [6, 7]
    assert [g["point"] for g in grounds] == [f"rules p.11.{n}" for n in range(1, 8)]


def test_sanctioned_origins_are_valid_countries(rules: dict[str, Any], cis: dict[str, Any]) -> None:
    origins = rules["sanctioned_origins"]
    assert origins["countries"] == ["GB", "US"]
    eu = origins["eu_members"]
    assert len(eu) == 27 and len(set(eu)) == 27
    assert [c for c in [*origins["countries"], *eu] if pycountry.countries.get(alpha_2=c) is None] == []
    assert not set(eu) & set(origins["countries"])
    assert not set(eu) & {s["alpha2"] for s in cis["states"]}
    assert origins["annexes"] == next(g["annexes"] for g in rules["refusal_grounds"] if g["number"] == 6)


def test_exemptions(rules: dict[str, Any]) -> None:
    exemptions = rules["exemptions"]
    assert [e["number"] for e in exemptions] == [1, 2, 3, 4]
    assert [e["slug"] for e in exemptions] == ["ct-kz", "ct-1", "licence", "personal"]
    assert [e["origin"] for e in exemptions] == ["KZ", "CIS", "", ""]
    assert [e["point"] for e in exemptions] == [f"order p.3.{n}" for n in range(1, 5)]
    assert all(set(LANGS) <= set(e["evidence"]) for e in exemptions)


def test_exemptions_say_which_evidence_they_need_together(rules: dict[str, Any]) -> None:
    needs = {e["slug"]: e["requires"] for e in rules["exemptions"]}
    assert needs == {"ct-kz": ["ct-kz"], "ct-1": ["ct-1", "import-docs"], "licence": ["licence"],
                     "personal": ["personal"]}
    assert [e["slug"] for e in rules["exemptions"] if e.get("original_required")] == ["ct-kz"]


def test_territories_read_as_the_usa_or_the_eu_are_iso_codes_outside_both_lists(rules: dict[str, Any]) -> None:
    origins = rules["sanctioned_origins"]
    territories = origins["territories"]
    assert set(territories.values()) == {"US", "EU"}
    assert {"PR", "GU", "VI", "AS", "MP", "UM", "GP", "MQ", "GF", "RE", "YT", "MF", "AX"} <= set(territories)
    assert [c for c in territories if pycountry.countries.get(alpha_2=c) is None] == []
    assert not set(territories) & {*origins["countries"], *origins["eu_members"]}


def test_provisions_have_points_titles_and_the_termination_grounds(rules: dict[str, Any]) -> None:
    provisions = {p["slug"]: p for p in rules["provisions"]}
    assert {p: provisions[p]["point"].split(";")[0] for p in provisions} == {
        "permit-delivery": "rules p.7", "revenue-control": "order p.8", "reasoned-refusal": "rules p.9.3",
        "no-amendments": "rules p.12", "reapply-on-change": "rules p.13", "termination": "rules p.14",
        "terminated-status": "rules p.15", "personal-data-consent": "rules p.11.3",
    }
    assert [i["letter"] for i in provisions["termination"]["items"]] == list("абвгдеж")
    assert "тоқтатылды" in provisions["terminated-status"]["kk"]
    assert all(p[f"title_{lang}"] for p in provisions.values() for lang in LANGS)


def _minutes(hhmm: str) -> int:
    t = dt.time.fromisoformat(hhmm)
    return t.hour * 60 + t.minute


def test_time_limits(rules: dict[str, Any]) -> None:
    tl = rules["time_limits"]
    steps = tl["registration_working_days"] + tl["review_working_days"] + tl["decision_working_days"]
    assert steps == tl["total_working_days"] == 5
    assert tl["report_calendar_days"] == 15
    assert tl["validity"] == "end of the calendar year of issue"
    hours = tl["provider_hours"]
    order = [_minutes(hours[k]) for k in ("open", "lunch_start", "lunch_end", "close")]
    assert order == sorted(order) and len(set(order)) == 4
    assert hours["weekdays"] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    details = [v for v in tl.values() if isinstance(v, dict)]
    assert details and all(v.get("point") for v in details)


def test_form2_has_18_fields_and_a_date_pattern_matching_its_legend(rules: dict[str, Any]) -> None:
    form = rules["form2"]
    assert [f["number"] for f in form["fields"]] == list(range(1, 19))
    # The legend "ЖЖЖЖ – жыл, КК – күн, АА – ай" names each placeholder; read the pattern off field 2.
    meaning = dict(re.findall(r"(ЖЖЖЖ|КК|АА) – (жыл|күн|ай)", form["legend"]["kk"]))
    assert len(meaning) == 3
    as_english = {"жыл": "YYYY", "күн": "DD", "ай": "MM"}
    printed = re.search(r"(ЖЖЖЖ|КК|АА)\.(ЖЖЖЖ|КК|АА)\.(ЖЖЖЖ|КК|АА)", form["fields"][1]["kk"])
    assert printed is not None
    assert ".".join(as_english[meaning[p]] for p in printed.groups()) == form["date_pattern"] == "YYYY.DD.MM"


# --- cis.toml --------------------------------------------------------------------------------------


def test_cis_states(cis: dict[str, Any]) -> None:
    states = cis["states"]
    codes = [s["alpha2"] for s in states]
    assert len(set(codes)) == len(codes)
    assert [c for c in codes if pycountry.countries.get(alpha_2=c) is None] == []
    for s in states:
        assert s["status"] in {"member", "associate", "former", "withdrawn"}, s["alpha2"]
        assert isinstance(s["in_scope"], bool), s["alpha2"]
        assert all(s[f"name_{lang}"].strip() for lang in LANGS), s["alpha2"]
        assert s["note"].strip(), s["alpha2"]
        if s["status"] in {"former", "withdrawn"}:
            assert not s["in_scope"], s["alpha2"]
    assert {s["alpha2"] for s in states if s["in_scope"]} == {"AM", "AZ", "BY", "KG", "MD", "RU", "TJ", "UZ", "TM"}
    kz = next(s for s in states if s["alpha2"] == "KZ")
    assert kz["status"] == "member" and kz["in_scope"] is False


# --- manifest.toml ---------------------------------------------------------------------------------


def test_manifest(manifest: dict[str, Any]) -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", manifest["data_version"])
    assert manifest["counts"] == {"annex1": 66, "annex2": 79, "annex3": 19}
    for annex in (1, 2, 3):
        assert len(_rows(annex)) == manifest["counts"][f"annex{annex}"]
    source = manifest["source"]
    assert source["seed"] == "000_e78d6a70b867193b.txt"
    assert source["title_kk"].strip()
    orders = source["orders"]
    assert [o["number"] for o in orders] == ["325-НҚ", "494", "586/НҚ", "717", "391"]
    assert [dt.date.fromisoformat(o["date"]) for o in orders] == [dt.date(2025, 11, 17)] + [dt.date(2025, 11, 20)] * 4
    assert all(o["authority_kk"].strip() and o["authority_en"].strip() for o in orders)
    assert all((ANNEXES / name).is_file() for name in manifest["files"].values())


def test_manifest_dates_are_empty_or_consistent(manifest: dict[str, Any]) -> None:
    dates = manifest["dates"]
    assert "published" in dates and "in_force" in dates and dates["in_force_rule"].strip()
    parsed = {k: dt.date.fromisoformat(dates[k]) if dates[k] else None for k in ("published", "in_force")}
    if parsed["published"] and parsed["in_force"]:
        lag = dates["in_force_after_publication_calendar_days"]
        assert parsed["in_force"] == parsed["published"] + dt.timedelta(days=lag)
