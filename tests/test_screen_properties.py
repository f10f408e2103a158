"""Invariants of screening that hold for any line (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from permitcli.catalog import load_catalog
from permitcli.model import InvoiceLine, Status
from permitcli.screen import ScreenOptions, Screener

CATALOG = load_catalog()
LISTED = [e.code.ljust(10, "0") for e in CATALOG.entries]
ORIGINS = ["", "Китай", "CN", "США", "Germany", "ФРГ", "Россия", "KZ", "Казахстан", "Беларусь", "Нарния", "EU",
           "Puerto Rico", "GP"]
DESTINATIONS = ["", "RU", "Россия", "DE", "Грузия", "Атлантида", "KZ"]
EVIDENCE = ["", "ct-kz", "СТ-1", "ct-1, import-docs", "licence", "personal", "ct-kz, licence", "operator-cert", "бумага"]

codes = st.one_of(
    st.sampled_from(LISTED),
    st.sampled_from(LISTED).map(lambda c: c[:9] + str((int(c[9]) + 1) % 10)),  # near misses
    st.integers(min_value=0, max_value=9_999_999_999),
    st.text(alphabet="0123456789 .-", max_size=14),
    st.none(),
)
lines = st.builds(
    InvoiceLine,
    row=st.integers(min_value=1, max_value=10**6),
    code_raw=codes,
    origin_raw=st.sampled_from(ORIGINS),
    destination_raw=st.sampled_from(DESTINATIONS),
    evidence_raw=st.sampled_from(EVIDENCE),
)
SCREENER = Screener(CATALOG, ScreenOptions())


@settings(max_examples=400)
@given(lines)
def test_every_line_gets_one_consistent_verdict(line):
    out = SCREENER.screen_line(line)
    assert out.row == line.row
    slugs = {f.type for f in out.findings}
    assert all(f.type and f.message for f in out.findings)
    if out.status in (Status.PERMIT_REQUIRED, Status.REFUSAL_RISK, Status.EXEMPT):
        if out.code:
            entry = CATALOG.entry_for(out.code)
        else:  # a heading a heading entry covers whole ("8807 00" under 8807): listed, without a 10-digit code
            assert "code-prefix" in slugs
            entry = next(e for e in CATALOG.entries if e.is_prefix and (e.annex, e.entry) == (out.annex, out.entry))
        assert entry is not None and (out.annex, out.entry) == (entry.annex, entry.entry)
        assert out.committee == CATALOG.rules.committee_for(out.annex).slug
        assert out.documents == CATALOG.rules.documents_by_annex[out.annex]
    if out.status is Status.REFUSAL_RISK and out.annex in (1, 2):
        assert CATALOG.rules.sanctioned_as(out.origin) is not None
        assert "origin-sanctioned" in slugs
    if out.status is Status.REFUSAL_RISK and out.annex == 3:  # evidence was stated, the operator's certificate not
        assert "operator-certificate-missing" in slugs and line.evidence_raw and "operator" not in line.evidence_raw
    if out.status is Status.PERMIT_REQUIRED and out.annex == 3:
        assert slugs & {"operator-certificate-required", "operator-certificate-held"}
    if out.status is Status.NOT_LISTED:
        assert out.annex is None and out.documents == ()
        assert out.code is not None or "code-prefix" in slugs  # a 10-digit code, or a heading nothing falls under
    if out.status is Status.OUT_OF_SCOPE:
        assert out.destination is not None and out.destination not in CATALOG.rules.cis
    if out.status is Status.EXEMPT:
        assert "exempt" in slugs
    assert [f.type for f in out.findings].count("destination-assumed") <= 1


@given(lines)
def test_the_same_line_gets_the_same_verdict_from_a_fresh_screener(line):
    assert Screener(CATALOG, ScreenOptions()).screen_line(line) == SCREENER.screen_line(line)


def test_a_heading_under_a_heading_entry_is_listed_without_a_code():
    out = SCREENER.screen_line(InvoiceLine(row=1, code_raw=880700))  # "8807 00": every code under 8807 is Annex 3
    assert (out.status, out.code, out.annex) == (Status.PERMIT_REQUIRED, None, 3)
    assert "code-prefix" in [f.type for f in out.findings]
