"""The SDG reference data in the six UN languages, with the indicators.

Generates two files of ``data/reference/`` from copies of three public sources
kept in ``data/reference/upstream/sdg/`` (provenance, licences and SHA-256 in
its ``SOURCE.md`` and ``SHA256SUMS``):

* ``sdg-labels.ttl``: the titles of the 17 goals and 169 targets in Arabic,
  Chinese, Spanish, French and Russian (``skos:prefLabel``), the short goal
  names in those languages (``skos:altLabel``), each goal's Wikidata item as
  the UN SDG KOS gives it (``skos:exactMatch``) and the KOS citation on the
  concept scheme. The English titles and short names stay in the hand-curated
  ``sdg.ttl``; the generator checks that every source's English agrees with
  them.
* ``sdg-indicators.ttl``: the indicators of UNSD's 2023 global indicator
  framework, one ``wsis:SDGIndicator`` per permanent code (a repeated
  indicator is one concept under each of its targets), with its listing
  numbers (``skos:notation``), permanent code (``dcterms:identifier``), UN
  IRI (``skos:exactMatch``), titles in the six languages and the custodian
  agencies the KOS names.

Where the sources disagree, ``data/reference/sdg-decisions.yaml`` records the
choice; the generator stops on a disagreement that is not recorded there, and
on a recorded one that no longer occurs, so no choice is silent. Each
decision also becomes a ``skos:editorialNote`` on the node it concerns.

Run ``python -m wsiskg.ingest.sdgref`` in the project folder to regenerate, ``--check``
to verify that the committed files are what the sources give (exit 1 if not).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from wsiskg import iris
from wsiskg.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_VIOLATIONS, DataError, SourceError
from wsiskg.graph.builder import new_graph
from wsiskg.graph.serialize import to_turtle
from wsiskg.iris import WSIS
from wsiskg.paths import Layout, find_root
from wsiskg.rdf import PREFIXES, write_atomically

LANGUAGES = ("ar", "zh-Hans", "en", "es", "fr", "ru")
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
LABELS_FILE = "sdg-labels.ttl"
INDICATORS_FILE = "sdg-indicators.ttl"
DECISIONS_FILE = "sdg-decisions.yaml"
UPSTREAM = Path("upstream") / "sdg"
KOS_FILE = "sdg-kos-goals-targets-indicators.ttl"
FRAMEWORK_FILE = "SDG_Target_Indicator_UNSD_2023.csv"
SDGO = "http://metadata.un.org/sdg/ontology#"
WIKIDATA = "http://www.wikidata.org/entity/"
KOS_CITATION = (
    "Amit Joshi, Luis Gonzalez Morales, Szymon Klarman, and Aaron Helton. 2019. "
    "A Knowledge Organization System for the United Nations Sustainable "
    "Development Goals. New York, NY. http://metadata.un.org/sdg"
)
SOURCES = (
    URIRef("http://metadata.un.org/sdg"),
    URIRef("https://unstats.un.org/sdgs/indicators/indicators-list/"),
    URIRef("https://github.com/open-sdg/sdg-translations"),
)

_TARGET = re.compile(r"^(1[0-7]|[1-9])\.([1-9]|1[0-9]|[a-d])$")
_NUMBER = re.compile(r"^((1[0-7]|[1-9])\.([1-9]|1[0-9]|[a-d]))\.([1-9][0-9]?)$")


def normalise(text: str) -> str:
    """One spelling for texts the sources write differently: Unicode NFC (open-sdg
    writes accents decomposed), the hyphens U+2010 and U+2011 as ASCII hyphen-minus
    (as the hand-curated English does), no-break spaces as spaces, runs of white
    space as one space."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\xa0", " ")
    return " ".join(text.split())


# -- reading the sources ------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """One indicator row of the 2023 framework: an indicator listed under a target."""

    number: str  # 9.c.1
    target: str  # 9.c
    code: str  # C090c01
    text: str  # as printed, normalised
    line: int


@dataclass
class Upstream:
    folder: Path
    kos: Graph
    listings: list[Listing]
    targets_without_indicator: list[str]
    translations: dict[str, dict[str, dict[str, str]]]  # lang -> kind -> key -> text


def verify_checksums(folder: Path) -> None:
    """Every file SHA256SUMS names has the checksum recorded there."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        raise SourceError("no SHA256SUMS beside the upstream SDG files", path=sums)
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S+)", line)
        if match is None:
            raise SourceError("not a 'sha256  file' line", path=sums, line=number)
        path = folder / match.group(2)
        if not path.is_file():
            raise SourceError("upstream file missing", path=path)
        if hashlib.sha256(path.read_bytes()).hexdigest() != match.group(1):
            raise SourceError(
                "upstream file changed (SHA-256 differs from SHA256SUMS)",
                path=path,
                hint="restore it, or record the new version's "
                "provenance in SOURCE.md and its checksum in SHA256SUMS",
            )


def read_framework(path: Path) -> tuple[list[Listing], list[str]]:
    """The indicator listings of UNSD's 2023 framework CSV (semicolon-separated)."""
    listings: list[Listing] = []
    without: list[str] = []
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    if not rows or rows[0][:7] != [
        "SDGNumber",
        "SDGTitle",
        "TargetsNumber",
        "Targets",
        "IndicatorsNumber",
        "Indicators",
        "UNSDIndicatorCodes",
    ]:
        raise SourceError(
            "not UNSD's indicator framework table (header differs)", path=path, line=1
        )
    for line, row in enumerate(rows[1:], 2):
        if len(row) < 7:
            raise SourceError(f"expected 8 columns, found {len(row)}", path=path, line=line)
        target, number, code = row[2].strip(), row[4].strip(), row[6].strip()
        if not _TARGET.match(target) or row[0].strip() != target.split(".")[0]:
            raise SourceError(f"not a target code: {target!r}", path=path, line=line)
        if number == "0" and code == "0":
            without.append(target)
            continue
        match = _NUMBER.match(number)
        if match is None or match.group(1) != target:
            raise SourceError(
                f"indicator {number!r} is not numbered under target {target}", path=path, line=line
            )
        try:
            iris.sdg_indicator(code)
        except ValueError as exc:
            raise SourceError(str(exc), path=path, line=line) from None
        listings.append(Listing(number, target, code, normalise(row[5]), line))
    return listings, without


def read_translations(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    found: dict[str, dict[str, dict[str, str]]] = {}
    for lang in ("en", *TRANSLATED):  # English first: the others are checked on it
        found[lang] = {}
        for kind in ("goals", "targets", "indicators"):
            path = folder / "translations" / lang / f"global_{kind}.yml"
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                raise SourceError(f"cannot read the translations: {exc}", path=path) from None
            if not isinstance(data, dict):
                raise SourceError("expected 'key: text' lines", path=path)
            found[lang][kind] = {str(k): normalise(str(v)) for k, v in data.items()}
            if lang != "en" and found[lang][kind].keys() != found["en"][kind].keys():
                odd = sorted(found[lang][kind].keys() ^ found["en"][kind].keys())
                raise SourceError(f"the keys differ from the English file's: {odd[:5]}", path=path)
            empty = sorted(k for k, v in found[lang][kind].items() if not v)
            if empty:
                raise SourceError(f"empty titles: {empty[:5]}", path=path)
    goal_keys = {f"{n}-{suffix}" for n in range(1, 18) for suffix in ("title", "short")}
    if found["en"]["goals"].keys() != goal_keys:
        raise SourceError(
            "expected a title and a short name for each of the 17 goals",
            path=folder / "translations" / "en" / "global_goals.yml",
        )
    return found


def read_upstream(folder: Path) -> Upstream:
    verify_checksums(folder)
    kos = Graph()
    try:
        kos.parse(folder / KOS_FILE, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types
        raise SourceError(f"not valid Turtle: {exc}", path=folder / KOS_FILE) from None
    listings, without = read_framework(folder / FRAMEWORK_FILE)
    return Upstream(folder, kos, listings, without, read_translations(folder))


# -- the recorded decisions ------------------------------------------------------------


@dataclass
class Decisions:
    path: Path
    text_fixes: dict[str, tuple[str, str, str]]  # number -> (printed, used, reason)
    kos_defects: dict[tuple[str, str], str]  # (code, lang) -> reason
    untranslated: dict[str, str]  # number -> reason
    not_in_framework: dict[str, str]  # open-sdg key -> reason
    targets_without_indicator: dict[str, str]  # target -> reason
    unique_count: str  # the note on UNSD's count
    # (goal or target code, title|short, lang) -> (printed, used, reason)
    translation_fixes: dict[tuple[str, str, str], tuple[str, str, str]] = field(
        default_factory=dict
    )
    used: set[tuple[str, str]] = field(default_factory=set)

    def translated(
        self, code: str, suffix: str, lang: str, printed: str, labels: Graph, node: URIRef
    ) -> str:
        """open-sdg's text of a goal's or target's title or short name, with a recorded
        fix applied (and noted on the node)."""
        fix = self.translation_fixes.get((code, suffix, lang))
        if fix is None:
            return printed
        if fix[0] != printed:
            raise DataError(
                f"translation_fixes for {code} {suffix} {lang}: open-sdg no "
                f"longer prints {fix[0]!r}",
                path=self.path,
            )
        self.used.add(("translation", f"{code} {suffix} {lang}"))
        labels.add(
            (
                node,
                SKOS.editorialNote,
                Literal(f"{suffix} in {lang}: open-sdg prints {fix[0]!r}; {fix[2]}", lang="en"),
            )
        )
        return fix[1]


def _items(
    raw: dict[str, Any], key: str, path: Path, fields: Iterable[str]
) -> list[dict[str, str]]:
    items = raw.get(key) or []
    if not isinstance(items, list):
        raise DataError(f"'{key}' must be a list", path=path)
    for item in items:
        missing = [f for f in fields if not isinstance(item, dict) or not item.get(f)]
        if missing:
            raise DataError(f"an entry of '{key}' lacks {', '.join(missing)}: {item!r}", path=path)
    return [{k: str(v) for k, v in item.items()} for item in items]


def load_decisions(path: Path) -> Decisions:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(f"cannot read the SDG decisions: {exc.strerror}", path=path) from None
    except yaml.YAMLError as exc:
        raise DataError(f"not valid YAML: {exc}", path=path) from None
    if not isinstance(raw, dict):
        raise DataError("expected a mapping of decision lists", path=path)
    fixes = {
        i["indicator"]: (i["printed"], i["used"], i["reason"])
        for i in _items(raw, "text_fixes", path, ("indicator", "printed", "used", "reason"))
    }
    defects = {
        (i["node"], i["lang"]): i["reason"]
        for i in _items(raw, "kos_label_defects", path, ("node", "lang", "reason"))
    }
    untranslated = {
        i["indicator"]: i["reason"]
        for i in _items(raw, "untranslated", path, ("indicator", "reason"))
    }
    stale = {
        i["key"]: i["reason"] for i in _items(raw, "not_in_framework", path, ("key", "reason"))
    }
    without = {
        i["target"]: i["reason"]
        for i in _items(raw, "targets_without_indicator", path, ("target", "reason"))
    }
    count = str(raw.get("unique_count") or "").strip()
    if not count:
        raise DataError(
            "'unique_count' (the note on UNSD's count of unique indicators) is missing", path=path
        )
    translation = {
        (i["node"], i["label"], i["lang"]): (i["printed"], i["used"], i["reason"])
        for i in _items(
            raw, "translation_fixes", path, ("node", "label", "lang", "printed", "used", "reason")
        )
    }
    return Decisions(
        path, fixes, defects, untranslated, stale, without, " ".join(count.split()), translation
    )


# -- generation ------------------------------------------------------------------------


@dataclass
class Generated:
    labels: Graph
    indicators: Graph
    notes: list[str]  # what the generator decided, one line each

    def counts(self) -> dict[str, int]:
        return {
            "label triples": len(self.labels),
            "indicator triples": len(self.indicators),
            "indicators": len(set(self.indicators.subjects(RDF.type, WSIS.SDGIndicator))),
        }


def _kos_labels(kos: Graph, code: str, lang: str, prop: URIRef = SKOS.prefLabel) -> list[str]:
    return sorted(
        normalise(str(o))
        for o in kos.objects(iris.un_sdg(code), prop)
        if isinstance(o, Literal) and (o.language or "").lower() == lang.lower()
    )


def _key(code: str, suffix: str = "title") -> str:
    return f"{code.replace('.', '-')}-{suffix}"


def _hand_english(hand: Graph, node: URIRef, prop: URIRef) -> str:
    values = [
        str(o) for o in hand.objects(node, prop) if isinstance(o, Literal) and o.language == "en"
    ]
    if len(values) != 1:
        raise DataError(
            f"{node} must have exactly one English {prop.split('#')[-1]}, has {len(values)}"
        )
    return values[0]


def _check(condition: bool, message: str, path: Path, hint: str | None = None) -> None:
    if not condition:
        raise DataError(message, path=path, hint=hint)


def _compare_with_kos(
    up: Upstream, decisions: Decisions, code: str, lang: str, ours: str, labels: Graph, node: URIRef
) -> None:
    """A goal's or target's label in en, es, fr against the KOS: equal, or recorded."""
    theirs = _kos_labels(up.kos, code, lang)
    recorded = decisions.kos_defects.get((code, lang))
    agrees = theirs == [ours]
    if recorded is None:
        _check(
            agrees,
            f"the UN SDG KOS labels {code} in {lang} {theirs!r}, the graph {ours!r}",
            decisions.path,
            hint="record the choice under kos_label_defects, with the reason",
        )
        return
    _check(
        not agrees,
        f"kos_label_defects names {code} {lang}, but the KOS agrees now",
        decisions.path,
        hint="remove the entry",
    )
    decisions.used.add(("kos", f"{code} {lang}"))
    labels.add(
        (
            node,
            SKOS.editorialNote,
            Literal(
                f"The UN SDG KOS labels this concept in '{lang}' otherwise ({' | '.join(theirs)}): "
                f"{recorded} The label here is the one of "
                f"{'the hand-curated English' if lang == 'en' else 'open-sdg'}.",
                lang="en",
            ),
        )
    )


def generate(layout: Layout) -> Generated:
    folder = layout.reference / UPSTREAM
    up = read_upstream(folder)
    decisions = load_decisions(layout.reference / DECISIONS_FILE)
    hand = Graph().parse(layout.reference / "sdg.ttl", format="turtle")
    labels, indicators = new_graph(), new_graph()
    notes: list[str] = []
    scheme = iris.sdg_scheme()
    tr = up.translations

    # goals and targets: five more languages, short names, Wikidata
    labels.add((scheme, DCTERMS.bibliographicCitation, Literal(KOS_CITATION)))
    for source in SOURCES:
        labels.add((scheme, DCTERMS.source, source))
    targets = sorted(
        {str(o) for o in hand.objects(None, SKOS.notation) if _TARGET.match(str(o))}, key=_order
    )
    _check(
        len(targets) == 169,
        f"sdg.ttl has {len(targets)} targets, not 169",
        layout.reference / "sdg.ttl",
    )
    for number in range(1, 18):
        code, node = str(number), iris.sdg_goal(number)
        for suffix, prop in (("title", SKOS.prefLabel), ("short", SKOS.altLabel)):
            english = _hand_english(hand, node, prop)
            _check(
                tr["en"]["goals"].get(_key(code, suffix)) == english,
                f"goal {code}: open-sdg's English {suffix} differs from sdg.ttl's",
                layout.reference / "sdg.ttl",
            )
            for lang in TRANSLATED:
                text = decisions.translated(
                    code, suffix, lang, tr[lang]["goals"][_key(code, suffix)], labels, node
                )
                labels.add((node, prop, Literal(text, lang=lang)))
        _compare_with_kos(
            up, decisions, code, "en", _hand_english(hand, node, SKOS.prefLabel), labels, node
        )
        for lang in ("es", "fr"):
            _compare_with_kos(
                up, decisions, code, lang, tr[lang]["goals"][_key(code)], labels, node
            )
        _check(
            _kos_labels(up.kos, code, "en", SKOS.altLabel)
            == [_hand_english(hand, node, SKOS.altLabel)],
            f"goal {code}: the KOS's short name differs from sdg.ttl's",
            folder / KOS_FILE,
        )
        wikidata = sorted(
            str(o)
            for o in up.kos.objects(iris.un_sdg(code), SKOS.exactMatch)
            if str(o).startswith(WIKIDATA)
        )
        _check(
            len(wikidata) == 1,
            f"goal {code}: the KOS gives {len(wikidata)} Wikidata items",
            folder / KOS_FILE,
        )
        labels.add((node, SKOS.exactMatch, URIRef(wikidata[0])))
    for code in targets:
        node = iris.sdg_target(code)
        english = _hand_english(hand, node, SKOS.prefLabel)
        _check(
            tr["en"]["targets"].get(_key(code)) == english,
            f"target {code}: open-sdg's English differs from sdg.ttl's",
            layout.reference / "sdg.ttl",
        )
        for lang in TRANSLATED:
            text = decisions.translated(
                code, "title", lang, tr[lang]["targets"][_key(code)], labels, node
            )
            labels.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        _compare_with_kos(up, decisions, code, "en", english, labels, node)
        for lang in ("es", "fr"):
            _compare_with_kos(
                up, decisions, code, lang, tr[lang]["targets"][_key(code)], labels, node
            )
    for lang in LANGUAGES:
        for kind, expected in (("goals", 34), ("targets", 169)):
            _check(
                len(tr[lang][kind]) == expected,
                f"open-sdg {lang} {kind}: {len(tr[lang][kind])} keys, not {expected}",
                folder / "translations" / lang / f"global_{kind}.yml",
            )
    stale_fixes = sorted(
        f"{c} {label} {lang}"
        for c, label, lang in decisions.translation_fixes
        if ("translation", f"{c} {label} {lang}") not in decisions.used
    )
    _check(
        not stale_fixes, f"translation_fixes names no goal or target: {stale_fixes}", decisions.path
    )
    unused = sorted(
        (c, lang)
        for c, lang in decisions.kos_defects
        if ("kos", f"{c} {lang}") not in decisions.used
    )
    _check(
        not unused,
        f"kos_label_defects names concepts that are not SDG goals or targets: {unused}",
        decisions.path,
    )

    # indicators: one concept per permanent code
    _check(
        sorted(up.targets_without_indicator) == sorted(decisions.targets_without_indicator),
        f"targets without an indicator in the framework: {up.targets_without_indicator}, "
        f"recorded: {sorted(decisions.targets_without_indicator)}",
        decisions.path,
    )
    for target in up.targets_without_indicator:
        labels.add(
            (
                iris.sdg_target(target),
                SKOS.editorialNote,
                Literal(decisions.targets_without_indicator[target], lang="en"),
            )
        )
    by_code: dict[str, list[Listing]] = {}
    for listing in up.listings:
        by_code.setdefault(listing.code, []).append(listing)
    known = {listing.number for listing in up.listings}
    for listed_number in decisions.text_fixes:
        _check(
            listed_number in known,
            f"text_fixes names {listed_number}, not in the framework",
            decisions.path,
        )
    for listed_number in decisions.untranslated:
        _check(
            listed_number in known,
            f"untranslated names {listed_number}, not in the framework",
            decisions.path,
        )
    open_sdg = {k.removesuffix("-title").replace("-", ".") for k in tr["en"]["indicators"]}
    _check(
        sorted(open_sdg - known) == sorted(decisions.not_in_framework),
        f"open-sdg indicators not in the 2023 framework: {sorted(open_sdg - known)}, "
        f"recorded: {sorted(decisions.not_in_framework)}",
        decisions.path,
    )
    kos_codes = {
        str(s).removeprefix(iris.UN_SDG)
        for s in up.kos.subjects(RDF.type, URIRef(SDGO + "Indicator"))
    }
    for code, listed in sorted(by_code.items()):
        node = iris.sdg_indicator(code)
        first = listed[0]
        text = _english(first, decisions)
        for other in listed[1:]:
            _check(
                _english(other, decisions) == text,
                f"{code} is printed with different texts under {first.number} and {other.number}",
                up.folder / FRAMEWORK_FILE,
            )
        add = indicators.add
        add((node, RDF.type, WSIS.SDGIndicator))
        add((node, SKOS.inScheme, scheme))
        add((node, DCTERMS.identifier, Literal(code)))
        add((node, SKOS.exactMatch, iris.un_sdg(code)))
        add((node, SKOS.prefLabel, Literal(text, lang="en")))
        for listing in listed:
            add((node, SKOS.notation, Literal(listing.number)))
            add((node, SKOS.broader, iris.sdg_target(listing.target)))
            add((iris.sdg_target(listing.target), SKOS.narrower, node))
        if len(listed) > 1:
            numbers = [x.number for x in listed]
            add(
                (
                    node,
                    SKOS.editorialNote,
                    Literal(
                        f"Listed {len(listed)} times in the 2023 framework ({', '.join(numbers)}) "
                        f"with one permanent code, {code}: one concept under each of its targets.",
                        lang="en",
                    ),
                )
            )
        if first.number in decisions.text_fixes:
            printed, used, reason = decisions.text_fixes[first.number]
            add(
                (
                    node,
                    SKOS.editorialNote,
                    Literal(
                        f"UNSD's 2023 table prints {printed!r}; the label reads {used!r}: {reason}",
                        lang="en",
                    ),
                )
            )
        _translations(node, listed, text, tr, decisions, indicators)
        if code in kos_codes:
            kos_numbers = sorted(
                str(n)
                for n in up.kos.objects(iris.un_sdg(code), SKOS.notation)
                if _NUMBER.match(str(n))
            )
            if kos_numbers != sorted(x.number for x in listed):
                add(
                    (
                        node,
                        SKOS.editorialNote,
                        Literal(
                            f"Numbered {', '.join(kos_numbers)} in the UN SDG KOS "
                            "(2019 framework), "
                            f"{', '.join(x.number for x in listed)} in the 2023 framework; the "
                            f"permanent code is the same.",
                            lang="en",
                        ),
                    )
                )
            for agency in sorted(
                {
                    " ".join(str(o).split())
                    for o in up.kos.objects(iris.un_sdg(code), URIRef(SDGO + "custodianAgency"))
                }
            ):
                add((node, WSIS.custodianAgency, Literal(agency)))
        else:
            add(
                (
                    node,
                    SKOS.editorialNote,
                    Literal(
                        "Not in the UN SDG KOS file, which holds the 2019 framework: the UN IRI "
                        "is formed from the permanent code by the KOS's pattern, and no custodian "
                        "agency is stated.",
                        lang="en",
                    ),
                )
            )
    stale = sorted(n for n in decisions.untranslated if (n, "untranslated") not in decisions.used)
    _check(
        not stale,
        f"untranslated names indicators that are translated now: {stale}",
        decisions.path,
        hint="remove the entries",
    )
    fixes = sorted(n for n in decisions.text_fixes if ("fix", n) not in decisions.used)
    _check(not fixes, f"text_fixes that matched no printed text: {fixes}", decisions.path)
    labels.add((scheme, SKOS.editorialNote, Literal(decisions.unique_count, lang="en")))
    notes.append(
        f"{len(by_code)} indicators (permanent codes), {len(up.listings)} listings, "
        f"{len(by_code.keys() - kos_codes)} not in the KOS"
    )
    return Generated(labels, indicators, notes)


def _order(code: str) -> tuple[int, int, str]:
    goal, _, rest = code.partition(".")
    return (int(goal), 0 if rest.isdigit() else 1, rest.zfill(2))


def _english(listing: Listing, decisions: Decisions) -> str:
    fix = decisions.text_fixes.get(listing.number)
    if fix is None:
        return listing.text
    printed, used, _ = fix
    if listing.text != normalise(printed):
        raise DataError(
            f"text_fixes for {listing.number}: the table no longer prints {printed!r}",
            path=decisions.path,
        )
    decisions.used.add(("fix", listing.number))
    return normalise(used)


def _wording(text: str) -> str:
    """What the comparison of two Englishes ignores: an en dash printed as a hyphen
    (4.2.1's "24–59 months")."""
    return text.replace("\u2013", "-")


def _translations(
    node: URIRef,
    listed: list[Listing],
    english: str,
    tr: dict[str, dict[str, dict[str, str]]],
    decisions: Decisions,
    graph: Graph,
) -> None:
    """open-sdg's titles of the first listing, where open-sdg's English is the 2023
    wording; else none, as recorded under 'untranslated'."""
    first = listed[0]
    key = _key(first.number)
    theirs = tr["en"]["indicators"].get(key)
    reason = decisions.untranslated.get(first.number)
    if theirs is not None and _wording(theirs) == _wording(english):
        _check(
            reason is None,
            f"untranslated names {first.number}, but open-sdg translates its 2023 wording",
            decisions.path,
            hint="remove the entry",
        )
        for lang in TRANSLATED:
            texts = {tr[lang]["indicators"].get(_key(x.number)) for x in listed}
            if len(texts) > 1:
                graph.add(
                    (
                        node,
                        SKOS.editorialNote,
                        Literal(
                            f"open-sdg words the {lang} title differently under its listings; the "
                            f"label is the one of {first.number}.",
                            lang="en",
                        ),
                    )
                )
            graph.add((node, SKOS.prefLabel, Literal(tr[lang]["indicators"][key], lang=lang)))
        return
    _check(
        reason is not None,
        f"open-sdg's English for {first.number} is {theirs!r}, the 2023 framework's {english!r}",
        decisions.path,
        hint="record the indicator under 'untranslated', with the reason",
    )
    decisions.used.add((first.number, "untranslated"))
    graph.add((node, SKOS.editorialNote, Literal(f"English only: {reason}", lang="en")))


# -- writing ----------------------------------------------------------------------------


def header(what: str, folder: Path) -> list[str]:
    lines = [
        what,
        "Generated by `python -m wsiskg.ingest.sdgref` from "
        "data/reference/upstream/sdg/ and data/reference/sdg-decisions.yaml; do not edit.",
    ]
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.endswith(".txt"):
            digest, name = line.split(maxsplit=1)
            lines.append(f"source: {name.lstrip('*')} sha256:{digest}")
    return lines


def render(layout: Layout, generated: Generated) -> dict[str, str]:
    folder = layout.reference / UPSTREAM
    return {
        LABELS_FILE: to_turtle(
            generated.labels,
            PREFIXES,
            header(
                "SDG goals and targets in Arabic, Chinese, Spanish, French and Russian, short goal "
                "names, Wikidata matches (English: sdg.ttl)",
                folder,
            ),
        ),
        INDICATORS_FILE: to_turtle(
            generated.indicators,
            PREFIXES,
            header(
                "SDG indicators of the 2023 global indicator framework, in the six UN languages",
                folder,
            ),
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wsiskg.ingest.sdgref",
        description="Generate data/reference/sdg-labels.ttl and sdg-indicators.ttl from "
        "data/reference/upstream/sdg/. Exit codes: 0 done (or up to date), "
        "1 --check found the files out of date, 2 usage, 3 cannot run.",
    )
    parser.add_argument("--root", type=Path, default=None, help="the project folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare with the committed files instead of writing them",
    )
    args = parser.parse_args(argv)
    layout = Layout(args.root or find_root())
    try:
        generated = generate(layout)
        outputs = render(layout, generated)
    except (DataError, SourceError) as exc:
        print(f"error: {exc.render()}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.check:
        stale = [
            name
            for name, text in sorted(outputs.items())
            if not (layout.reference / name).is_file()
            or (layout.reference / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"out of date: data/reference/{name}", file=sys.stderr)
        return EXIT_VIOLATIONS if stale else EXIT_OK
    for path in write_atomically(layout.reference, outputs):
        print(f"wrote {path}")
    for note in generated.notes:
        print(note)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
