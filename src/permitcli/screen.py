"""Apply the order's rules to invoice lines: one status and its findings per line (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from permitcli.catalog import Catalog, Entry, Match, MatchKind, load_catalog
from permitcli.codes import CodeKind, ParsedCode, format_code, parse_code
from permitcli.errors import InputError, UsageError
from permitcli.i18n import evidence_name, message, point_text
from permitcli.model import Finding, Invoice, InvoiceLine, ScreenedLine, Status
from permitcli.units import unit_key

EVIDENCE = ("ct-kz", "ct-1", "import-docs", "licence", "personal", "operator-cert")
ACTION = (Status.PERMIT_REQUIRED, Status.REFUSAL_RISK, Status.REVIEW)

# What people write for each kind of evidence, after folding (lower case, Latin look-alikes, no separators).
# One word may say two kinds at once ("ct-1-import": the CT-1 and the import documents, order p.3.2).
_EVIDENCE_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ctkz", "stkz", "sertkz"), ("ct-kz",)),
    # p.3.1 also accepts an extract from the register of Kazakh producers in place of the CT-KZ
    **dict.fromkeys(("register", "registerextract", "реестр", "выпискаизреестра", "тізілім", "тізілімнен",
                     "тізілімненүзіндікөшірме"), ("ct-kz",)),
    **dict.fromkeys(("ct1", "st1"), ("ct-1",)),
    # p.3.2: the documents on which the goods were imported (the goods declaration, the import application)
    **dict.fromkeys(("importdocs", "importdocuments", "import", "importdeclaration", "гтд", "дт",
                     "документыоввозе", "документыввоза", "ввоз", "декларациянатовары", "әкелуқұжаттары",
                     "әкелугенегізболғанқұжаттар"), ("import-docs",)),
    **dict.fromkeys(("ct1import", "ct1importdocs", "ct1withimportdocs", "ct1гтд", "ct1дт"), ("ct-1", "import-docs")),
    **dict.fromkeys(("licence", "license", "лицензия", "лицензиясы"), ("licence",)),
    **dict.fromkeys(("personal", "personaluse", "личное", "личноепользование", "жекепайдалану"), ("personal",)),
    # rules p.11.7: the operator's certificate, without which Annex 3 goods are refused
    **dict.fromkeys(("operatorcert", "operatorcertificate", "operatorscertificate", "aoc", "эксплуатант",
                     "сертификатэксплуатанта", "эксплуатантсертификаты"), ("operator-cert",)),
}
_LOOKALIKES = str.maketrans({"с": "c", "т": "t", "к": "k", "з": "z", "С": "c", "Т": "t", "К": "k", "З": "z"})
_SPLIT = re.compile(r"[,;/|+]")
_DROP = re.compile(r"[\s\-_.«»\"'()\[\]]")


def _evidence_word(part: str) -> tuple[str, ...]:
    """The kinds one written part names ("СТ-KZ", "Сертификат эксплуатанта № 12"): a number after "№" is read past."""
    folded = _DROP.sub("", _NUMBERED.sub("", part.strip().lower()))
    return _EVIDENCE_WORDS.get(folded) or _EVIDENCE_WORDS.get(folded.translate(_LOOKALIKES)) or ()


_NUMBERED = re.compile(r"\s*(?:№|#|no\.?\s*(?=\d)).*$")


def parse_evidence(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Split an evidence cell or option into known slugs and the parts that were not understood."""
    known: set[str] = set()
    unknown: list[str] = []
    for part in _SPLIT.split(text or ""):
        if not part.strip():
            continue
        slugs = _evidence_word(part)
        if slugs:
            known.update(slugs)
        else:
            unknown.append(part.strip())
    return frozenset(known), tuple(unknown)


_CERTIFICATE = re.compile(r"(?<![a-z0-9])(?:ct|st)[\s\-_.]*(kz|1)(?![a-z0-9])[^0-9]{0,12}\d{2}")
# A goods declaration named with its number: the import documents of p.3.2 ("ДТ № 50101010/…", "ГТД №…").
_IMPORT_DECLARATION = re.compile(r"(?<!\w)(?:гтд|дт|декларац\w*\s+на\s+товары)(?!\w)[\s№n:.]{0,4}\d{3}")
# Words that say a certificate is not there (yet): "без СТ-KZ", "СТ-1 на оформлении", "аннулирован", "not issued".
_NOT_THERE = re.compile(
    r"(?<!\w)(?:не|нет|без|отсутств\w*|аннулир\w*|отказ\w*|позже|будет|оформлени\w*|ожида\w*|"
    r"not|no|without|pending|cancel\w*|жоқ|емес|жойыл\w*)(?!\w)"
)
# Words that say the certificate held is no evidence: a copy (p.3.1 wants the original CT-KZ), expired, invalid.
# "үзінді-көшірме" is the register extract p.3.1 accepts, not a copy.
_DEAD = (
    ("copy", re.compile(r"(?<!\w)(?:копи[яиюей]\w*|ксерокопи\w*|фотокопи\w*|copy|copies|photocopy|"
                        r"(?<!үзінді-)(?<!үзінді )көшірме\w*)(?!\w)")),
    ("expired", re.compile(r"(?<!\w)(?:ист[её]к\w*|истекш\w*|просроч\w*|expired?|out of date|"
                           r"мерзімі\s+(?:өткен|өтіп\s+кеткен|аяқталған))(?!\w)")),
    ("invalid", re.compile(r"(?<!\w)(?:недействит\w*|аннулир\w*|invalid|void|revoked|cancell?ed|отозван\w*|жарамсыз\w*)(?!\w)")),
)


_DEAD_WORDS = re.compile("|".join(pattern.pattern for _, pattern in _DEAD), re.IGNORECASE)


def dead_reason(text: str) -> str | None:
    """"copy", "expired" or "invalid" when the text says so of a certificate, else None."""
    folded = text.lower()
    return next((reason for reason, pattern in _DEAD if pattern.search(folded)), None)


@dataclass(frozen=True, slots=True)
class RemarksReading:
    """What a remark says about evidence: the kinds it names as held, and those it names but disqualifies."""

    named: frozenset[str] = frozenset()
    rejected: tuple[tuple[str, str], ...] = ()  # (slug, "copy" | "expired" | "invalid")


def read_remarks(text: str, originals: frozenset[str] = frozenset({"ct-kz"})) -> RemarksReading:
    """The certificates of origin (and goods declarations) a free-text remark names with their number.

    A remark that says the certificate is not there ("без СТ-KZ", "СТ-1 на оформлении", "аннулирован") names
    nothing. One that says it is expired or invalid, or a copy of a certificate whose original is wanted
    (`originals`: CT-KZ, order p.3.1), names it as rejected: it is no evidence.
    """
    folded = text.lower()
    certificates = {"ct-kz" if m == "kz" else "ct-1" for m in _CERTIFICATE.findall(folded.translate(_LOOKALIKES))}
    if certificates and _IMPORT_DECLARATION.search(folded):
        certificates.add("import-docs")
    if not certificates:
        return RemarksReading()
    reason = dead_reason(folded)
    if reason is not None:
        rejected = sorted(s for s in certificates if s != "import-docs" and (reason != "copy" or s in originals))
        if rejected:
            return RemarksReading(frozenset(), tuple((s, reason) for s in rejected))  # the remark counts for none
    if _NOT_THERE.search(folded):
        return RemarksReading()
    return RemarksReading(frozenset(certificates))


def remarks_evidence(text: str) -> frozenset[str]:
    """The evidence a free-text remark names with a number ("СТ-KZ № 0123456", "CT-1 №77", "ДТ № 50101/…").

    Only certificates (and, beside a CT-1, the goods declaration) are read from remarks, and only when the
    remark gives the number and says nothing against it: other words there say too little to exempt a line.
    """
    return read_remarks(text).named


def _as_text(value: object) -> str:
    """A line's raw text field as text, whatever a caller put there (None is "", a number its digits)."""
    return value if type(value) is str else ("" if value is None else str(value))  # type: ignore[return-value]


def evidence_option(text: str | None, name: str = "--evidence") -> frozenset[str]:
    """Evidence given for a whole file (the --evidence option): known slugs, or a UsageError naming what is not."""
    known, unknown = parse_evidence(text or "")
    if unknown:
        raise UsageError(f"{name}: unknown kind {unknown[0]!r}; use any of {', '.join(EVIDENCE)}")
    return known


def destination_option(text: str | None, name: str = "--destination", blank_is_none: bool = False) -> str | None:
    """A destination given for a whole file, as people write it, as ISO alpha-2, or a UsageError. None is None;
    a blank text is None too with `blank_is_none`, else an error like any other unknown country."""
    from permitcli.countries import resolve_country

    if text is None:
        return None
    written = str(text).strip()
    if not written and blank_is_none:
        return None
    code = resolve_country(written)
    if code is None:
        raise UsageError(f"{name}: country {written!r} not recognised (use an ISO code such as RU)")
    return code


@dataclass(frozen=True, slots=True)
class ScreenOptions:
    """What the broker tells about the whole file; checked when made (a UsageError says what is wrong).

    `destination` may be written as people write it ("RU", "ru", "Россия"); it is kept as ISO alpha-2, and ""
    is None. `evidence` may be slugs or what people write ("СТ-KZ, licence"), as a string or any iterable.
    """

    destination: str | None = None  # ISO alpha-2; None: take the line's own, else assume a CIS state
    evidence: frozenset[str] = frozenset()
    lang: str = "en"  # language of finding messages (en, ru, kk); slugs never change
    final_destination: str | None = None  # ISO alpha-2: where the goods end up when they pass the destination

    def __post_init__(self) -> None:
        from permitcli.i18n import LANGS

        if self.lang not in LANGS:
            raise UsageError(f"language {self.lang!r} is not one of {', '.join(LANGS)}")
        raw = self.evidence
        written = raw if isinstance(raw, str) else ",".join(str(x) for x in raw)
        object.__setattr__(self, "destination", destination_option(self.destination, "destination", blank_is_none=True))
        object.__setattr__(self, "evidence", evidence_option(written, "evidence"))
        object.__setattr__(self, "final_destination",
                           destination_option(self.final_destination, "final destination", blank_is_none=True))


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


@dataclass(frozen=True, slots=True)
class _CodeVerdict:
    code: str | None
    padded: tuple[Finding, ...]  # said first
    status: Status  # PERMIT_REQUIRED stands for "listed": origin, evidence and destination decide the rest
    entry: Entry | None
    findings: tuple[Finding, ...]
    raw_text: str  # the cell as the line's code_raw: "" for none


CACHE_LIMIT = 100_000  # distinct texts (or combinations) each memory holds before it is started afresh


@dataclass(frozen=True, slots=True)
class _Place:
    """What a line's destination (and final destination) texts say, whatever its code."""

    destination: str | None
    stop: Status | None  # REVIEW (destination unknown) or OUT_OF_SCOPE: the line's status, its code aside
    findings: tuple[Finding, ...]


def _text_key(raw: object) -> object:
    """A memory key for a raw text field: the text itself, or (type, value) for anything else (1 and 1.0 are equal
    keys but different texts)."""
    return raw if type(raw) is str else (type(raw), raw)


class Screener:
    """Screens lines against one catalogue. Each part of a line is judged once per distinct text: the code, the
    origin, the destination; a listed code is judged with its origin, destination, evidence and remarks once per
    distinct combination. Each memory is bounded (CACHE_LIMIT)."""

    def __init__(self, catalog: Catalog | None = None, options: ScreenOptions | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self._options = options or ScreenOptions()
        self.rules = self.catalog.rules
        self._verdicts: dict[tuple, _Verdict] = {}  # listed codes only: evidence and remarks count there
        self._codes: dict[tuple, _CodeVerdict] = {}
        self._origins: dict[tuple, tuple[str | None, tuple[Finding, ...]]] = {}
        self._places: dict[tuple, _Place] = {}
        from permitcli.countries import resolve_country  # imported here: pycountry is loaded only when screening

        self._resolve_country = resolve_country

    @property
    def options(self) -> ScreenOptions:
        """The options every line is screened with (fixed for the screener: its verdicts depend on them)."""
        return self._options

    def screen_line(self, line: InvoiceLine) -> ScreenedLine:
        raw = line.code_raw
        # The type is part of the key: 8471500000 (a number cell) and "8471500000" (text) are judged apart.
        code_key = (type(raw), raw)
        judged = self._codes.get(code_key)
        if judged is None:
            judged = self._code(code_key, raw)
        # Texts are keys as they are; anything else with its type (1 and 1.0 are equal keys, but not equal texts).
        origin_raw, destination_raw, final_raw = line.origin_raw, line.destination_raw, line.final_destination_raw
        origin_key = (origin_raw if origin_raw.__class__ is str else (type(origin_raw), origin_raw),
                      line.origin_from_document)
        origin_found = self._origins.get(origin_key)
        if origin_found is None:
            origin_found = self._origin(origin_key, origin_raw, line.origin_from_document)
        place_key = (destination_raw if destination_raw.__class__ is str else (type(destination_raw), destination_raw),
                     final_raw if final_raw.__class__ is str else (type(final_raw), final_raw))
        place = self._places.get(place_key)
        if place is None:
            place = self._place(place_key, destination_raw, final_raw)
        code_raw = judged.raw_text
        if judged.entry is None or place.stop is not None:
            # What no annex lists (or a destination that settles the line): neither evidence nor remarks count,
            # so the parts are put together here, not remembered as a combination.
            origin, origin_findings = origin_found
            findings = judged.padded + origin_findings + place.findings if origin_findings or place.findings \
                else judged.padded
            if place.stop is not None:
                status = place.stop
            else:
                status = judged.status
                findings = findings + judged.findings if findings else judged.findings
            return ScreenedLine(
                line.row, judged.code, code_raw, line.description, origin, line._quantity, line.unit, line._value,
                line.currency, place.destination, status, None, None, None, (),
                findings + line.notes if line.notes else findings,
            )
        key = (code_key, origin_key, place_key, _text_key(line.evidence_raw), _text_key(line.remarks))
        verdict = self._verdicts.get(key)
        if verdict is None:
            if len(self._verdicts) >= CACHE_LIMIT:  # a file of ever new combinations: memory stays bounded
                self._verdicts.clear()
            verdict = self._verdicts[key] = self._judge_listed(line, judged, origin_found, place)
        return ScreenedLine(  # positional: this runs once per invoice line
            line.row,
            verdict.code,
            code_raw,
            line.description,
            verdict.origin,
            line._quantity,  # the numbers as read: made exact only when asked for
            line.unit or None,  # absent is None (null in JSON), as origin and destination are
            line._value,
            line.currency or None,
            verdict.destination,
            verdict.status,
            verdict.annex,
            verdict.entry,
            verdict.committee,
            verdict.documents,
            verdict.findings + line.notes if line.notes else verdict.findings,
        )

    def _code(self, key: tuple, raw: object) -> _CodeVerdict:
        """What the code alone says, judged once per distinct cell value."""
        parsed = parse_code(raw)
        code = parsed.digits if parsed.kind is CodeKind.CODE else None
        padded: tuple[Finding, ...] = ()
        if parsed.padded and code:
            padded = (Finding("code-padded", message("code-padded", self.options.lang, code=format_code(code))),)
        findings: list[Finding] = []
        status, entry = self._code_status(parsed, self.catalog.match(parsed), findings)
        if len(self._codes) >= CACHE_LIMIT:
            self._codes.clear()
        found = self._codes[key] = _CodeVerdict(code, padded, status, entry, tuple(findings),
                                                "" if raw is None else str(raw))
        return found

    def _origin(self, key: tuple, origin_raw: object, from_document: bool) -> tuple[str | None, tuple[Finding, ...]]:
        """The origin a text names and what is said of it, judged once per distinct text."""
        lang = self.options.lang
        origin: str | None = None
        findings: tuple[Finding, ...] = ()
        text = _as_text(origin_raw)
        if text.strip():
            origin = self._resolve_country(text)
            if origin is None:
                findings = (Finding("origin-unrecognised", message("origin-unrecognised", lang, raw=text.strip())),)
            elif from_document:
                findings = (Finding("origin-from-document", message("origin-from-document", lang, origin=origin)),)
        if len(self._origins) >= CACHE_LIMIT:
            self._origins.clear()
        found = self._origins[key] = (origin, findings)
        return found

    def _place(self, key: tuple, destination_raw: object, final_raw: object) -> _Place:
        """The destination a line's texts (or the options) give, judged once per distinct pair of texts."""
        rules = self.rules
        lang = self.options.lang
        findings: list[Finding] = []
        destination = self.options.destination
        text = _as_text(destination_raw)
        stop: Status | None = None
        if text.strip():
            destination = self._resolve_country(text)
            if destination is None:
                findings.append(Finding("destination-unknown", message("destination-unknown", lang, raw=text.strip())))
                stop = Status.REVIEW
        if stop is None:
            self._transit(final_raw, destination, findings)
            if destination is not None and destination not in rules.cis:
                if destination == rules.exporting_state:  # a participant, but the state the goods leave
                    findings.append(Finding("destination-exporting-state",
                                            message("destination-exporting-state", lang, dest=destination)))
                else:
                    findings.append(Finding("destination-not-cis",
                                            message("destination-not-cis", lang, dest=destination)))
                stop = Status.OUT_OF_SCOPE
        if len(self._places) >= CACHE_LIMIT:
            self._places.clear()
        found = self._places[key] = _Place(destination, stop, tuple(findings))
        return found

    def _judge_listed(self, line: InvoiceLine, judged: _CodeVerdict,
                      origin_found: tuple[str | None, tuple[Finding, ...]], place: _Place) -> _Verdict:
        """A code some annex lists (or may list), going to a CIS state: origin, evidence and remarks decide."""
        rules = self.rules
        lang = self.options.lang
        code = judged.code
        origin, origin_findings = origin_found
        destination = place.destination
        findings: list[Finding] = [*judged.padded, *origin_findings, *place.findings, *judged.findings]
        status, entry = judged.status, judged.entry
        assert entry is not None  # screen_line sends only listed codes here
        committee = rules.committee_for(entry.annex)
        documents = rules.documents_by_annex[entry.annex]
        if status is Status.REVIEW:  # a heading that covers listed codes and others: annex shown for orientation
            return _Verdict(code, origin, destination, status, entry.annex, entry.entry, committee.slug, documents,
                            tuple(findings))
        if destination is None:
            findings.append(Finding("destination-assumed", message("destination-assumed", lang)))
        status = self._listed_status(line, entry.annex, origin, findings)
        return _Verdict(code, origin, destination, status, entry.annex, entry.entry, committee.slug, documents,
                        tuple(findings))

    def _transit(self, final_raw: object, destination: str | None, findings: list[Finding]) -> None:
        """A final destination on the other side of the CIS border from the destination: the order does not say
        whether goods that pass a CIS state to or from a third country need a permit (it speaks of export "to the
        territory of the CIS participating states", order p.2), so the line says so; its status stays the one
        its destination gives."""
        lang = self.options.lang
        final = self.options.final_destination
        final_text = _as_text(final_raw).strip()
        if final_text:
            final = self._resolve_country(final_text)
            if final is None:
                findings.append(Finding("final-destination-unknown",
                                        message("final-destination-unknown", lang, raw=final_text)))
                return
        rules = self.rules
        if final is None or final == destination or final == rules.exporting_state:
            return
        to_cis = destination is None or destination in rules.cis  # None: screened as going to a CIS state
        if to_cis != (final in rules.cis):
            shown = destination or message("a-cis-state", lang)
            findings.append(Finding("transit-unsettled", message("transit-unsettled", lang, dest=shown, final=final)))

    def _code_status(self, parsed: ParsedCode, match: Match, findings: list[Finding]) -> tuple[Status, Entry | None]:
        lang = self.options.lang
        if parsed.kind is CodeKind.EMPTY:
            findings.append(Finding("code-missing", message("code-missing", lang)))
            return Status.REVIEW, None
        if parsed.kind is CodeKind.INVALID:
            reason = message(parsed.reason or "", lang)
            findings.append(Finding("code-invalid", message("code-invalid", lang, raw=parsed.raw.strip(), reason=reason)))
            return Status.REVIEW, None
        if match.kind is MatchKind.NOT_LISTED:
            if not match.near_misses and parsed.kind is CodeKind.CODE:
                return Status.NOT_LISTED, None  # most codes: nothing to say
            printed = format_code(parsed.digits or "")
            if parsed.kind is CodeKind.PREFIX:
                findings.append(Finding("code-prefix", message("code-prefix-none", lang, code=printed)))
            for near in match.near_misses:
                findings.append(Finding("near-miss", message("near-miss", lang, annex=near.annex, entry=near.entry,
                                                             code=near.code_printed)))
            return Status.NOT_LISTED, None
        printed = format_code(parsed.digits or "")
        entry = match.entries[0]
        if match.kind is MatchKind.MAY_BE_LISTED:
            shown = ", ".join(f"{e.code_printed} ({e.annex})" for e in match.entries[:3])
            if len(match.entries) > 3:
                shown += f" … +{len(match.entries) - 3}"
            findings.append(Finding("code-prefix", message("code-prefix-some", lang, code=printed, shown=shown)))
            return Status.REVIEW, entry
        annexes = sorted({e.annex for e in match.entries})
        if len(annexes) > 1:
            findings.append(Finding("multiple-annexes", message("multiple-annexes", lang,
                                                                annexes=", ".join(map(str, annexes)))))
        if parsed.kind is CodeKind.PREFIX:
            findings.append(Finding("code-prefix", message("code-prefix-covered", lang, code=printed,
                                                           entry=entry.code_printed)))
        return Status.PERMIT_REQUIRED, entry

    def _listed_status(self, line: InvoiceLine, annex: int, origin: str | None, findings: list[Finding]) -> Status:
        rules = self.rules
        lang = self.options.lang
        evidence_raw = _as_text(line.evidence_raw)
        evidence, unknown = parse_evidence(evidence_raw)
        originals = frozenset(e.slug for e in rules.exemptions if e.original_required)
        said = bool(evidence)  # the evidence cell names a kind of evidence (held, or held but dead)
        for part in unknown:  # "СТ-KZ (копия)": a kind with words that may disqualify it
            reason = dead_reason(part)
            slugs = _evidence_word(_DEAD_WORDS.sub(" ", part)) if reason else ()
            dead = [s for s in slugs if reason != "copy" or s in originals]
            findings.extend(self._rejected(s, reason, part) for s in dead)  # type: ignore[arg-type]
            evidence = evidence | frozenset(s for s in slugs if s not in dead)  # a CT-1's copy is still a CT-1
            said = said or bool(slugs)
            if not slugs:
                findings.append(Finding("evidence-unknown", message("evidence-unknown", lang, part=part)))
        # Evidence was stated for this line (its evidence cell) or the file (--evidence): kinds read from it, not
        # words that could not be read, nor remarks (free text that cannot say "operator's certificate").
        stated = said or bool(self.options.evidence)
        if not evidence_raw.strip() and line.remarks:
            reading = read_remarks(line.remarks, originals)
            findings.extend(self._rejected(slug, reason, line.remarks) for slug, reason in reading.rejected)
            if reading.named:
                evidence = evidence | reading.named
                findings.append(Finding("evidence-from-remarks", message(
                    "evidence-from-remarks", lang, text=" ".join(line.remarks.split())[:80],
                    evidence=", ".join(evidence_name(s, lang) for s in sorted(reading.named)))))
        evidence = evidence | self.options.evidence
        exporting = rules.exporting_state
        in_cis_origin = origin is not None and origin != exporting and origin in rules.cis
        for exemption in rules.exemptions:
            if exemption.slug not in evidence:
                continue
            fits = (
                exemption.origin == ""
                or (exemption.origin == "KZ" and origin == exporting)
                or (exemption.origin == "CIS" and in_cis_origin)
            )
            if not fits:
                findings.append(Finding("evidence-mismatch", message("evidence-mismatch", lang,
                                                                     evidence=evidence_name(exemption.slug, lang),
                                                                     origin=origin or "?",
                                                                     number=exemption.number)))
                continue
            missing = [s for s in exemption.requires if s not in evidence]
            if missing:  # p.3.2: the CT-1 exempts only together with the documents of the import
                findings.append(Finding("evidence-incomplete", message(
                    "evidence-incomplete", lang, evidence=evidence_name(exemption.slug, lang),
                    missing=", ".join(evidence_name(s, lang) for s in missing), number=exemption.number)))
                continue
            findings.append(Finding("exempt", message("exempt", lang, number=exemption.number,
                                                      text=exemption.text[lang])))
            return Status.EXEMPT
        if origin == exporting:
            findings.append(Finding("exemption-possible", message("exemption-possible-kz", lang)))
            findings.append(Finding("origin-kz-not-imported", message("origin-kz-not-imported", lang)))
        elif in_cis_origin:
            findings.append(Finding("exemption-possible", message("exemption-possible-cis", lang, origin=origin)))
        if annex == 3:
            if "operator-cert" in evidence:
                findings.append(Finding("operator-certificate-held", message("operator-certificate-held", lang)))
                return Status.PERMIT_REQUIRED
            if stated:  # evidence was given, and the operator's certificate is not among it: ground 7
                findings.append(Finding("operator-certificate-missing", message("operator-certificate-missing", lang)))
                return Status.REFUSAL_RISK
            findings.append(Finding("operator-certificate-required", message("operator-certificate-required", lang)))
            return Status.PERMIT_REQUIRED
        if origin is None:
            findings.append(Finding("origin-unknown", message("origin-unknown", lang)))
            return Status.REVIEW
        named = rules.sanctioned_as(origin)
        if named is not None:
            if named == origin:
                text = message("origin-sanctioned", lang, origin=origin, annex=annex)
            else:  # a territory of the USA or a part of the EU with a code of its own
                text = message("origin-sanctioned-territory", lang, origin=origin, annex=annex,
                               state=message(f"state-{named}", lang))
            findings.append(Finding("origin-sanctioned", text))
            return Status.REFUSAL_RISK
        return Status.PERMIT_REQUIRED

    def _rejected(self, slug: str, reason: str, text: str) -> Finding:
        exemption = next((e for e in self.rules.exemptions if slug in e.requires), None)
        point = exemption.point if exemption is not None else "rules p.11.7"  # the operator's certificate
        lang = self.options.lang
        return Finding("evidence-rejected", message(
            "evidence-rejected", lang, evidence=evidence_name(slug, lang), text=" ".join(text.split())[:80],
            reason=message(f"evidence-{reason}", lang), point=point_text(point, lang)))


def application_key(line: ScreenedLine) -> tuple[str, str, str, str]:
    """The law's unit of one application (Form 2): committee, 10-digit code, origin, unit (one unit however it is
    spelt: "шт", "шт.", "pcs")."""
    return (line.committee or "", line.code or "", line.origin or "", unit_key(line.unit or ""))


class Tally:
    """Counts screened lines as they stream past, so a file never has to be held whole to be summarised."""

    def __init__(self) -> None:
        self.lines = 0
        self.by_status: dict[Status, int] = dict.fromkeys(Status, 0)  # a plain dict: counting in a Counter costs 5x
        self.groups: dict[str, set[tuple[str, str, str, str]]] = {}
        self.destination_assumed = False

    def add(self, line: ScreenedLine) -> None:
        self.lines += 1
        status = line.status
        self.by_status[status] += 1
        if status is _PERMIT_REQUIRED and line.committee:
            self.groups.setdefault(line.committee, set()).add(application_key(line))
        if not self.destination_assumed and line.destination is None and status not in _UNJUDGED:
            self.destination_assumed = any(f.type == "destination-assumed" for f in line.findings)

    def summary(self) -> Summary:
        return Summary(
            lines=self.lines,
            by_status={s.value: self.by_status.get(s, 0) for s in Status},
            permits_by_committee={k: len(v) for k, v in sorted(self.groups.items())},
            refusal_risks=self.by_status.get(Status.REFUSAL_RISK, 0),
        )


_UNJUDGED = frozenset({Status.NOT_LISTED, Status.OUT_OF_SCOPE})
_PERMIT_REQUIRED = Status.PERMIT_REQUIRED  # a module name: looking a member up on its enum class costs 20x


def summarise(lines: Iterable[ScreenedLine]) -> Summary:
    """Lines per status, applications per committee, refusal risks."""
    tally = Tally()
    for line in lines:
        tally.add(line)
    return tally.summary()


def screen_lines(lines: Iterable[InvoiceLine], screener: Screener, tally: Tally,
                 failures: list[str] | None = None) -> Iterator[ScreenedLine]:
    """Screen lines one by one as they are read, counting them in `tally`. With `failures`, an InputError the
    reading raises part-way ends the lines and its message is put there: what was read stands."""
    screen, add = screener.screen_line, tally.add
    try:
        for line in lines:
            result = screen(line)
            add(result)
            yield result
    except InputError as exc:
        if failures is None:
            raise
        failures.append(exc.message)


def file_notes(notes: tuple[Finding, ...], screener: Screener, tally: Tally) -> tuple[Finding, ...]:
    """The reader's file notes, plus the screening's own (once every line has been screened)."""
    if screener.options.destination is None and tally.destination_assumed:
        return notes + (Finding("destination-assumed", message("destination-assumed-file", screener.options.lang)),)
    return notes


def screen_invoice(invoice: Invoice, options: ScreenOptions | None = None, catalog: Catalog | None = None) -> ScreenedFile:
    """Screen every line of one invoice."""
    screener = Screener(catalog, options)
    tally = Tally()
    lines = tuple(screen_lines(invoice.lines, screener, tally))
    return ScreenedFile(invoice=invoice, lines=lines, summary=tally.summary(),
                        notes=file_notes(invoice.notes, screener, tally))
