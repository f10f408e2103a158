"""Screening as the order words it: exemptions that need all their evidence, dead certificates, Annex 3 refusal,
territories, the exporting state, transit and Kazakh-made goods."""

from __future__ import annotations

import pytest

from permitcli.catalog import load_catalog
from permitcli.errors import UsageError
from permitcli.model import InvoiceLine, Status
from permitcli.screen import ScreenOptions, Screener, parse_evidence, read_remarks

ANNEX1 = "8481 80 819 9"
ANNEX2 = "8471 50 000 0"
ANNEX3 = "8807 30 000 0"  # under the Annex 3 heading 8807


def screen(code, origin="", *, evidence="", remarks="", destination="", final="", options=None, lang="en"):
    options = options or ScreenOptions(lang=lang)
    return Screener(options=options).screen_line(
        InvoiceLine(row=5, code_raw=code, origin_raw=origin, evidence_raw=evidence, remarks=remarks,
                    destination_raw=destination, final_destination_raw=final)
    )


def types(line):
    return [f.type for f in line.findings]


def finding(line, slug):
    (found,) = [f for f in line.findings if f.type == slug]
    return found.message


# --- order p.3.2: the CT-1 together with the documents on which the goods were imported


@pytest.mark.parametrize("evidence", ["ct-1", "СТ-1"])
def test_a_ct_1_alone_does_not_exempt_and_says_what_is_missing(evidence):
    line = screen(ANNEX2, "Россия", evidence=evidence)
    assert line.status is Status.PERMIT_REQUIRED
    assert "import documents" in finding(line, "evidence-incomplete")
    assert "exempt" not in types(line)


@pytest.mark.parametrize("evidence", ["ct-1, import-docs", "СТ-1; ГТД", "ct-1-import", "ct-1+import"])
def test_a_ct_1_with_the_import_documents_exempts(evidence):
    assert screen(ANNEX2, "Беларусь", evidence=evidence).status is Status.EXEMPT


def test_the_import_documents_may_be_given_for_the_file_and_the_ct_1_on_the_line():
    line = screen(ANNEX2, "KG", evidence="ct-1", options=ScreenOptions(evidence="import-docs"))
    assert line.status is Status.EXEMPT


def test_a_ct_1_in_the_remarks_exempts_only_with_a_goods_declaration_beside_it():
    alone = screen(ANNEX2, "Кыргызстан", remarks="сертификат CT-1 № 0123456")
    assert alone.status is Status.PERMIT_REQUIRED and "evidence-incomplete" in types(alone)
    both = screen(ANNEX2, "Кыргызстан", remarks="СТ-1 № 0123456, ДТ № 50101010/011225/0012345")
    assert both.status is Status.EXEMPT


def test_import_documents_alone_say_nothing_about_an_exemption():
    line = screen(ANNEX2, "CN", evidence="import-docs")
    assert line.status is Status.PERMIT_REQUIRED
    assert not {"evidence-mismatch", "evidence-incomplete", "evidence-unknown"} & set(types(line))


# --- order p.3.1: the original CT-KZ; a copy, an expired or invalid certificate is no evidence


@pytest.mark.parametrize("remark, reason", [
    ("СТ-KZ № 0123456 (копия)", "copy"),
    ("копия СТ-KZ №0123456 от 12.01.2026", "copy"),
    ("CT-KZ No 0123456 copy", "copy"),
    ("СТ-KZ № 0123456 көшірмесі", "copy"),
    ("СТ-KZ № 0123456 недействителен", "invalid"),
    ("СТ-KZ № 0123456, срок истек", "expired"),
    ("СТ-KZ № 0123456 expired", "expired"),
    ("СТ-1 № 0123456 недействителен, ДТ № 50101010/011225/0012345", "invalid"),
    ("СТ-1 № 0123456 срок истёк, ДТ № 50101010/011225/0012345", "expired"),
])
def test_a_dead_certificate_in_the_remarks_is_no_evidence(remark, reason):
    origin = "KZ" if "KZ" in remark else "RU"
    line = screen(ANNEX2, origin, remarks=remark)
    assert line.status is Status.PERMIT_REQUIRED
    assert "evidence-rejected" in types(line) and "evidence-from-remarks" not in types(line)
    assert read_remarks(remark).rejected and read_remarks(remark).rejected[0][1] == reason


def test_a_copy_in_the_evidence_column_is_no_evidence_either():
    line = screen(ANNEX2, "KZ", evidence="СТ-KZ (копия)")
    assert line.status is Status.PERMIT_REQUIRED
    assert "original" in finding(line, "evidence-rejected")
    assert "evidence-unknown" not in types(line)


def test_the_register_extract_is_no_copy():
    line = screen(ANNEX2, "KZ", remarks="СТ-KZ № 0123456; тізілімнен үзінді-көшірме")
    assert line.status is Status.EXEMPT


def test_a_copy_of_a_ct_1_is_still_a_ct_1_the_order_asks_no_original_of_it():
    line = screen(ANNEX2, "RU", remarks="СТ-1 № 0123456 (копия), ДТ № 50101010/011225/0012345")
    assert line.status is Status.EXEMPT


def test_the_original_rule_is_data():
    rules = load_catalog().rules
    assert {e.slug: e.original_required for e in rules.exemptions}["ct-kz"] is True
    assert {e.slug: e.requires for e in rules.exemptions}["ct-1"] == ("ct-1", "import-docs")


# --- rules p.11.7: the operator's certificate for Annex 3 goods


def test_annex3_with_no_statement_keeps_todays_finding():
    line = screen(ANNEX3, "CN")
    assert line.status is Status.PERMIT_REQUIRED and "operator-certificate-required" in types(line)


@pytest.mark.parametrize("said", ["operator-cert", "Сертификат эксплуатанта", "AOC"])
def test_annex3_with_the_operator_certificate_held_needs_a_permit_without_refusal(said):
    line = screen(ANNEX3, "CN", evidence=said)
    assert line.status is Status.PERMIT_REQUIRED
    assert "operator-certificate-held" in types(line) and "operator-certificate-required" not in types(line)


def test_annex3_with_the_operator_certificate_held_for_the_file():
    line = screen(ANNEX3, "CN", options=ScreenOptions(evidence="operator-cert"))
    assert line.status is Status.PERMIT_REQUIRED and "operator-certificate-held" in types(line)


def test_annex3_line_lacking_it_when_evidence_is_given_for_the_file_is_a_refusal_risk():
    line = screen(ANNEX3, "CN", options=ScreenOptions(evidence="ct-kz"))
    assert line.status is Status.REFUSAL_RISK
    assert "11.7" in finding(line, "operator-certificate-missing")
    per_line = screen(ANNEX3, "RU", evidence="ct-1")
    assert per_line.status is Status.REFUSAL_RISK


def test_the_operator_certificate_does_not_touch_annex_1_and_2_lines():
    assert screen(ANNEX1, "CN", evidence="operator-cert").status is Status.PERMIT_REQUIRED
    assert "evidence-unknown" not in types(screen(ANNEX1, "CN", evidence="operator-cert"))


def test_the_new_evidence_kinds_are_read_as_people_write_them():
    assert parse_evidence("operator's certificate, ГТД") == (frozenset({"operator-cert", "import-docs"}), ())
    assert ScreenOptions(evidence="operator-cert,ct-1").evidence == {"operator-cert", "ct-1"}


# --- rules p.11.6: territories of the USA and parts of the EU


@pytest.mark.parametrize("origin, state", [("PR", "USA"), ("Puerto Rico", "USA"), ("Guam", "USA"), ("VI", "USA"),
                                           ("AS", "USA"), ("MP", "USA"), ("UM", "USA"), ("GP", "European Union"),
                                           ("Martinique", "European Union"), ("RE", "European Union"),
                                           ("GF", "European Union"), ("YT", "European Union"), ("AX", "European Union"),
                                           ("MF", "European Union")])
def test_origins_in_us_and_eu_territories_are_read_as_the_usa_and_the_eu(origin, state):
    for code in (ANNEX1, ANNEX2):
        line = screen(code, origin)
        assert line.status is Status.REFUSAL_RISK
        assert state in finding(line, "origin-sanctioned")


def test_territories_outside_the_union_and_the_usa_are_not_read_into_ground_6():
    for origin in ("GL", "PF", "NC", "GI", "BM"):
        assert screen(ANNEX1, origin).status is Status.PERMIT_REQUIRED, origin


def test_the_territories_are_data():
    assert load_catalog().rules.territories["PR"] == "US"
    assert load_catalog().rules.territories["GP"] == "EU"


# --- Kazakhstan as the destination: the exporting state, not a non-participant


@pytest.mark.parametrize("lang, word", [("en", "exporting state"), ("ru", "государство вывоза"),
                                        ("kk", "әкетуші мемлекет")])
def test_destination_kz_is_said_to_be_the_exporting_state(lang, word):
    line = screen(ANNEX2, "CN", destination="Казахстан", lang=lang)
    assert line.status is Status.OUT_OF_SCOPE
    assert types(line) == ["destination-exporting-state"]
    assert word in finding(line, "destination-exporting-state")
    assert "not a CIS" not in finding(line, "destination-exporting-state")


def test_a_state_that_left_the_cis_is_still_not_a_participant():
    assert types(screen(ANNEX2, "CN", destination="Georgia")) == ["destination-not-cis"]


# --- transit: a CIS state on the way to a third country


def test_a_final_destination_outside_the_cis_beyond_a_cis_destination_is_unsettled():
    line = screen(ANNEX2, "CN", options=ScreenOptions(destination="KG", final_destination="Германия"))
    assert line.status is Status.PERMIT_REQUIRED
    assert "does not say" in finding(line, "transit-unsettled")


def test_a_final_destination_column_works_per_line():
    line = screen(ANNEX2, "CN", destination="RU", final="Turkey")
    assert "transit-unsettled" in types(line)
    assert "transit-unsettled" not in types(screen(ANNEX2, "CN", destination="RU", final="KG"))
    assert "transit-unsettled" not in types(screen(ANNEX2, "CN", destination="RU", final="RU"))
    assert "final-destination-unknown" in types(screen(ANNEX2, "CN", destination="RU", final="Атлантида"))


def test_a_final_destination_option_is_checked():
    with pytest.raises(UsageError, match="final destination"):
        ScreenOptions(final_destination="Атлантида")


# --- Kazakh-made goods: previously imported by definition (rules p.2.1), yet exempt only with CT-KZ (p.3.1)


def test_kazakh_origin_lines_say_the_rules_define_goods_as_previously_imported():
    line = screen(ANNEX1, "Казахстан")
    assert line.status is Status.PERMIT_REQUIRED
    text = finding(line, "origin-kz-not-imported")
    assert "2.1" in text and "3.1" in text and "document 3" in text
    assert "origin-kz-not-imported" not in types(screen(ANNEX1, "CN"))
    assert "origin-kz-not-imported" not in types(screen(ANNEX1, "KZ", evidence="ct-kz"))


def test_a_numbered_certificate_in_the_evidence_column_is_read_and_an_unreadable_word_states_nothing():
    held = screen(ANNEX3, "CN", evidence="Сертификат эксплуатанта № 123")
    assert held.status is Status.PERMIT_REQUIRED and "operator-certificate-held" in types(held)
    unread = screen(ANNEX3, "CN", evidence="бумага")
    assert unread.status is Status.PERMIT_REQUIRED and "operator-certificate-required" in types(unread)
    assert screen(ANNEX2, "KZ", evidence="СТ-KZ № 0123456").status is Status.EXEMPT
    assert screen(ANNEX2, "RU", evidence="СТ-1 (копия), ГТД").status is Status.EXEMPT  # p.3.2 asks no original


def test_an_expired_operator_certificate_is_a_refusal_risk_and_says_so():
    line = screen(ANNEX3, "CN", evidence="Сертификат эксплуатанта (просрочен)")
    assert line.status is Status.REFUSAL_RISK
    assert "rules p.11.7" in finding(line, "evidence-rejected")
    assert "operator-certificate-missing" in types(line)
