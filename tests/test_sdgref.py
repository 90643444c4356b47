"""The SDG reference in the six UN languages, with the indicators: the generated
data/reference/sdg-labels.ttl and sdg-indicators.ttl against the upstream files
they come from (read here directly, not through the generator), the hand-curated
English, the recorded decisions; and the generator itself (reproducible, refusing
changed sources and unrecorded disagreements)."""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from wsiskg import iris
from wsiskg.graph.build import reference_graph
from wsiskg.ingest import sdgref
from wsiskg.iris import WSIS
from wsiskg.paths import Layout

from .conftest import ROOT

UPSTREAM = ROOT / "data" / "reference" / "upstream" / "sdg"
LANGUAGES = ("ar", "zh-Hans", "en", "es", "fr", "ru")
SDGO = "http://metadata.un.org/sdg/ontology#"
UN_IRI = re.compile(
    r"^http://metadata\.un\.org/sdg/"
    r"((1[0-7]|[1-9])|(1[0-7]|[1-9])\.([1-9]|1[0-9]|[a-d])"
    r"|C(0[1-9]|1[0-7]|20)(0[1-9]|1[0-9]|0[a-d])(0[1-9]|[1-9][0-9]))$"
)


def spelling(text: str) -> str:
    """The spelling the reference data uses: NFC, ASCII hyphens, plain single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u2010", "-").replace("\u2011", "-")
    return " ".join(text.replace("\xa0", " ").split())


# language -> goals/targets/indicators -> code -> text, as the Open SDG files hold them
OpenSdg = dict[str, dict[str, dict[str, str]]]


@pytest.fixture(scope="module")
def reference(layout: Layout) -> Graph:
    return reference_graph(layout)


@pytest.fixture(scope="module")
def hand_curated(layout: Layout) -> Graph:
    return Graph().parse(layout.reference / "sdg.ttl")


@pytest.fixture(scope="module")
def kos() -> Graph:
    return Graph().parse(UPSTREAM / "sdg-kos-goals-targets-indicators.ttl")


def _rows() -> list[list[str]]:
    text = (UPSTREAM / "SDG_Target_Indicator_UNSD_2023.csv").read_text(encoding="utf-8")
    return list(csv.reader(text.splitlines(), delimiter=";"))[1:]


@pytest.fixture(scope="module")
def table() -> list[list[str]]:
    """UNSD's 2023 framework, one row per indicator listing (11.c, listed without an
    indicator, left out)."""
    return [row for row in _rows() if row[6] != "0"]


@pytest.fixture(scope="module")
def open_sdg() -> OpenSdg:
    return {
        lang: {
            kind: yaml.safe_load(
                (UPSTREAM / "translations" / lang / f"global_{kind}.yml").read_text(
                    encoding="utf-8"
                )
            )
            for kind in ("goals", "targets", "indicators")
        }
        for lang in LANGUAGES
    }


@pytest.fixture(scope="module")
def decisions(layout: Layout) -> dict[str, Any]:
    loaded = yaml.safe_load((layout.reference / "sdg-decisions.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _labels(graph: Graph, node: URIRef, prop: URIRef, lang: str) -> list[str]:
    return [
        str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == lang
    ]


def _nodes(graph: Graph, cls: URIRef) -> list[URIRef]:
    return sorted(URIRef(str(s)) for s in graph.subjects(RDF.type, cls))


# -- counts per language against the source files ----------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_goals_and_targets_in_each_language(
    reference: Graph, open_sdg: OpenSdg, lang: str, decisions: dict[str, Any]
) -> None:
    """Verify one title per goal (17) and target (169) and one short name per goal in
    each language, as many as open-sdg's file of that language has, with its wording
    (but where a recorded translation fix replaces it)."""
    fixes = {(f["node"], f["label"], f["lang"]): f for f in decisions["translation_fixes"]}

    def expected(text: str, code: str, label: str) -> str:
        fix = fixes.get((code, label, lang))
        if fix is not None:
            assert spelling(text) == fix["printed"]
            return str(fix["used"])
        return spelling(text)

    goals, targets = _nodes(reference, WSIS.SDGGoal), _nodes(reference, WSIS.SDGTarget)
    titles = {k for k in open_sdg[lang]["goals"] if k.endswith("-title")}
    shorts = {k for k in open_sdg[lang]["goals"] if k.endswith("-short")}
    assert len(goals) == len(titles) == len(shorts) == 17
    assert len(targets) == len(open_sdg[lang]["targets"]) == 169
    for goal in goals:
        number = str(reference.value(goal, SKOS.notation))
        assert _labels(reference, goal, SKOS.prefLabel, lang) == [
            expected(open_sdg[lang]["goals"][f"{number}-title"], number, "title")
        ]
        assert _labels(reference, goal, SKOS.altLabel, lang) == [
            expected(open_sdg[lang]["goals"][f"{number}-short"], number, "short")
        ]
    for target in targets:
        code = str(reference.value(target, SKOS.notation))
        key = code.replace(".", "-") + "-title"
        assert _labels(reference, target, SKOS.prefLabel, lang) == [
            expected(open_sdg[lang]["targets"][key], code, "title")
        ]


def test_every_indicator_of_the_2023_framework(reference: Graph, table: list[list[str]]) -> None:
    """Verify one indicator concept per permanent code of UNSD's table (232; UNSD counts
    231, see sdg-decisions.yaml), its 248 listings as notations under their targets, and
    the English title the table prints."""
    indicators = _nodes(reference, WSIS.SDGIndicator)
    codes = {row[6] for row in table}
    assert len(table) == 248 and len(codes) == 232
    assert {str(reference.value(i, DCTERMS.identifier)) for i in indicators} == codes
    assert len(indicators) == 232
    listings = {
        (str(n), str(reference.value(t, SKOS.notation)))
        for i in indicators
        for n in reference.objects(i, SKOS.notation)
        for t in reference.objects(i, SKOS.broader)
        if str(n).rsplit(".", 1)[0] == str(reference.value(t, SKOS.notation))
    }
    assert listings == {(row[4].strip(), row[2].strip()) for row in table}
    repeated = Counter(row[6] for row in table)
    for indicator in indicators:
        code = str(reference.value(indicator, DCTERMS.identifier))
        assert indicator == iris.sdg_indicator(code)
        assert len(set(reference.objects(indicator, SKOS.broader))) == repeated[code]
        row = next(r for r in table if r[6] == code)
        english = _labels(reference, indicator, SKOS.prefLabel, "en")
        printed = spelling(row[5])
        assert english == [printed] or printed.startswith(english[0]), code


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_indicator_titles_in_each_language(
    reference: Graph,
    table: list[list[str]],
    open_sdg: OpenSdg,
    decisions: dict[str, Any],
    lang: str,
) -> None:
    """Verify that every indicator but those recorded as untranslated has open-sdg's
    title in the language (that of its first listing), and those have none."""
    untranslated = {d["indicator"] for d in decisions["untranslated"]}
    first: dict[str, str] = {}
    for row in table:
        first.setdefault(row[6], row[4].strip())
    titled = 0
    for code, number in first.items():
        found = _labels(reference, iris.sdg_indicator(code), SKOS.prefLabel, lang)
        if number in untranslated:
            assert found == [], number
            continue
        titled += 1
        assert found == [
            spelling(open_sdg[lang]["indicators"][number.replace(".", "-") + "-title"])
        ], number
    assert titled == 232 - len(untranslated) == 226


# -- labels, English, identifiers ----------------------------------------------------------


def test_every_label_non_empty_and_language_tagged(reference: Graph) -> None:
    """Verify that every title and short name of a goal, target or indicator is a
    non-empty literal tagged with one of the six UN languages, none twice."""
    for cls in (WSIS.SDGGoal, WSIS.SDGTarget, WSIS.SDGIndicator):
        for node in _nodes(reference, cls):
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                values = list(reference.objects(node, prop))
                tags = [v.language for v in values if isinstance(v, Literal)]
                assert len(tags) == len(values) and len(set(tags)) == len(tags), node
                assert set(tags) <= set(LANGUAGES), node
                assert all(str(v).strip() == str(v) and str(v) for v in values), node


def test_english_is_the_hand_curated_wording(
    reference: Graph, hand_curated: Graph, open_sdg: OpenSdg, kos: Graph, decisions: dict[str, Any]
) -> None:
    """Verify that the English titles and short names are exactly those of the
    hand-curated sdg.ttl; that open-sdg and UNSD's table print the same wording (up to
    the spelling) but for 14.6, where the table keeps a footnote mark; and that the KOS
    differs only where sdg-decisions.yaml says why."""
    printed = {row[2].strip(): spelling(row[3]) for row in _rows()}
    assert len(printed) == 169
    differing, table_differs = set(), set()
    for cls in (WSIS.SDGGoal, WSIS.SDGTarget):
        for node in _nodes(reference, cls):
            code = str(reference.value(node, SKOS.notation))
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                assert _labels(reference, node, prop, "en") == _labels(
                    hand_curated, node, prop, "en"
                )
            english = _labels(hand_curated, node, SKOS.prefLabel, "en")[0]
            kind = "goals" if cls == WSIS.SDGGoal else "targets"
            assert spelling(open_sdg["en"][kind][code.replace(".", "-") + "-title"]) == english
            if kind == "targets" and printed[code] != english:
                table_differs.add(code)
                # the footnote mark of the printed Agenda glued to the text, as in the KOS
                assert printed[code] == english + "4", code
            theirs = [
                spelling(str(o))
                for o in kos.objects(iris.un_sdg(code), SKOS.prefLabel)
                if isinstance(o, Literal) and o.language == "en"
            ]
            if theirs != [english]:
                differing.add(code)
    assert differing == {d["node"] for d in decisions["kos_label_defects"] if d["lang"] == "en"}
    assert differing == {"12.3", "14.6"}
    assert table_differs == {"14.6"}


def test_un_iris_well_formed(reference: Graph, kos: Graph) -> None:
    """Verify that every goal, target and indicator has exactly one UN IRI, http, of its
    own code (goal 9, target 9.c, indicator permanent code), and that the indicator IRIs
    the KOS knows are the KOS's own."""
    kos_indicators = {str(s) for s in kos.subjects(RDF.type, URIRef(SDGO + "Indicator"))}
    for cls in (WSIS.SDGGoal, WSIS.SDGTarget, WSIS.SDGIndicator):
        for node in _nodes(reference, cls):
            matches = [
                str(o)
                for o in reference.objects(node, SKOS.exactMatch)
                if str(o).startswith("http://metadata.un.org/")
            ]
            assert len(matches) == 1 and UN_IRI.match(matches[0]), node
            code = (
                reference.value(node, DCTERMS.identifier)
                if cls == WSIS.SDGIndicator
                else reference.value(node, SKOS.notation)
            )
            assert matches[0] == str(iris.un_sdg(str(code)))
    indicators = {
        str(reference.value(i, SKOS.exactMatch)) for i in _nodes(reference, WSIS.SDGIndicator)
    }
    assert len(indicators & kos_indicators) == 232 - 31


def test_goals_match_wikidata_as_the_kos_gives(reference: Graph, kos: Graph) -> None:
    """Verify each goal's Wikidata item: the one the KOS gives it."""
    for number in range(1, 18):
        ours = {
            str(o)
            for o in reference.objects(iris.sdg_goal(number), SKOS.exactMatch)
            if "wikidata" in str(o)
        }
        theirs = {
            str(o)
            for o in kos.objects(iris.un_sdg(str(number)), SKOS.exactMatch)
            if "wikidata" in str(o)
        }
        assert ours == theirs and len(ours) == 1


def test_custodians_as_the_kos_states(reference: Graph, kos: Graph) -> None:
    """Verify the custodian agencies: those the KOS names for the permanent code; ITU for
    4.4.1 (with UNESCO-UIS), 5.b.1, 9.c.1, 17.6.1 (17.6.2 in the KOS) and 17.8.1."""
    custodian = URIRef(SDGO + "custodianAgency")
    for indicator in _nodes(reference, WSIS.SDGIndicator):
        ours = {str(o) for o in reference.objects(indicator, WSIS.custodianAgency)}
        theirs = {
            str(o).strip()
            for o in kos.objects(reference.value(indicator, SKOS.exactMatch), custodian)
        }
        assert ours == theirs, indicator
    itu = {
        str(reference.value(i, DCTERMS.identifier)): sorted(
            str(n) for n in reference.objects(i, SKOS.notation)
        )
        for i in reference.subjects(WSIS.custodianAgency, Literal("ITU"))
    }
    assert itu == {
        "C040401": ["4.4.1"],
        "C050b01": ["5.b.1"],
        "C090c01": ["9.c.1"],
        "C170602": ["17.6.1"],
        "C170801": ["17.8.1"],
    }


def test_decisions_are_recorded_in_the_data(reference: Graph, decisions: dict[str, Any]) -> None:
    """Verify that each recorded decision is an editorial note on its node, and the KOS
    citation and UNSD's count on the concept scheme."""

    def notes(node: URIRef) -> str:
        return " ".join(str(o) for o in reference.objects(node, SKOS.editorialNote))

    for item in decisions["kos_label_defects"]:
        node = (
            iris.sdg_target(item["node"])
            if "." in item["node"]
            else iris.sdg_goal(int(item["node"]))
        )
        assert f"in '{item['lang']}'" in notes(node)
    by_number = {
        str(n): i
        for i in _nodes(reference, WSIS.SDGIndicator)
        for n in reference.objects(i, SKOS.notation)
    }
    for item in decisions["untranslated"]:
        assert "English only" in notes(by_number[item["indicator"]])
    for item in decisions["text_fixes"]:
        assert item["printed"] in notes(by_number[item["indicator"]])
    for item in decisions["translation_fixes"]:
        node = (
            iris.sdg_target(item["node"])
            if "." in item["node"]
            else iris.sdg_goal(int(item["node"]))
        )
        assert item["printed"] in notes(node)
        prop = SKOS.prefLabel if item["label"] == "title" else SKOS.altLabel
        assert _labels(reference, node, prop, item["lang"]) == [item["used"]]
    assert "Listed 3 times" in notes(iris.sdg_indicator("C200303"))
    assert "Not in the UN SDG KOS" in notes(iris.sdg_indicator("C110503"))
    scheme = iris.sdg_scheme()
    assert "Knowledge Organization System" in str(
        reference.value(scheme, DCTERMS.bibliographicCitation)
    )
    assert "231 unique" in notes(scheme)


# -- the generator ---------------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    return root


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    """Verify that the generator, run on a copy, writes byte for byte the committed
    files, and that --check on the project finds them up to date."""
    root = _copy(tmp_path)
    for name in (sdgref.LABELS_FILE, sdgref.INDICATORS_FILE):
        (root / "data" / "reference" / name).unlink()
    assert sdgref.main(["--root", str(root)]) == 0
    for name in (sdgref.LABELS_FILE, sdgref.INDICATORS_FILE):
        assert (root / "data" / "reference" / name).read_bytes() == (
            ROOT / "data" / "reference" / name
        ).read_bytes()
    assert sdgref.main(["--root", str(ROOT), "--check"]) == 0


def test_generator_check_finds_an_edited_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify exit 1 from --check when a generated file was edited by hand."""
    root = _copy(tmp_path)
    path = root / "data" / "reference" / sdgref.LABELS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("@fr", "@es", 1), encoding="utf-8")
    assert sdgref.main(["--root", str(root), "--check"]) == 1
    assert f"out of date: data/reference/{sdgref.LABELS_FILE}" in capsys.readouterr().err


def test_generator_refuses_a_changed_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify exit 3, the file named and nothing written, when an upstream file differs
    from its recorded SHA-256."""
    root = _copy(tmp_path)
    table = (
        root
        / "data"
        / "reference"
        / UPSTREAM.relative_to(ROOT / "data" / "reference")
        / "SDG_Target_Indicator_UNSD_2023.csv"
    )
    table.write_text(
        table.read_text(encoding="utf-8").replace("mobile network", "network"), encoding="utf-8"
    )
    before = (root / "data" / "reference" / sdgref.INDICATORS_FILE).read_bytes()
    assert sdgref.main(["--root", str(root)]) == 3
    err = capsys.readouterr().err
    assert "SDG_Target_Indicator_UNSD_2023.csv" in err and "SHA-256" in err
    assert (root / "data" / "reference" / sdgref.INDICATORS_FILE).read_bytes() == before


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ("kos_label_defects", "record the choice under kos_label_defects"),
        ("untranslated", "record the indicator under 'untranslated'"),
        ("not_in_framework", "open-sdg indicators not in the 2023 framework"),
        ("text_fixes", "open-sdg's English for"),
    ],
)
def test_generator_refuses_an_unrecorded_disagreement(
    tmp_path: Path, section: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify exit 3 and the decisions file named when a disagreement between the
    sources is not recorded (one recorded decision removed)."""
    root = _copy(tmp_path)
    path = root / "data" / "reference" / "sdg-decisions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[section] = data[section][1:]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert sdgref.main(["--root", str(root)]) == 3
    err = capsys.readouterr().err
    assert "sdg-decisions.yaml" in err and needle in err


def test_generator_refuses_a_stale_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verify exit 3 when a recorded decision no longer matches the sources."""
    root = _copy(tmp_path)
    path = root / "data" / "reference" / "sdg-decisions.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["untranslated"].append({"indicator": "9.c.1", "reason": "a test"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert sdgref.main(["--root", str(root)]) == 3
    assert "untranslated names 9.c.1" in capsys.readouterr().err
