"""The rules applied to invoice lines: statuses and findings."""

from decimal import Decimal

import pytest

from permitcli.errors import UsageError
from permitcli.model import Invoice, InvoiceLine, Status
from permitcli.screen import ScreenOptions, Screener, evidence_option, parse_evidence, screen_invoice


def screen(code, origin="", *, destination=None, evidence=frozenset(), line_dest="", line_evidence="", row=7):
    screener = Screener(options=ScreenOptions(destination=destination, evidence=frozenset(evidence)))
    return screener.screen_line(
        InvoiceLine(row=row, code_raw=code, description="x", origin_raw=origin, destination_raw=line_dest,
                    evidence_raw=line_evidence, quantity=Decimal("2"), unit="шт", value=Decimal("10.50"))
    )


def types(line):
    return {f.type for f in line.findings}


def test_annex1_from_china_needs_a_permit_from_the_industry_committee():
    line = screen("8481 80 819 9", "Китай")
    assert line.status is Status.PERMIT_REQUIRED
    assert (line.annex, line.entry, line.committee, line.origin) == (1, 44, "industry", "CN")
    assert line.documents == (1, 2, 3, 4, 5, 7)
    assert "destination-assumed" in types(line)
    assert (line.row, line.quantity, line.value) == (7, Decimal("2"), Decimal("10.50"))


@pytest.mark.parametrize("origin", ["Germany", "ФРГ", "США", "UK", "PL", "Великобритания"])
def test_annex1_and_2_goods_from_uk_us_eu_are_at_risk_of_refusal(origin):
    for code in ("8481 80 819 9", "8471 50 000 0"):
        line = screen(code, origin)
        assert line.status is Status.REFUSAL_RISK
        assert "origin-sanctioned" in types(line)


def test_annex3_goods_from_the_usa_need_a_permit_and_an_operator_certificate():
    line = screen("8481 80 819 1", "USA")
    assert line.status is Status.PERMIT_REQUIRED
    assert line.committee == "aviation" and line.documents == (1, 2, 3, 4, 6, 7)
    assert "operator-certificate-required" in types(line)
    assert "origin-sanctioned" not in types(line)


def test_annex3_without_origin_is_still_a_permit():
    assert screen("8807 30 000 0").status is Status.PERMIT_REQUIRED


def test_annex1_without_origin_needs_review():
    line = screen("8481 80 819 9", "")
    assert line.status is Status.REVIEW and "origin-unknown" in types(line)


def test_unrecognised_origin_is_a_finding_not_a_guess():
    line = screen("8471 50 000 0", "Нарния")
    assert line.status is Status.REVIEW
    assert {"origin-unrecognised", "origin-unknown"} <= types(line)
    assert line.origin is None


def test_kazakh_goods_exempt_only_with_ct_kz():
    assert "exemption-possible" in types(screen("8471 50 000 0", "Казахстан"))
    assert screen("8471 50 000 0", "KZ").status is Status.PERMIT_REQUIRED
    assert screen("8471 50 000 0", "KZ", evidence={"ct-kz"}).status is Status.EXEMPT
    assert screen("8471 50 000 0", "KZ", line_evidence="СТ-KZ").status is Status.EXEMPT


def test_a_register_extract_counts_as_ct_kz_and_the_hint_names_both():
    for said in ("Выписка из реестра", "register extract", "тізілімнен үзінді-көшірме"):
        assert screen("8471 50 000 0", "KZ", line_evidence=said).status is Status.EXEMPT, said
    (hint,) = [f for f in screen("8471 50 000 0", "KZ").findings if f.type == "exemption-possible"]
    assert "CT-KZ" in hint.message and "register of Kazakh producers" in hint.message
    (cis,) = [f for f in screen("8471 50 000 0", "KG").findings if f.type == "exemption-possible"]
    assert "CT-1" in cis.message and "import" in cis.message


def test_cis_goods_exempt_with_ct_1_and_the_import_documents_but_not_other_origins():
    assert screen("8471 50 000 0", "Россия", evidence={"ct-1", "import-docs"}).status is Status.EXEMPT
    line = screen("8471 50 000 0", "China", evidence={"ct-1", "import-docs"})
    assert line.status is Status.PERMIT_REQUIRED and "evidence-mismatch" in types(line)
    assert screen("8471 50 000 0", "KZ", evidence={"ct-1"}).status is Status.PERMIT_REQUIRED


@pytest.mark.parametrize("evidence", ["licence", "personal"])
def test_licence_and_personal_baggage_exempt_any_origin(evidence):
    assert screen("8471 50 000 0", "US", evidence={evidence}).status is Status.EXEMPT


def test_destination_outside_the_cis_is_out_of_scope():
    assert screen("8471 50 000 0", "CN", destination="DE").status is Status.OUT_OF_SCOPE
    assert screen("8471 50 000 0", "CN", line_dest="Грузия").status is Status.OUT_OF_SCOPE
    line = screen("8471 50 000 0", "CN", line_dest="Россия")
    assert line.status is Status.PERMIT_REQUIRED and line.destination == "RU"
    assert "destination-assumed" not in types(line)


def test_unknown_destination_needs_review():
    line = screen("8471 50 000 0", "CN", line_dest="Атлантида")
    assert line.status is Status.REVIEW and "destination-unknown" in types(line)


@pytest.mark.parametrize("code, finding", [(None, "code-missing"), ("", "code-missing"), ("847150000", "code-invalid"),
                                           ("hello", "code-invalid")])
def test_lines_without_a_usable_code_need_review(code, finding):
    line = screen(code, "CN")
    assert line.status is Status.REVIEW and finding in types(line) and line.code is None


def test_a_heading_some_entries_fall_under_needs_review():
    line = screen("8481 80", "CN")
    assert line.status is Status.REVIEW and "code-prefix" in types(line)


def test_not_listed_with_a_near_miss():
    line = screen("8504 40 300 1", "CN")
    assert line.status is Status.NOT_LISTED and "near-miss" in types(line)
    assert line.annex is None and line.documents == ()


def test_lost_leading_zero_is_restored_and_said():
    line = screen(847150000, "CN")  # a number cell holding 0847 15 000 0
    assert line.code == "0847150000" and "code-padded" in types(line)


def test_evidence_words():
    assert parse_evidence("СТ-KZ, license; личное пользование") == (frozenset({"ct-kz", "licence", "personal"}), ())
    assert parse_evidence("ct1 / paper")[1] == ("paper",)
    assert evidence_option("ct-kz,ct-1") == {"ct-kz", "ct-1"}
    with pytest.raises(UsageError):
        evidence_option("ct-kz,bogus")


def test_summary_counts_statuses_and_applications():
    lines = tuple(
        InvoiceLine(row=i, code_raw=code, origin_raw=origin, unit=unit)
        for i, (code, origin, unit) in enumerate([
            ("8481808199", "CN", "шт"), ("8481808199", "CN", "шт"), ("8481808199", "TR", "шт"),
            ("8471500000", "CN", "шт"), ("8471500000", "DE", "шт"), ("0101210000", "CN", "шт"), (None, "", ""),
        ], start=3)
    )
    result = screen_invoice(Invoice(path="x.xlsx", sheet="S", header_row=2, lines=lines))
    s = result.summary
    assert s.lines == 7
    assert s.by_status["permit-required"] == 4 and s.by_status["refusal-risk"] == 1
    assert s.by_status["not-listed"] == 1 and s.by_status["review"] == 1
    assert s.permits_by_committee == {"industry": 2, "telecom": 1}
    assert [l.row for l in result.lines] == list(range(3, 10))
    assert any(n.type == "destination-assumed" for n in result.notes)


def test_summary_counts_the_applications_draft_will_write():
    from permitcli.forms import group_applications

    lines = tuple(
        InvoiceLine(row=i, code_raw="8481808199", origin_raw="CN", unit=unit, quantity=Decimal(1), value=Decimal(1))
        for i, unit in enumerate(["шт", " ШТ ", "шт", "кг", "компл  ед", "компл ед"], start=2)
    )
    result = screen_invoice(Invoice(path="x.csv", sheet=None, header_row=1, lines=lines))
    plan = group_applications(result.lines)
    assert result.summary.permits_by_committee == {"industry": 3} == {"industry": len(plan.groups)}


def test_remembered_combinations_are_bounded_and_change_nothing(monkeypatch):
    import permitcli.screen as screen_module

    # odd rows: a listed code, with remarks naming ever other certificates; even rows: codes no annex lists
    lines = [InvoiceLine(row=i, code_raw="8471500000" if i % 2 else f"84715000{i % 100:02d}",
                         origin_raw=["Китай", "США", "Казахстан"][i % 3], remarks=f"СТ-KZ № {i % 40:04d}")
             for i in range(300)]
    unbounded = Screener()
    expected = [unbounded.screen_line(line) for line in lines]
    monkeypatch.setattr(screen_module, "CACHE_LIMIT", 7)
    bounded = Screener()
    assert [bounded.screen_line(line) for line in lines] == expected
    assert all(len(memory) <= 7 for memory in (bounded._verdicts, bounded._codes, bounded._origins, bounded._places))
    listed = {(line.origin_raw, line.remarks) for line in lines if line.code_raw == "8471500000"}
    assert len(unbounded._verdicts) == len(listed) < len(lines)  # only listed codes are remembered with the rest
    assert len(unbounded._codes) == len({line.code_raw for line in lines}) == 50
    assert len(unbounded._origins) == 3 and len(unbounded._places) == 1


def test_a_line_screened_alone_is_the_line_screened_among_others():
    lines = [InvoiceLine(row=i, code_raw=code, origin_raw=origin, destination_raw=dest, final_destination_raw=final,
                         evidence_raw=evidence, origin_from_document=doc)
             for i, (code, origin, dest, final, evidence, doc) in enumerate([
                 ("8471500000", "KZ", "", "", "СТ-KZ", False), ("8471500000", "KZ", "", "", "", True),
                 ("1234567890", "Нарния", "", "", "", False), ("1234567890", "CN", "Нарния", "", "", False),
                 ("8481808199", "CN", "DE", "", "", False), ("8481808199", "CN", "RU", "DE", "", False),
                 (8471500000, "US", "", "", "", False), (None, "", "KZ", "", "", False),
                 ("8807300000", "US", "BY", "", "operator-cert", False), ("8471", "CN", "", "", "", False),
             ] * 2, start=2)]
    together = Screener()
    assert [together.screen_line(line) for line in lines] == [Screener().screen_line(line) for line in lines]


def test_a_certificate_named_in_the_remarks_is_exemption_evidence():
    def with_remarks(origin, remarks, evidence=""):
        return Screener().screen_line(InvoiceLine(row=3, code_raw="8471500000", origin_raw=origin, remarks=remarks,
                                                  evidence_raw=evidence))

    line = with_remarks("Казахстан", "СТ-KZ № 0123456 от 12.01.2026")
    assert line.status is Status.EXEMPT
    assert "evidence-from-remarks" in types(line)
    assert with_remarks("Кыргызстан", "сертификат CT-1 №77, ДТ № 50101010/011225/0012345").status is Status.EXEMPT
    assert with_remarks("Казахстан", "сертификат эксплуатанта").status is Status.PERMIT_REQUIRED
    assert with_remarks("Китай", "СТ-KZ № 11").status is Status.PERMIT_REQUIRED  # it does not fit the origin
    assert "evidence-mismatch" in types(with_remarks("Китай", "СТ-KZ № 11"))
    assert "evidence-from-remarks" not in types(with_remarks("Казахстан", "СТ-KZ № 11", evidence="licence"))
    for denied in ("СТ-KZ не требуется", "без СТ-KZ", "СТ-KZ будет предоставлен позже", "нет СТ-1 № 55",
                   "СТ-1 на оформлении", "СТ-KZ № 7 (аннулирован)", "сертификат СТ-KZ", "СТ-KZ см. строку 1"):
        assert with_remarks("Казахстан", denied).status is Status.PERMIT_REQUIRED, denied


def test_options_are_read_as_people_write_them_and_checked_when_made():
    assert ScreenOptions(destination="ru").destination == "RU"
    assert ScreenOptions(destination="Россия").destination == "RU"
    assert ScreenOptions(destination=" ").destination is None
    assert ScreenOptions(evidence="СТ-KZ, licence").evidence == frozenset({"ct-kz", "licence"})
    assert ScreenOptions(evidence=["ct-1"]).evidence == frozenset({"ct-1"})
    for bad in ({"destination": "XX"}, {"evidence": frozenset({"bogus"})}, {"lang": "de"}):
        with pytest.raises(UsageError):
            ScreenOptions(**bad)
    line = InvoiceLine(row=1, code_raw="8471500000", origin_raw="CN")
    assert Screener(options=ScreenOptions(destination="ru")).screen_line(line).status is Status.PERMIT_REQUIRED


def test_a_screener_keeps_its_options_and_takes_lines_built_by_hand():
    screener = Screener(options=ScreenOptions(destination="RU"))
    with pytest.raises(AttributeError):
        screener.options = ScreenOptions(destination="DE")  # type: ignore[misc]  # its verdicts depend on them
    line = InvoiceLine(row=1, code_raw="8471500000", origin_raw=None, destination_raw=None, evidence_raw=None)  # type: ignore[arg-type]
    assert screener.screen_line(line).status is Status.REVIEW  # no origin: Annex 2 goods need one
    assert screener.screen_line(InvoiceLine(row=2, code_raw="8471500000", origin_raw=156)).origin == "CN"  # type: ignore[arg-type]
