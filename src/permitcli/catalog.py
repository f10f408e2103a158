"""Load the annexes and rule tables from data/annexes and match codes against them."""

from __future__ import annotations

import csv
import enum
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from permitcli._paths import data_dir
from permitcli.codes import CodeKind, ParsedCode
from permitcli.datafiles import read_toml
from permitcli.errors import ConfigError

LANGS = ("en", "ru", "kk")
ANNEXES = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class Entry:
    """One numbered entry of an annex, as printed in the order."""

    annex: int
    entry: int
    code: str  # digits: 10 for a declarable code, 4 or 6 for a heading that covers every code under it
    code_printed: str
    description_kk: str
    footnotes: tuple[str, ...] = ()

    @property
    def is_prefix(self) -> bool:
        return len(self.code) < 10


@dataclass(frozen=True, slots=True)
class Committee:
    """The committee (service provider) that issues permits for one annex."""

    slug: str
    annex: int
    name: dict[str, str]
    ministry: dict[str, str]
    point: str = ""


@dataclass(frozen=True, slots=True)
class Ground:
    """A ground for refusal (rules p.11)."""

    number: int
    slug: str
    annexes: tuple[int, ...]
    visible_in_invoice: bool
    text: dict[str, str]
    point: str = ""


@dataclass(frozen=True, slots=True)
class Exemption:
    """An exemption from the permit regime (order p.3)."""

    number: int
    slug: str
    text: dict[str, str]
    evidence: dict[str, str]
    origin: str  # "KZ", "CIS" or "" (any origin)
    requires: tuple[str, ...] = ()  # every kind of evidence that must be held together (CT-1 and import documents)
    original_required: bool = False  # a copy of the certificate is no evidence (p.3.1: "түпнұсқасы")
    point: str = ""


@dataclass(frozen=True, slots=True)
class Provision:
    """A point of the order or its rules that the tool shows but does not check (p.7, p.12–15, ...)."""

    slug: str
    point: str
    title: dict[str, str]
    text: dict[str, str]
    items: tuple[tuple[str, dict[str, str]], ...] = ()  # lettered sub-items: ("а", {"en": ..., ...})


@dataclass(frozen=True, slots=True)
class State:
    """A state in the CIS table, with whether the order's "CIS participating state" covers it."""

    alpha2: str
    name: dict[str, str]
    status: str
    in_scope: bool
    note: str
    exporting: bool = False  # the state the goods leave: Kazakhstan


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything around the annexes: committees, documents, grounds, exemptions, limits, Form 2 labels."""

    committees: dict[str, Committee]
    documents: dict[int, dict[str, str]]
    documents_by_annex: dict[int, tuple[int, ...]]
    grounds: tuple[Ground, ...]
    exemptions: tuple[Exemption, ...]
    sanctioned_origins: frozenset[str]
    time_limits: dict[str, object]
    form2_fields: dict[int, dict[str, str]]
    form2_parts: dict[int, tuple[dict[str, str], ...]]  # the lines printed under a field (17: name, position, phone)
    form2_title: dict[str, str]
    form2_legend: dict[str, str]
    form2_note: dict[str, str]  # the note under the form: fill it in strictly per EEC Council decision No. 125
    states: tuple[State, ...]
    cis: frozenset[str]  # ISO alpha-2 of the CIS participating states an export can go to
    territories: dict[str, str] = field(default_factory=dict)  # a US or EU territory -> "US" or "EU" (ground 6)
    provisions: tuple[Provision, ...] = ()
    service: dict[str, object] = field(default_factory=dict)  # fee, portals, result, contact centre

    @property
    def exporting_state(self) -> str:
        """The state the goods leave (Kazakhstan), as cis.toml marks it."""
        return next((s.alpha2 for s in self.states if s.exporting), "KZ")

    def sanctioned_as(self, origin: str | None) -> str | None:
        """What ground 6 reads an origin as: the origin itself when named, the USA or the EU for their
        territories ("PR" -> "US", "GP" -> "EU"), None when ground 6 does not name it."""
        if origin is None:
            return None
        if origin in self.sanctioned_origins:
            return origin
        return self.territories.get(origin)

    def committee_for(self, annex: int) -> Committee:
        for committee in self.committees.values():
            if committee.annex == annex:
                return committee
        raise ConfigError(f"rules.toml: no committee for annex {annex}")

    def grounds_for(self, annex: int) -> tuple[Ground, ...]:
        return tuple(g for g in self.grounds if annex in g.annexes)


class MatchKind(enum.StrEnum):
    """How a code stands against the annexes."""

    LISTED = "listed"  # a 10-digit code that an entry names or covers
    MAY_BE_LISTED = "may-be-listed"  # a heading/subheading some entries fall under
    NOT_LISTED = "not-listed"
    NOT_A_CODE = "not-a-code"


@dataclass(frozen=True, slots=True)
class Match:
    """The result of matching one parsed code."""

    kind: MatchKind
    entries: tuple[Entry, ...] = ()  # the entries that list the code (LISTED) or could (MAY_BE_LISTED)
    near_misses: tuple[Entry, ...] = ()  # listed codes sharing 9 or 8 leading digits (NOT_LISTED only)
    via_prefix: bool = False  # LISTED because a heading entry (8529 10, 8807) covers the code

    @property
    def entry(self) -> Entry | None:
        return self.entries[0] if self.kind is MatchKind.LISTED and self.entries else None


_NOT_LISTED = Match(MatchKind.NOT_LISTED)  # what most codes get: made once


def _lang_dict(table: dict, prefix: str = "") -> dict[str, str]:
    return {lang: str(table.get(f"{prefix}{lang}", "")) for lang in LANGS}


def _parts(field: dict) -> tuple[dict[str, str], ...]:
    """A field's printed sub-lines, each in every language (`parts_kk`, `parts_ru`, `parts_en` side by side)."""
    columns = [list(field.get(f"parts_{lang}", [])) for lang in LANGS]
    if len({len(c) for c in columns}) != 1:
        raise ValueError(f"form2 field {field.get('number')}: parts_kk, parts_ru and parts_en differ in length")
    return tuple(dict(zip(LANGS, map(str, texts))) for texts in zip(*columns))


def _read_toml(path: Path) -> dict:
    try:
        return read_toml(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: data file missing (a broken installation?)") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _read_entries(path: Path) -> list[Entry]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise ConfigError(f"{path}: data file missing (a broken installation?)") from None
    entries = []
    for n, row in enumerate(rows, start=2):
        try:
            entries.append(
                Entry(
                    annex=int(row["annex"]),
                    entry=int(row["entry"]),
                    code=row["code"].strip(),
                    code_printed=row["code_printed"].strip(),
                    description_kk=row["description_kk"].strip(),
                    footnotes=tuple(row["footnotes"].split()),
                )
            )
        except (KeyError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{path}:{n}: broken row ({exc})") from None
    return entries


def _load_rules(folder: Path) -> Rules:
    raw = _read_toml(folder / "rules.toml")
    cis = _read_toml(folder / "cis.toml")
    try:
        committees = {
            slug: Committee(
                slug=slug,
                annex=int(c["annex"]),
                name=_lang_dict(c, "name_"),
                ministry=_lang_dict(c, "ministry_"),
                point=str(c.get("point", "")),
            )
            for slug, c in raw["committees"].items()
        }
        documents = {int(d["number"]): {k: str(v) for k, v in d.items() if k != "number"} for d in raw["documents"]}
        by_annex = {int(k): tuple(int(x) for x in v) for k, v in raw["documents_by_annex"].items()}
        grounds = tuple(
            Ground(
                number=int(g["number"]),
                slug=str(g["slug"]),
                annexes=tuple(int(a) for a in g["annexes"]),
                visible_in_invoice=bool(g.get("visible_in_invoice", False)),
                text=_lang_dict(g),
                point=str(g.get("point", "")),
            )
            for g in raw["refusal_grounds"]
        )
        exemptions = tuple(
            Exemption(
                number=int(e["number"]),
                slug=str(e["slug"]),
                text=_lang_dict(e),
                evidence=_evidence_dict(e.get("evidence", "")),
                origin=str(e.get("origin", "")),
                requires=tuple(str(x) for x in e.get("requires", [e["slug"]])),
                original_required=bool(e.get("original_required", False)),
                point=str(e.get("point", "")),
            )
            for e in raw["exemptions"]
        )
        provisions = tuple(
            Provision(
                slug=str(p["slug"]),
                point=str(p.get("point", "")),
                title=_lang_dict(p, "title_"),
                text=_lang_dict(p),
                items=tuple((str(i["letter"]), _lang_dict(i)) for i in p.get("items", [])),
            )
            for p in raw.get("provisions", [])
        )
        sanctioned = raw["sanctioned_origins"]
        form2 = raw["form2"]
        states = tuple(
            State(
                alpha2=str(s["alpha2"]).upper(),
                name=_lang_dict(s, "name_"),
                status=str(s["status"]),
                in_scope=bool(s["in_scope"]),
                note=str(s.get("note", "")),
                exporting=bool(s.get("exporting", False)),
            )
            for s in cis["states"]
        )
        return Rules(
            committees=committees,
            documents=documents,
            documents_by_annex=by_annex,
            grounds=grounds,
            exemptions=exemptions,
            sanctioned_origins=frozenset(
                x.upper()
                for x in [*sanctioned["countries"], *sanctioned["eu_members"], *sanctioned.get("union_codes", [])]
            ),
            time_limits=dict(raw.get("time_limits", {})),
            form2_fields={int(f["number"]): _lang_dict(f) for f in form2["fields"]},
            form2_parts={int(f["number"]): _parts(f) for f in form2["fields"] if f.get("parts_kk")},
            form2_title=_lang_dict(form2["title"]),
            form2_legend=_lang_dict(form2["legend"]),
            form2_note=_lang_dict(form2["note"]),
            states=states,
            cis=frozenset(s.alpha2 for s in states if s.in_scope),
            territories={str(k).upper(): str(v).upper() for k, v in sanctioned.get("territories", {}).items()},
            provisions=provisions,
            service=dict(raw.get("service", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{folder / 'rules.toml'}: missing or broken key {exc}") from None


def _evidence_dict(value: object) -> dict[str, str]:
    if isinstance(value, dict):
        return {k: str(v) for k, v in value.items()}
    return {"en": str(value)}


@dataclass(frozen=True)
class Catalog:
    """The three annexes with their indexes, the rule tables and the manifest."""

    entries: tuple[Entry, ...]
    rules: Rules
    manifest: dict
    _exact: dict[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)
    _prefixes: tuple[Entry, ...] = field(repr=False, default=())
    _by_head: dict[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)
    _prefix_heads: frozenset[str] = field(repr=False, init=False, compare=False)  # first 4 digits of _prefixes

    def __post_init__(self) -> None:
        object.__setattr__(self, "_prefix_heads", frozenset(p.code[:4] for p in self._prefixes))

    @classmethod
    def from_folder(cls, folder: Path) -> Catalog:
        entries: list[Entry] = []
        for annex in ANNEXES:
            entries.extend(_read_entries(folder / f"annex{annex}.csv"))
        exact: dict[str, list[Entry]] = defaultdict(list)
        by_head: dict[str, list[Entry]] = defaultdict(list)
        prefixes = []
        for e in entries:
            if e.is_prefix:
                prefixes.append(e)
            else:
                exact[e.code].append(e)
            for n in (4, 6, 8, 9):
                if len(e.code) >= n:
                    by_head[e.code[:n]].append(e)
        return cls(
            entries=tuple(entries),
            rules=_load_rules(folder),
            manifest=_read_toml(folder / "manifest.toml"),
            _exact={k: tuple(v) for k, v in exact.items()},
            _prefixes=tuple(prefixes),
            # broader entries first: "8529 10", which covers every code under it, before the 10-digit codes
            _by_head={k: tuple(sorted(v, key=lambda e: len(e.code))) for k, v in by_head.items()},
        )

    @property
    def data_version(self) -> str:
        return str(self.manifest.get("data_version", "unknown"))

    def annex(self, number: int) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.annex == number)

    def _covering(self, digits: str) -> tuple[Entry, ...]:
        """Heading entries (8529 10, 8807) whose code starts the given digits."""
        if digits[:4] not in self._prefix_heads:  # most codes: no heading entry shares their first four digits
            return ()
        return tuple(p for p in self._prefixes if digits[: len(p.code)] == p.code)

    def entry_for(self, code10: str) -> Entry | None:
        """The entry that lists a 10-digit code (exactly, or through a heading entry), or None."""
        found = self._exact.get(code10) or self._covering(code10)
        return found[0] if found else None

    def match(self, parsed: ParsedCode) -> Match:
        """Where a parsed code stands against the annexes."""
        digits = parsed.digits
        if parsed.kind is CodeKind.CODE and digits:
            exact = self._exact.get(digits, ())
            covering = self._covering(digits)
            if exact or covering:
                return Match(MatchKind.LISTED, exact + covering, via_prefix=not exact)
            near = self._by_head.get(digits[:9]) or self._by_head.get(digits[:8])
            if not near:
                return _NOT_LISTED
            return Match(MatchKind.NOT_LISTED, near_misses=tuple(e for e in near if not e.is_prefix))
        if parsed.kind is CodeKind.PREFIX and digits:
            covering = self._covering(digits)
            if covering:  # e.g. "880730": every code under it is listed through 8807
                return Match(MatchKind.LISTED, covering, via_prefix=True)
            under = self._by_head.get(digits, ())
            if under:
                return Match(MatchKind.MAY_BE_LISTED, under)
            return Match(MatchKind.NOT_LISTED)
        return Match(MatchKind.NOT_A_CODE)


@functools.lru_cache(maxsize=4)
def load_catalog(folder: str | None = None) -> Catalog:
    """The catalogue shipped with permitcli (or one in another folder), loaded once per process."""
    return Catalog.from_folder(Path(folder) if folder else data_dir() / "annexes")


def lookup_record(raw: str, catalog: Catalog | None = None) -> dict[str, object]:
    """Everything `permitcli lookup` says about one code, as a JSON-ready mapping (the stable lookup contract)."""
    from permitcli.codes import parse_code

    catalog = catalog or load_catalog()
    parsed = parse_code(raw)
    match = catalog.match(parsed)
    entry = match.entry
    rules = catalog.rules
    return {
        "input": raw,
        "code": parsed.digits,
        "kind": parsed.kind.value,
        "listed": match.kind is MatchKind.LISTED,
        "match": match.kind.value,
        "annex": entry.annex if entry else None,
        "entry": entry.entry if entry else None,
        "code_printed": entry.code_printed if entry else None,
        "description_kk": entry.description_kk if entry else None,
        "footnotes": list(entry.footnotes) if entry else [],
        "via_prefix": match.via_prefix,
        "committee": rules.committee_for(entry.annex).slug if entry else None,
        "documents": list(rules.documents_by_annex[entry.annex]) if entry else [],
        "refusal_grounds": [
            {"number": g.number, "slug": g.slug, "visible_in_invoice": g.visible_in_invoice}
            for g in (rules.grounds_for(entry.annex) if entry else ())
        ],
        "exemptions": [{"number": e.number, "slug": e.slug} for e in rules.exemptions] if entry else [],
        "candidates": [
            {"code": e.code, "annex": e.annex, "entry": e.entry}
            for e in (match.entries if match.kind is MatchKind.MAY_BE_LISTED else ())
        ],
        "near_misses": [{"code": e.code, "annex": e.annex, "entry": e.entry} for e in match.near_misses],
        "reason": parsed.reason if parsed.kind in (CodeKind.INVALID, CodeKind.EMPTY) else None,
    }
