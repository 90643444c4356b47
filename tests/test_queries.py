"""Canned queries: every shipped query parses, has a complete header, runs on the
real graph and gives the same result on Oxigraph and rdflib; each answers with
what the documents print (tests/expectations, read by hand); parameters are
typed and refuse injection; violation checks are empty on the real graph and
not on a damaged one."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from wsiskg.cli import main
from wsiskg.errors import UsageError
from wsiskg.store.embedded import EmbeddedStore
from wsiskg.store.queries import Results, bind, load_queries, open_engine, render, run

from .conftest import ROOT, load_expectations

QUERIES = load_queries(ROOT / "queries")
NAMES = sorted(QUERIES)
TRIG = ROOT / "data" / "kg" / "wsis.trig"


@pytest.fixture(scope="module")
def oxigraph() -> EmbeddedStore:
    store = open_engine("oxigraph", TRIG)
    assert isinstance(store, EmbeddedStore)
    return store


@pytest.fixture(scope="module")
def rdflib_dataset() -> Any:
    return open_engine("rdflib", TRIG)


def answer(store: Store | EmbeddedStore, name: str, **params: str) -> list[dict[str, str]]:
    query = QUERIES[name]
    results = run("oxigraph", store, query.text, bind(query, params))
    return [{k: v[1] for k, v in row.items()} for row in results.rows]


def _normal(results: Results) -> list[tuple[tuple[str, str, str | None], ...]]:
    """The solutions, sorted; language tags in lower case, as RDF 1.1 compares them
    (Oxigraph writes zh-Hans as zh-hans, rdflib keeps the case)."""

    def extra(value: str | None) -> str | None:
        return value.lower() if value and value.startswith("@") else value

    return sorted(
        tuple(sorted((k, v[1], extra(v[2])) for k, v in row.items())) for row in results.rows
    )


# -- every shipped query ---------------------------------------------------------


def test_at_least_twenty_queries_and_violation_checks() -> None:
    """Verify the catalogue: at least 20 linkage queries and separate violation checks."""
    checks = [n for n in NAMES if n.endswith("-violation")]
    assert len(NAMES) - len(checks) >= 20
    assert len(checks) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_header_and_prefixes(name: str) -> None:
    """Verify the grlc header (summary, description, typed parameters with default and
    example) and that every prefix the query uses is declared in it."""
    query = QUERIES[name]
    assert query.text.startswith("#+ summary:")
    assert len(query.summary) > 10 and len(query.description) > 20
    for param in query.params:
        assert param.type and param.example
        assert f"?{param.name}" in query.text.split("WHERE", 1)[1]
        assert re.search(rf"SELECT( DISTINCT)?[^\n]*\?{param.name}\b", query.text), (
            f"{name}: parameter {param.name} must be projected (Oxigraph substitution)"
        )
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"(?<![\w:/<])([a-z]+):[A-Za-z]", body)) - {"http", "https"}
    declared = set(re.findall(r"PREFIX\s+(\w+):", body))
    assert used <= declared, f"{name}: undeclared prefixes {used - declared}"


@pytest.mark.parametrize("name", NAMES)
def test_same_result_on_oxigraph_and_rdflib(
    name: str, oxigraph: EmbeddedStore, rdflib_dataset: Any
) -> None:
    """Verify that the query runs on the real graph with its example parameters and gives
    the same solutions on the embedded Oxigraph store and on plain rdflib."""
    query = QUERIES[name]
    bound = bind(query, {p.name: p.example for p in query.params})
    on_oxigraph = run("oxigraph", oxigraph, query.text, bound)
    on_rdflib = run("rdflib", rdflib_dataset, query.text, bound)
    assert on_oxigraph.variables == on_rdflib.variables
    assert _normal(on_oxigraph) == _normal(on_rdflib)
    if not query.is_violation_check:
        assert on_oxigraph.rows, f"{name} gives no answer with its example parameters"


@pytest.mark.parametrize("name", [n for n in NAMES if n.endswith("-violation")])
def test_violation_checks_pass_on_the_real_graph(name: str, oxigraph: EmbeddedStore) -> None:
    """Verify that every data-quality check returns zero rows on the built graph."""
    assert answer(oxigraph, name) == []


DAMAGE = {
    "timing-order-violation": """
        PREFIX time: <http://www.w3.org/2006/time#>
        DELETE { ?t time:hasBeginning ?b ; time:hasEnd ?e } INSERT { ?t time:hasBeginning ?e ;
        time:hasEnd ?b } WHERE { BIND(<https://w3id.org/wsis-kg/id/entry/2019/C5/A2/timing>
        AS ?t) GRAPH ?g { ?t time:hasBeginning ?b ; time:hasEnd ?e } }""",
    "sdg-target-goal-violation": """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA { GRAPH <https://w3id.org/wsis-kg/graph/reference> {
        <https://w3id.org/wsis-kg/id/sdg/target/9.c> skos:broader
        <https://w3id.org/wsis-kg/id/sdg/goal/8> } }""",
    "entry-action-line-violation": """
        PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
        INSERT DATA { GRAPH <https://w3id.org/wsis-kg/graph/2019> {
        <https://w3id.org/wsis-kg/id/entry/2019/C5/A2> wsis:entryActionLine
        <https://w3id.org/wsis-kg/id/action-line/C6> } }""",
    "sdg-indicator-violation": """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT DATA { GRAPH <https://w3id.org/wsis-kg/graph/reference> {
        <https://w3id.org/wsis-kg/id/sdg/indicator/C090c01> skos:notation "9.b.1" ;
        skos:exactMatch <http://metadata.un.org/sdg/C090b01> } } ;
        DELETE { GRAPH ?g { ?i skos:prefLabel ?x } } WHERE { GRAPH ?g { ?i skos:prefLabel ?x }
        FILTER (?i = <https://w3id.org/wsis-kg/id/sdg/indicator/C050b01>
                && LANG(?x) = "en") }""",
    "dangling-link-violation": """
        PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
        INSERT DATA { GRAPH <https://w3id.org/wsis-kg/graph/2019> {
        <https://w3id.org/wsis-kg/id/entry/2019/C5/A2> wsis:mentionsResolution
        <https://w3id.org/wsis-kg/id/resolution/pp/999> } }""",
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_violation_checks_find_damage(name: str) -> None:
    """Verify that each data-quality check reports rows on a damaged copy of the graph."""
    assert set(DAMAGE) == {n for n in NAMES if n.endswith("-violation")}
    store = Store()
    store.load(path=str(TRIG), format=RdfFormat.TRIG)
    store.update(DAMAGE[name])
    assert len(answer(store, name)) >= 1


def test_sdg_indicator_violation_names_both_defects() -> None:
    """Verify that the indicator check reports a number naming another target, a UN IRI
    of another code and a missing English title, each with its property (and value)."""
    store = Store()
    store.load(path=str(TRIG), format=RdfFormat.TRIG)
    store.update(DAMAGE["sdg-indicator-violation"])
    rows = answer(store, "sdg-indicator-violation")
    indicator = "https://w3id.org/wsis-kg/id/sdg/indicator/C090c01"
    assert {(r["indicator"], r["property"].rsplit("#", 1)[1], r.get("value")) for r in rows} == {
        (indicator, "notation", "9.b.1"),
        (indicator, "exactMatch", "http://metadata.un.org/sdg/C090b01"),
        ("https://w3id.org/wsis-kg/id/sdg/indicator/C050b01", "prefLabel", None),
    }


# -- answers read from the documents -----------------------------------------------


def _outcomes(source: str) -> list[dict[str, Any]]:
    outcomes = load_expectations(source)["outcomes"]
    assert isinstance(outcomes, list)
    return outcomes


def test_entries_by_sdg_target(oxigraph: EmbeddedStore) -> None:
    """Verify the draft-zero entries citing target 16.2, against every outcome read."""
    rows = answer(oxigraph, "entries-by-sdg-target", target="16.2", edition="2019-draft-zero")
    found = {(r["actionLine"], r["outcome"]) for r in rows}
    for outcome in _outcomes("roadmaps-2019-draft-zero"):
        key = (outcome["action_line"], outcome["label"])
        assert (key in found) == ("16.2" in map(str, outcome.get("sdg_targets", []))), key
    assert ("C5", "B1") in found


def test_entries_by_sdg_goal_counts_targets(oxigraph: EmbeddedStore) -> None:
    """Verify that goal 9 reaches the 2019 entries citing goal 9 or any 9.x target."""
    rows = answer(oxigraph, "entries-by-sdg-goal", goal="9", edition="2019")
    found = {(r["actionLine"], r["outcome"]) for r in rows}
    for outcome in _outcomes("roadmaps-2019"):
        cites = 9 in outcome.get("sdg_goals", []) or any(
            str(t).startswith("9.") for t in outcome.get("sdg_targets", [])
        )
        assert ((outcome["action_line"], outcome["label"]) in found) == cites


def test_sdg_coverage_matrix(oxigraph: EmbeddedStore) -> None:
    """Verify the 2024 draft's action line x goal counts against all 68 outcomes read."""
    expected: Counter[tuple[str, str]] = Counter()
    for outcome in _outcomes("roadmaps-2024-draft"):
        goals = set(outcome.get("sdg_goals", [])) | {
            int(str(t).split(".")[0]) for t in outcome.get("sdg_targets", [])
        }
        for goal in goals:
            expected[(outcome["action_line"], str(goal))] += 1
    rows = answer(oxigraph, "sdg-coverage-matrix", edition="2024-draft")
    assert {(r["actionLine"], r["goalNumber"]): int(r["entries"]) for r in rows} == expected


def test_sdg_targets_not_reached(oxigraph: EmbeddedStore) -> None:
    """Verify that no target is reached in 2010 (no SDG column) and 9.c is in 2019."""
    assert len(answer(oxigraph, "sdg-targets-not-reached", edition="2010")) == 169
    unreached = {r["target"] for r in answer(oxigraph, "sdg-targets-not-reached", edition="2019")}
    assert "9.c" not in unreached and "14.1" in unreached


# -- SDG labels in the six UN languages ----------------------------------------------

UPSTREAM = ROOT / "data" / "reference" / "upstream" / "sdg"


def _open_sdg(lang: str, kind: str, code: str) -> str:
    """A title as open-sdg's file prints it (its keys: 9-c-title, 9-short), in the
    spelling the reference data uses (NFC, ASCII hyphens, plain spaces)."""
    data = yaml.safe_load(
        (UPSTREAM / "translations" / lang / f"global_{kind}.yml").read_text(encoding="utf-8")
    )
    text = unicodedata.normalize("NFC", data[code]).replace("\u2010", "-")
    return " ".join(text.replace("\u2011", "-").replace("\xa0", " ").split())


def _hand_curated(code: str) -> str:
    """A target's English title in the hand-curated data/reference/sdg.ttl."""
    graph = Graph().parse(ROOT / "data" / "reference" / "sdg.ttl")
    node = URIRef(f"https://w3id.org/wsis-kg/id/sdg/target/{code}")
    return next(str(o) for o in graph.objects(node, SKOS.prefLabel))


@pytest.mark.parametrize("lang", ["ar", "zh-Hans", "es", "fr", "ru"])
def test_sdg_targets_not_reached_in_a_language(oxigraph: EmbeddedStore, lang: str) -> None:
    """Verify that `lang` gives each target's title in that language, as open-sdg prints
    it, one row per target."""
    rows = answer(oxigraph, "sdg-targets-not-reached", edition="2019", lang=lang)
    assert len(rows) == len({r["target"] for r in rows})
    for row in rows:
        assert row["title"] == _open_sdg(
            lang, "targets", f"{row['target'].replace('.', '-')}-title"
        ), row["target"]
        assert row["lang"] == lang


def test_sdg_labels_fall_back_to_english(oxigraph: EmbeddedStore) -> None:
    """Verify English titles without `lang`, and for a title lacking the language asked
    for (French removed from a copy of the graph)."""
    rows = answer(oxigraph, "most-cited-sdg-targets", edition="2019")
    assert {r["title"] for r in rows if r["target"] == "9.c"} == {_hand_curated("9.c")}
    store = Store()
    store.load(path=str(TRIG), format=RdfFormat.TRIG)
    store.update("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        DELETE { GRAPH ?g { ?t skos:prefLabel ?x } } WHERE { GRAPH ?g { ?t skos:prefLabel ?x }
        FILTER (?t = <https://w3id.org/wsis-kg/id/sdg/target/9.c> && LANG(?x) = "fr") }""")
    rows = answer(store, "most-cited-sdg-targets", edition="2019", lang="fr")
    titles = {r["target"]: r["title"] for r in rows}
    assert titles["9.c"] == _hand_curated("9.c")
    assert titles["9.1"] == _open_sdg("fr", "targets", "9-1-title")


def test_sdg_coverage_matrix_goal_names(oxigraph: EmbeddedStore) -> None:
    """Verify the goal short names of the matrix in Russian, one name per goal."""
    rows = answer(oxigraph, "sdg-coverage-matrix", edition="2019", lang="ru")
    names = {(r["goalNumber"], r["goalName"]) for r in rows}
    assert names == {(g, _open_sdg("ru", "goals", f"{g}-short")) for g, _ in names}
    assert len(rows) == len({(r["actionLine"], r["goalNumber"]) for r in rows})


def _itu_custodian_listings() -> set[tuple[str, str]]:
    """(target, indicator number) of the indicators the UN SDG KOS names ITU custodian of,
    numbered as in UNSD's 2023 table (by their permanent codes)."""
    kos = Graph().parse(UPSTREAM / "sdg-kos-goals-targets-indicators.ttl")
    custodian = URIRef("http://metadata.un.org/sdg/ontology#custodianAgency")
    codes = {
        str(s).rsplit("/", 1)[1]
        for s, o in kos.subject_objects(custodian)
        if str(o).strip() == "ITU"
    }
    table = (UPSTREAM / "SDG_Target_Indicator_UNSD_2023.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(table.splitlines(), delimiter=";"))[1:]
    return {(row[2].strip(), row[4].strip()) for row in rows if row[6] in codes}


def test_entries_on_itu_custodian_indicators(oxigraph: EmbeddedStore) -> None:
    """Verify the 2019 entries bearing on ITU-custodian indicators, against every outcome
    read and the indicators the sources name ITU custodian of."""
    listings = _itu_custodian_listings()
    assert {number for _, number in listings} == {"4.4.1", "5.b.1", "9.c.1", "17.6.1", "17.8.1"}
    expected = {
        (o["action_line"], o["label"], number)
        for o in _outcomes("roadmaps-2019")
        for target, number in listings
        if target in map(str, o.get("sdg_targets", []))
    }
    rows = answer(oxigraph, "entries-on-itu-custodian-indicators", edition="2019")
    assert {(r["actionLine"], r["outcome"], r["indicator"]) for r in rows} == expected
    assert ("C6", "r", "17.6.1") in expected
    assert {r["custodians"] for r in rows if r["indicator"] == "4.4.1"} == {"ITU, UNESCO-UIS"}
    # the query names two custodians at most (the lower and the higher): true of the data
    most = oxigraph.query(
        "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> SELECT (MAX(?n) AS ?most) { "
        "{ SELECT ?i (COUNT(DISTINCT ?a) AS ?n) WHERE { ?i wsis:custodianAgency 'ITU' ; "
        "wsis:custodianAgency ?a } GROUP BY ?i } }",
        use_default_graph_as_union=True,
    )
    assert int(next(iter(most))["most"].value) == 2
    chinese = answer(
        oxigraph, "entries-on-itu-custodian-indicators", edition="2019", lang="zh-Hans"
    )
    assert {(r["indicator"], r["title"]) for r in chinese} == {
        (n, _open_sdg("zh-Hans", "indicators", f"{n.replace('.', '-')}-title"))
        for n in {r["indicator"] for r in rows}
    }


def test_resolutions_by_action_line(oxigraph: EmbeddedStore) -> None:
    """Verify C6 in 2010: Council Res. 1305 cited by b and d, PP 102 and 133 by d."""
    rows = answer(oxigraph, "resolutions-by-action-line", action_line="C6", edition="2010")
    counts = {r["label"]: int(r["entries"]) for r in rows}
    assert counts == {"Council Resolution 1305": 2, "PP Resolution 102": 1, "PP Resolution 133": 1}
    assert rows[0]["label"] == "Council Resolution 1305"  # most cited first


def test_outcome_history(oxigraph: EmbeddedStore) -> None:
    """Verify C2 A across the editions: the timing each prints."""
    rows = answer(oxigraph, "outcome-history", action_line="C2", outcome="A")
    timings = {r["editionId"]: r["value"] for r in rows if r["what"] == "timing"}
    for source, edition in (
        ("roadmaps-2010", "2010"),
        ("roadmaps-2019", "2019"),
        ("roadmaps-2024-draft", "2024-draft"),
    ):
        printed = next(
            o for o in _outcomes(source) if (o["action_line"], o["label"]) == ("C2", "A")
        )["timing"]["printed"]
        assert timings[edition].replace(" ", "") == printed.replace(" ", "")
    assert {r["editionId"] for r in rows} == {"2010", "2019-draft-zero", "2019", "2024-draft"}


def test_sdg_links_changed_between_draft_and_2019(oxigraph: EmbeddedStore) -> None:
    """Verify the only SDG change from the draft zero to 2019: C5 B4 drops 11.5."""
    rows = answer(oxigraph, "sdg-links-changed", edition_a="2019-draft-zero", edition_b="2019")
    assert [(r["change"], r["actionLine"], r["outcome"], r["sdg"]) for r in rows] == [
        ("removed", "C5", "B4", "11.5")
    ]


@pytest.mark.parametrize(
    ("source", "edition", "year"),
    [("roadmaps-2024-draft", "2024-draft", "2021"), ("roadmaps-2010", "2010", "2011")],
)
def test_outcomes_active_in_year(
    oxigraph: EmbeddedStore, source: str, edition: str, year: str
) -> None:
    """Verify the entries active in a year against every timing read."""
    expected = set()
    for outcome in _outcomes(source):
        timing = outcome.get("timing")
        if (
            timing
            and (timing["begin"] is None or timing["begin"] <= int(year))
            and (timing["end"] is None or timing["end"] >= int(year))
        ):
            expected.add((outcome["action_line"], outcome["label"]))
    rows = answer(oxigraph, "outcomes-active-in-year", year=year, edition=edition)
    assert {(r["actionLine"], r["outcome"]) for r in rows} == expected


def test_outcomes_ended_before_year(oxigraph: EmbeddedStore) -> None:
    """Verify the 2010 entries whose timing ended before 2013, against every timing read."""
    expected = {
        (o["action_line"], o["label"])
        for o in _outcomes("roadmaps-2010")
        if o.get("timing") and o["timing"]["end"] is not None and o["timing"]["end"] < 2013
    }
    rows = answer(oxigraph, "outcomes-ended-before-year", year="2013", edition="2010")
    assert {(r["actionLine"], r["outcome"]) for r in rows} == expected
    assert ("C2", "A") in expected


def test_action_plan_bridge(oxigraph: EmbeddedStore) -> None:
    """Verify the bridge for draft-zero C5 A2 and objective 2 (see test_action_plan)."""
    rows = answer(oxigraph, "action-plan-bridge", edition="2019-draft-zero", objective="2")
    agreement = {
        r["target"]
        for r in rows
        if (r["actionLine"], r["outcome"]) == ("C5", "A2") and r["status"] == "agreement"
    }
    assert agreement == {"9.1", "9.c", "11.b"}


def test_action_lines_plan_vs_roadmaps(oxigraph: EmbeddedStore) -> None:
    """Verify C5: the plan outputs naming it (read from the plan) and the C5 entries."""
    plan = load_expectations("baap-2018-2021")["outputs"]
    c5_outputs = sum(1 for o in plan if "C5" in o["action_lines"])
    c5_entries = sum(
        n
        for source in (
            "roadmaps-2010",
            "roadmaps-2019-draft-zero",
            "roadmaps-2019",
            "roadmaps-2024-draft",
        )
        for n in load_expectations(source)["counts"]["C5"].values()
    )
    rows = {r["actionLine"]: r for r in answer(oxigraph, "action-lines-plan-vs-roadmaps")}
    assert int(rows["C5"]["planOutputs"]) == c5_outputs == 2
    assert int(rows["C5"]["roadmapEntries"]) == c5_entries == 78
    assert int(rows["C10"]["roadmapEntries"]) == 0


def test_entries_without_sdg_links(oxigraph: EmbeddedStore) -> None:
    """Verify the 2024-draft entries with no SDG link against all 68 outcomes read."""
    expected = {
        (o["action_line"], o["label"])
        for o in _outcomes("roadmaps-2024-draft")
        if not o.get("sdg_goals") and not o.get("sdg_targets")
    }
    rows = answer(oxigraph, "entries-without-sdg-links", edition="2024-draft")
    assert {(r["actionLine"], r["outcome"]) for r in rows} == expected


def test_entries_without_activities(oxigraph: EmbeddedStore) -> None:
    """Verify the 2010 entries with no activity against all 45 outcomes read."""
    expected = {
        (o["action_line"], o["label"])
        for o in _outcomes("roadmaps-2010")
        if not o.get("activities")
    }
    rows = answer(oxigraph, "entries-without-activities", edition="2010")
    assert {(r["actionLine"], r["outcome"]) for r in rows} == expected


def test_keyword_search(oxigraph: EmbeddedStore) -> None:
    """Verify that the 19th GSR is found in 2019's C2 A and C6 a activities."""
    rows = answer(
        oxigraph, "keyword-search", keyword="19th edition of the Global Symposium", edition="2019"
    )
    assert {(r["actionLine"], r["outcome"]) for r in rows} >= {("C2", "A"), ("C6", "a")}


def test_activity_roles_2010(oxigraph: EmbeddedStore) -> None:
    """Verify the 2010 activities and their roles against every outcome read."""
    rows = answer(oxigraph, "activity-roles-2010")
    found = {(r["actionLine"], r["outcome"], r["code"], r.get("role")) for r in rows}
    expected = {
        (o["action_line"], o["label"], a["code"], a["role"])
        for o in _outcomes("roadmaps-2010")
        for a in o.get("activities", [])
        if a["code"]
    }
    assert found == expected
    assert ("C2", "A", "A1", "I") in found


def test_strategic_goal_sdg_cooccurrence(oxigraph: EmbeddedStore) -> None:
    """Verify the 2024 draft's strategic goal x SDG goal counts against the outcomes read."""
    expected: Counter[tuple[str, str]] = Counter()
    for outcome in _outcomes("roadmaps-2024-draft"):
        goals = set(outcome.get("sdg_goals", [])) | {
            int(str(t).split(".")[0]) for t in outcome.get("sdg_targets", [])
        }
        for strategic in outcome.get("strategic_goals", []):
            for goal in goals:
                expected[(str(strategic), str(goal))] += 1
    rows = answer(oxigraph, "strategic-goal-sdg-cooccurrence", edition="2024-draft")
    assert {(r["strategicGoal"], r["sdgGoal"]): int(r["entries"]) for r in rows} == expected


def test_regional_initiatives_by_action_line(oxigraph: EmbeddedStore) -> None:
    """Verify the initiatives named by 2019 entries against all 61 outcomes read."""
    expected: Counter[tuple[str, str]] = Counter()
    for outcome in _outcomes("roadmaps-2019"):
        for code in set(outcome.get("regional_initiatives", [])):
            expected[(outcome["action_line"], code)] += 1
    rows = answer(oxigraph, "regional-initiatives-by-action-line", edition="2019")
    assert {(r["actionLine"], r["initiative"]): int(r["entries"]) for r in rows} == expected


def test_gca_pillars_by_c5_entry(oxigraph: EmbeddedStore) -> None:
    """Verify each 2019 C5 entry's GCA pillars against the outcomes read."""
    expected = {
        (o["label"], str(p))
        for o in _outcomes("roadmaps-2019")
        if o["action_line"] == "C5"
        for p in o.get("gca_pillars", [])
    }
    rows = answer(oxigraph, "gca-pillars-by-c5-entry", edition="2019")
    assert {(r["outcome"], r["pillar"]) for r in rows} == expected


def test_most_cited_sdg_targets(oxigraph: EmbeddedStore) -> None:
    """Verify the 2024 draft's target counts against all 68 outcomes read."""
    expected = Counter(
        str(t)
        for o in _outcomes("roadmaps-2024-draft")
        for t in set(map(str, o.get("sdg_targets", [])))
    )
    rows = answer(oxigraph, "most-cited-sdg-targets", edition="2024-draft")
    assert {r["target"]: int(r["entries"]) for r in rows} == expected
    counts = [int(r["entries"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_amendment_proposals(oxigraph: EmbeddedStore) -> None:
    """Verify the four proposals and the outputs they amend, as the contribution prints."""
    rows = answer(oxigraph, "amendment-proposals")
    printed = load_expectations("baap-2018-2021")["proposals"]
    assert [(r["proposal"], r["output"]) for r in rows] == [
        (str(p["number"]), p["output"]) for p in printed
    ]
    assert (
        rows[0]["heading"] == "Broadband networks: Wired and wireless technologies, including IMT"
    )


def test_entry_source_lines(oxigraph: EmbeddedStore) -> None:
    """Verify the source lines behind draft-zero C6 l (printed without its label)."""
    rows = answer(
        oxigraph, "entry-source-lines", edition="2019-draft-zero", action_line="C6", outcome="l"
    )
    assert rows[0]["source"] == "roadmaps-2019-draft-zero"
    assert rows[0]["firstLine"] == "412"
    assert ("412", "dz-c6-l-label") in {(r["correctionLine"], r["rule"]) for r in rows}


def test_every_query_has_an_answer_test() -> None:
    """Verify that each linkage query is checked above against the documents."""
    text = Path(__file__).read_text(encoding="utf-8")
    for name in NAMES:
        if not name.endswith("-violation"):
            assert f'"{name}"' in text, name


# -- parameters and the command ---------------------------------------------------------

INJECTIONS = [
    'x" } ; DROP ALL ; #',
    "9.c> } UNION { ?s ?p ?o",
    "2019\n} ",
    "{ ?s ?p ?o }",
    "'; DELETE WHERE { ?s ?p ?o }",
    "<http://evil/>",
    "18.1",
    "abc",
    'fr"@en',
    "de",
]


@pytest.mark.parametrize("name", [n for n in NAMES if QUERIES[n].params])
def test_injection_through_every_parameter_fails_safely(name: str) -> None:
    """Verify that hostile values of every parameter are refused as usage errors."""
    query = QUERIES[name]
    for param in query.params:
        for value in INJECTIONS:
            given = {p.name: p.example for p in query.params}
            given[param.name] = value
            if param.type == "keyword" and re.fullmatch(r"[A-Za-z0-9 .,/()-]+", value):
                continue  # plain words are a fine keyword; they are bound, not spliced
            with pytest.raises(UsageError):
                bind(query, given)


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_queries_lists_summaries_and_parameters() -> None:
    """Verify `wsiskg queries`."""
    code, out, _ = cli("queries")
    assert code == 0
    assert "entries-by-sdg-target: Roadmap entries linked to an SDG target" in out
    assert "-p target=<sdg-target>  (required; e.g. target=9.c)" in out


def test_cli_query_formats() -> None:
    """Verify table, JSON (SPARQL 1.1 results), CSV and TSV output of `wsiskg query`."""
    args = ("query", "entries-by-sdg-target", "-p", "target=16.2", "-p", "edition=2019-draft-zero")
    code, out, _ = cli(*args)
    assert code == 0 and "rows)" in out
    code, out, _ = cli(*args, "-f", "json")
    data = json.loads(out)
    assert "outcome" in data["head"]["vars"]
    assert data["results"]["bindings"][0]["entry"]["type"] == "uri"
    code, out, _ = cli(*args, "-f", "csv")
    assert out.splitlines()[0].startswith("target,edition,editionId")
    code, out, _ = cli(*args, "-f", "tsv")
    assert out.splitlines()[0].startswith("?target\t?edition")
    assert "<https://w3id.org/wsis-kg/id/sdg/target/16.2>" in out
    code, out_rdflib, _ = cli(*args, "-f", "csv", "--engine", "rdflib")
    assert sorted(out_rdflib.splitlines()) == sorted(cli(*args, "-f", "csv")[1].splitlines())


def test_cli_query_refuses_bad_values_with_exit_2() -> None:
    """Verify exit code 2 and a clear message for invalid parameter values."""
    for param in ("target=18.1", "year=abc", 'keyword=a"b', "edition={x}"):
        name = {
            "target": "entries-by-sdg-target",
            "year": "outcomes-active-in-year",
            "keyword": "keyword-search",
            "edition": "sdg-coverage-matrix",
        }[param.split("=")[0]]
        code, _, err = cli("query", name, "-p", param)
        assert code == 2, (param, err)
        assert "is not valid" in err or "needs" in err


def test_cli_query_unknown_and_missing() -> None:
    """Verify usage errors for an unknown query, an unknown parameter, a missing one."""
    assert cli("query", "no-such-query")[0] == 2
    assert cli("query", "sdg-coverage-matrix", "-p", "colour=red")[0] == 2
    code, _, err = cli("query", "entries-by-sdg-target")
    assert code == 2 and "needs -p target=VALUE" in err


def test_cli_query_file(tmp_path: Path) -> None:
    """Verify an ad-hoc query file."""
    adhoc = tmp_path / "count.rq"
    adhoc.write_text(
        "#+ summary: count entries\n#+ description: all roadmap entries\n"
        "#+ params: []\nPREFIX wsis: <https://w3id.org/wsis-kg/ontology#>\n"
        "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a wsis:RoadmapEntry }\n"
    )
    code, out, _ = cli("query", "--file", str(adhoc), "-f", "csv")
    assert code == 0 and out.splitlines() == ["n", "235"]


def test_render_escapes_tsv() -> None:
    """Verify TSV escaping of quotes, tabs and newlines in literals."""
    results = Results(["x"], [{"x": ("literal", 'a "b"\tc\nd', None)}])
    assert render(results, "tsv").splitlines()[1] == '"a \\"b\\"\\tc\\nd"'
