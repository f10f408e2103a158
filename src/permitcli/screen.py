"""Apply the order's rules to invoice lines: one status and its findings per line (pure)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from permitcli.catalog import Catalog, Match, MatchKind, load_catalog
from permitcli.codes import CodeKind, ParsedCode, format_code, parse_code
from permitcli.errors import UsageError
from permitcli.model import Finding, Invoice, InvoiceLine, ScreenedLine, Status

EVIDENCE = ("ct-kz", "ct-1", "licence", "personal")
ACTION = (Status.PERMIT_REQUIRED, Status.REFUSAL_RISK, Status.REVIEW)

# What people write for each kind of exemption evidence, after folding (lower case, Latin look-alikes, no separators).
_EVIDENCE_WORDS = {
    "ctkz": "ct-kz", "stkz": "ct-kz", "sertkz": "ct-kz",
    "ct1": "ct-1", "st1": "ct-1",
    "licence": "licence", "license": "licence", "лицензия": "licence", "лицензия": "licence", "лицензиясы": "licence",
    "personal": "personal", "personaluse": "personal", "личное": "personal", "личноепользование": "personal",
    "жекепайдалану": "personal",
}
_LOOKALIKES = str.maketrans({"с": "c", "т": "t", "к": "k", "з": "z", "С": "c", "Т": "t", "К": "k", "З": "z"})
_SPLIT = re.compile(r"[,;/|+]")
_DROP = re.compile(r"[\s\-_.«»\"']")


def parse_evidence(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Split an evidence cell or option into known slugs and the parts that were not understood."""
    known: set[str] = set()
    unknown: list[str] = []
    for part in _SPLIT.split(text or ""):
        if not part.strip():
            continue
        folded = _DROP.sub("", part.strip().lower())
        slug = _EVIDENCE_WORDS.get(folded) or _EVIDENCE_WORDS.get(folded.translate(_LOOKALIKES))
        if slug:
            known.add(slug)
        else:
            unknown.append(part.strip())
    return frozenset(known), tuple(unknown)


def evidence_option(text: str | None) -> frozenset[str]:
    """The --evidence option: known slugs, or a UsageError naming what is not one."""
    known, unknown = parse_evidence(text or "")
    if unknown:
        raise UsageError(f"--evidence: unknown kind {unknown[0]!r}; use any of {', '.join(EVIDENCE)}")
    return known


@dataclass(frozen=True, slots=True)
class ScreenOptions:
    """What the broker tells about the whole file."""

    destination: str | None = None  # ISO alpha-2; None: take the line's own, else assume a CIS state
    evidence: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for one screened file."""

    lines: int
    by_status: dict[str, int]
    permits_by_committee: dict[str, int]  # applications needed: distinct (code, origin, unit) per committee
    refusal_risks: int

    def as_dict(self) -> dict[str, object]:
        return {
            "lines": self.lines,
            "by_status": self.by_status,
            "permits_by_committee": self.permits_by_committee,
            "refusal_risks": self.refusal_risks,
        }


@dataclass(frozen=True, slots=True)
class ScreenedFile:
    """One invoice with every line screened."""

    invoice: Invoice
    lines: tuple[ScreenedLine, ...]
    summary: Summary
    notes: tuple[Finding, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _Verdict:
    code: str | None
    origin: str | None
    destination: str | None
    status: Status
    annex: int | None
    entry: int | None
    committee: str | None
    documents: tuple[int, ...]
    findings: tuple[Finding, ...]


class Screener:
    """Screens lines against one catalogue; remembers each distinct combination of raw inputs it has judged."""

    def __init__(self, catalog: Catalog | None = None, options: ScreenOptions | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.options = options or ScreenOptions()
        self.rules = self.catalog.rules
        self._verdicts: dict[tuple, _Verdict] = {}
        self._codes: dict[tuple, tuple[ParsedCode, Match]] = {}
        from permitcli.countries import resolve_country  # imported here: pycountry is loaded only when screening

        self._resolve_country = resolve_country

    def screen_line(self, line: InvoiceLine) -> ScreenedLine:
        raw = line.code_raw
        # The type is part of the key: 8471500000 (a number cell) and "8471500000" (text) are judged apart.
        key = (type(raw), raw, line.origin_raw, line.destination_raw, line.evidence_raw, line.origin_from_document)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._judge(line)
        return ScreenedLine(  # positional: this runs once per invoice line
            line.row,
            verdict.code,
            "" if raw is None else str(raw),
            line.description,
            verdict.origin,
            line.quantity,
            line.unit,
            line.value,
            line.currency,
            verdict.destination,
            verdict.status,
            verdict.annex,
            verdict.entry,
            verdict.committee,
            verdict.documents,
            verdict.findings + line.notes if line.notes else verdict.findings,
        )

    def _parse(self, raw: object) -> tuple[ParsedCode, Match]:
        key = (type(raw), raw)
        found = self._codes.get(key)
        if found is None:
            parsed = parse_code(raw)
            found = self._codes[key] = (parsed, self.catalog.match(parsed))
        return found

    def _judge(self, line: InvoiceLine) -> _Verdict:
        rules = self.rules
        findings: list[Finding] = []
        parsed, match = self._parse(line.code_raw)
        code = parsed.digits if parsed.kind is CodeKind.CODE else None
        if parsed.padded and parsed.kind is CodeKind.CODE:
            findings.append(Finding("code-padded", f"a leading zero was restored: {format_code(code or '')}"))

        origin: str | None = None
        if line.origin_raw.strip():
            origin = self._resolve_country(line.origin_raw)
            if origin is None:
                findings.append(Finding("origin-unrecognised", f"country of origin {line.origin_raw.strip()!r} not recognised"))
            elif line.origin_from_document:
                findings.append(Finding("origin-from-document", f"origin {origin} taken from the document's own line"))

        destination = self.options.destination
        if line.destination_raw.strip():
            destination = self._resolve_country(line.destination_raw)
            if destination is None:
                findings.append(
                    Finding("destination-unknown", f"destination {line.destination_raw.strip()!r} not recognised")
                )
                return _Verdict(code, origin, None, Status.REVIEW, None, None, None, (), tuple(findings))
        if destination is not None and destination not in rules.cis:
            findings.append(Finding("destination-not-cis", f"destination {destination} is not a CIS participating state"))
            return _Verdict(code, origin, destination, Status.OUT_OF_SCOPE, None, None, None, (), tuple(findings))

        status, entry = self._code_status(parsed, match, findings)
        if entry is None:
            return _Verdict(code, origin, destination, status, None, None, None, (), tuple(findings))

        committee = rules.committee_for(entry.annex)
        documents = rules.documents_by_annex[entry.annex]
        if status is Status.REVIEW:  # a heading that covers listed codes and others: annex shown for orientation
            return _Verdict(code, origin, destination, status, entry.annex, entry.entry, committee.slug, documents,
                            tuple(findings))
        if destination is None:
            findings.append(Finding("destination-assumed", "no destination given: screened as an export to a CIS state"))
        status = self._listed_status(line, entry.annex, origin, findings)
        return _Verdict(code, origin, destination, status, entry.annex, entry.entry, committee.slug, documents,
                        tuple(findings))

    def _code_status(self, parsed, match: Match, findings: list[Finding]):
        if parsed.kind is CodeKind.EMPTY:
            findings.append(Finding("code-missing", "no TN VED code on this line"))
            return Status.REVIEW, None
        if parsed.kind is CodeKind.INVALID:
            findings.append(Finding("code-invalid", f"{parsed.raw.strip()!r} is not a TN VED code: {parsed.reason}"))
            return Status.REVIEW, None
        if match.kind is MatchKind.NOT_LISTED:
            if parsed.kind is CodeKind.PREFIX:
                findings.append(Finding("code-prefix", f"{format_code(parsed.digits or '')} is a heading, not a "
                                                       "10-digit code; nothing under it is listed"))
            for near in match.near_misses:
                findings.append(Finding("near-miss", f"not listed, but Annex {near.annex} entry {near.entry} lists "
                                                     f"{near.code_printed}: check the code"))
            return Status.NOT_LISTED, None
        entry = match.entries[0]
        if len({e.annex for e in match.entries}) > 1 and match.kind is MatchKind.LISTED:
            findings.append(Finding("multiple-annexes", "listed in Annexes "
                                    + ", ".join(str(a) for a in sorted({e.annex for e in match.entries}))))
        if match.kind is MatchKind.MAY_BE_LISTED:
            shown = ", ".join(f"{e.code_printed} (Annex {e.annex})" for e in match.entries[:3])
            more = f" and {len(match.entries) - 3} more" if len(match.entries) > 3 else ""
            findings.append(Finding("code-prefix", f"{format_code(parsed.digits or '')} is not a 10-digit code; "
                                                   f"listed codes under it: {shown}{more}"))
            return Status.REVIEW, entry
        if parsed.kind is CodeKind.PREFIX:
            findings.append(Finding("code-prefix", f"{format_code(parsed.digits or '')} is a heading; every code "
                                                   f"under it is listed via {entry.code_printed}"))
        return Status.PERMIT_REQUIRED, entry

    def _listed_status(self, line: InvoiceLine, annex: int, origin: str | None, findings: list[Finding]) -> Status:
        rules = self.rules
        evidence, unknown = parse_evidence(line.evidence_raw)
        for part in unknown:
            findings.append(Finding("evidence-unknown", f"exemption evidence {part!r} not understood"))
        evidence = evidence | self.options.evidence
        in_cis_origin = origin is not None and origin != "KZ" and origin in rules.cis
        for exemption in rules.exemptions:
            if exemption.slug not in evidence:
                continue
            fits = (
                exemption.origin == ""
                or (exemption.origin == "KZ" and origin == "KZ")
                or (exemption.origin == "CIS" and in_cis_origin)
            )
            if fits:
                findings.append(Finding("exempt", f"order p.3.{exemption.number}: {exemption.text['en']}"))
                return Status.EXEMPT
            findings.append(Finding("evidence-mismatch", f"{exemption.slug.upper()} evidence given, but the origin is "
                                                         f"{origin or 'unknown'}: order p.3.{exemption.number} does not apply"))
        if origin == "KZ" or in_cis_origin:
            kind = "CT-KZ (order p.3.1)" if origin == "KZ" else "CT-1 (order p.3.2)"
            findings.append(Finding("exemption-possible", f"origin {origin}: a {kind} certificate would exempt this line"))
        if annex == 3:
            findings.append(Finding("operator-certificate-required", "Annex 3: the operator's certificate (document 6) "
                                                                     "is needed; without it the permit is refused (rules p.11.7)"))
            return Status.PERMIT_REQUIRED
        if origin is None:
            findings.append(Finding("origin-unknown", "no country of origin: Annex 1/2 goods need a certificate of "
                                                      "origin (rules p.11.6)"))
            return Status.REVIEW
        if origin in rules.sanctioned_origins:
            findings.append(Finding("origin-sanctioned", f"origin {origin}: Annex {annex} goods from the UK, the USA "
                                                         "or the EU are refused (rules p.11.6)"))
            return Status.REFUSAL_RISK
        return Status.PERMIT_REQUIRED


def summarise(lines: tuple[ScreenedLine, ...]) -> Summary:
    """Lines per status, applications per committee, refusal risks."""
    by_status = Counter(line.status for line in lines)
    groups: dict[str, set] = {}
    for line in lines:
        if line.status is Status.PERMIT_REQUIRED and line.committee:
            groups.setdefault(line.committee, set()).add((line.code, line.origin, line.unit.strip().lower()))
    return Summary(
        lines=len(lines),
        by_status={s.value: by_status.get(s, 0) for s in Status},
        permits_by_committee={k: len(v) for k, v in sorted(groups.items())},
        refusal_risks=by_status.get(Status.REFUSAL_RISK, 0),
    )


def screen_invoice(invoice: Invoice, options: ScreenOptions | None = None, catalog: Catalog | None = None) -> ScreenedFile:
    """Screen every line of one invoice."""
    screener = Screener(catalog, options)
    lines = tuple(map(screener.screen_line, invoice.lines))
    notes = invoice.notes
    if screener.options.destination is None and any(
        f.type == "destination-assumed" for line in lines for f in line.findings
    ):
        notes = notes + (Finding("destination-assumed", "no destination given: lines screened as exports to a CIS state"),)
    return ScreenedFile(invoice=invoice, lines=lines, summary=summarise(lines), notes=notes)
