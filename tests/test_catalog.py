"""Matching codes against the annexes: exact codes, heading entries, prefixes, near misses."""

import pytest

from permitcli.catalog import MatchKind, load_catalog
from permitcli.codes import parse_code


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def match(catalog, raw):
    return catalog.match(parse_code(raw))


def test_tenth_digit_separates_annexes(catalog):
    a1 = match(catalog, "8481 80 819 9")
    a3 = match(catalog, "8481 80 819 1")
    assert (a1.kind, a1.entry.annex, a1.entry.entry) == (MatchKind.LISTED, 1, 44)
    assert (a3.kind, a3.entry.annex, a3.entry.entry) == (MatchKind.LISTED, 3, 2)
    assert not a1.via_prefix


@pytest.mark.parametrize("raw, entry", [("8529 10 110 0", 7), ("8529109000", 7), ("8807 30 000 0", 14), ("8807100000", 14)])
def test_heading_entries_cover_every_code_under_them(catalog, raw, entry):
    m = match(catalog, raw)
    assert m.kind is MatchKind.LISTED
    assert (m.entry.annex, m.entry.entry) == (3, entry)
    assert m.via_prefix


@pytest.mark.parametrize("raw", ["8529 10", "8807", "8807 30", "8529 10 11"])
def test_a_prefix_inside_a_heading_entry_is_listed(catalog, raw):
    m = match(catalog, raw)
    assert m.kind is MatchKind.LISTED and m.entry.annex == 3


def test_a_prefix_some_entries_start_with_may_be_listed(catalog):
    m = match(catalog, "8481 80")
    assert m.kind is MatchKind.MAY_BE_LISTED
    assert {e.annex for e in m.entries} == {1, 3}
    assert all(e.code.startswith("848180") for e in m.entries)
    assert m.entry is None


def test_a_prefix_nothing_falls_under_is_not_listed(catalog):
    assert match(catalog, "0101").kind is MatchKind.NOT_LISTED


def test_near_miss_on_nine_digits_names_both_annexes(catalog):
    m = match(catalog, "8504 40 300 1")
    assert m.kind is MatchKind.NOT_LISTED
    assert {(e.annex, e.code) for e in m.near_misses} == {(1, "8504403008"), (3, "8504403003")}


def test_near_miss_on_eight_digits_when_nine_share_nothing(catalog):
    m = match(catalog, "8541 10 000 1")  # 8541 10 000 9 is Annex 2
    assert m.kind is MatchKind.NOT_LISTED
    assert [(e.annex, e.code) for e in m.near_misses] == [(2, "8541100009")]
    m8 = match(catalog, "8536 90 850 1")  # shares 9 digits with 8536 90 850 0
    assert [e.code for e in m8.near_misses] == ["8536908500"]


def test_unrelated_code_has_no_near_miss(catalog):
    m = match(catalog, "0101 21 000 0")
    assert m.kind is MatchKind.NOT_LISTED and m.near_misses == ()


def test_8529_90_101_is_split_over_three_annexes(catalog):
    annexes = {catalog.entry_for(f"852990101{d}").annex for d in "1234567" if catalog.entry_for(f"852990101{d}")}
    assert annexes == {1, 2, 3}


def test_not_a_code(catalog):
    assert match(catalog, "abc").kind is MatchKind.NOT_A_CODE
    assert match(catalog, None).kind is MatchKind.NOT_A_CODE


def test_every_entry_matches_itself(catalog):
    for e in catalog.entries:
        assert catalog.entry_for(e.code.ljust(10, "0")) is not None
        if not e.is_prefix:
            assert catalog.entry_for(e.code) == e


def test_no_ten_digit_code_is_listed_twice(catalog):
    codes = [e.code for e in catalog.entries if not e.is_prefix]
    assert len(codes) == len(set(codes))
    # and no 10-digit entry sits under a heading entry of another annex
    for e in catalog.entries:
        if not e.is_prefix:
            assert not [p for p in catalog.entries if p.is_prefix and e.code.startswith(p.code)]


def test_rules_tables(catalog):
    r = catalog.rules
    assert r.documents_by_annex == {1: (1, 2, 3, 4, 5, 7), 2: (1, 2, 3, 4, 5, 7), 3: (1, 2, 3, 4, 6, 7)}
    assert [r.committee_for(a).slug for a in (1, 2, 3)] == ["industry", "telecom", "aviation"]
    assert {"GB", "US", "DE", "FR", "PL"} <= r.sanctioned_origins and "CH" not in r.sanctioned_origins
    assert {"RU", "BY", "KG", "AM", "UZ", "TJ", "AZ", "MD", "TM"} <= r.cis
    assert not {"GE", "UA", "KZ"} & r.cis


def test_lookup_record_from_python(catalog):
    from permitcli.catalog import lookup_record

    rec = lookup_record("8529 10 110 0", catalog)
    assert (rec["listed"], rec["annex"], rec["entry"], rec["via_prefix"], rec["committee"]) == (True, 3, 7, True, "aviation")
    assert [g["number"] for g in rec["refusal_grounds"]] == [1, 2, 3, 4, 5, 7]
    bad = lookup_record("84715")
    assert (bad["kind"], bad["listed"], bad["annex"]) == ("invalid", False, None) and bad["reason"]


def test_a_heading_lists_the_broader_entries_first():
    from permitcli.catalog import lookup_record

    candidates = lookup_record("8529")["candidates"]
    assert candidates[0] == {"code": "852910", "annex": 3, "entry": 7}  # covers every 8529 10 code
    assert [len(c["code"]) for c in candidates] == sorted(len(c["code"]) for c in candidates)
