"""The queries the package runs itself (``wsiskg/sparql/*.rq``), tested like the
canned ones: a complete header, declared prefixes, and the same answer on Oxigraph
and rdflib over the real graph with the example parameters."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Store

import wsiskg
from wsiskg.sparql import query_text
from wsiskg.store.queries import Results, bind, internal_queries, open_engine, run

from .conftest import ROOT

QUERIES = internal_queries()
TRIG = ROOT / "data" / "kg" / "wsis.trig"
PACKAGE = Path(wsiskg.__file__).parent


def _normal(results: Results) -> list[tuple[tuple[str, str, str, str], ...]]:
    """The solutions, sorted, each term as (variable, kind, value, datatype or
    language); language tags in lower case, as RDF 1.1 compares them (Oxigraph
    writes zh-Hans as zh-hans, rdflib keeps the case)."""

    def extra(value: str | None) -> str:
        return value.lower() if value and value.startswith("@") else value or ""

    return sorted(
        tuple(sorted((k, v[0], v[1], extra(v[2])) for k, v in row.items())) for row in results.rows
    )


@pytest.fixture(scope="module")
def oxigraph() -> Store:
    return open_engine("oxigraph", TRIG)  # type: ignore[no-any-return]  # open_engine is typed Any


@pytest.fixture(scope="module")
def rdflib_dataset() -> Any:
    return open_engine("rdflib", TRIG)


def test_the_package_holds_its_queries() -> None:
    """Verify that the queries of the diff, the report, the plots, the release and
    the source lines, and the edition catalogue, are shipped as .rq files."""
    assert {
        "diff-outcomes-only-in",
        "diff-links-added",
        "diff-timing-changed",
        "diff-item-texts",
        "diff-item-counts",
        "editions",
        "timing-span",
        "report-triples",
        "source-lines",
        "release-sources",
        "goal-labels",
        "whole-goal-entries",
    } <= set(QUERIES)


def test_query_text_is_the_file() -> None:
    """Verify that the text the modules run is the shipped file, header included."""
    for name, query in QUERIES.items():
        assert query_text(name) == query.text


def test_no_query_left_in_python() -> None:
    """Verify that no module of the package holds a SPARQL query as a string, but
    for the generated ones (the SHACL engine's, from the shapes; the reasoner's
    rules, from the ontology) and the store probes named here."""
    generated = {"shacl", "reason.py"}
    probes = (  # the engine's own probes of a store and its copy of the named graphs
        '"INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"',
        '"ASK { ?s ?p ?o }"',
        '"ASK { GRAPH ?g { ?s ?p ?o } }"',
    )
    keyword = re.compile(
        r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\s+(DISTINCT\s+)?[?$({*]"
        r"|\b(INSERT|DELETE)\s*(DATA\s*)?\{"
    )
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if generated & set(path.relative_to(PACKAGE).parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for probe in probes:
                line = line.replace(probe, '""')
            if keyword.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == [], "queries left in Python:\n" + "\n".join(found)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_and_prefixes(name: str) -> None:
    """Verify the grlc header, projected parameters and declared prefixes."""
    query = QUERIES[name]
    assert query.text.startswith("#+ summary:")
    assert len(query.summary) > 10 and len(query.description) > 20
    for param in query.params:
        assert re.search(rf"SELECT( DISTINCT)?[^\n]*\?{param.name}\b", query.text)
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    used = set(re.findall(r"(?<![\w:/<])([a-z]+):[A-Za-z]", body)) - {"http", "https"}
    declared = set(re.findall(r"PREFIX\s+(\w+):", body))
    assert used <= declared, f"{name}: undeclared prefixes {used - declared}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_result_on_oxigraph_and_rdflib(
    name: str, oxigraph: Store, rdflib_dataset: Any
) -> None:
    """Verify that the query answers on the real graph with its example parameters, the
    same on Oxigraph and on rdflib."""
    query = QUERIES[name]
    bound = bind(query, {p.name: p.example for p in query.params})
    on_oxigraph = run("oxigraph", oxigraph, query.text, bound)
    on_rdflib = run("rdflib", rdflib_dataset, query.text, bound)
    assert on_oxigraph.variables == on_rdflib.variables
    assert _normal(on_oxigraph) == _normal(on_rdflib)
    assert on_oxigraph.rows, f"{name} gives no answer with its example parameters"


def test_edition_order_follows_the_revisions(oxigraph: Store) -> None:
    """Verify that the views' order of editions comes from prov:wasRevisionOf (each after
    the edition it revises) and the editions without an SDG link from the data, so a new
    edition needs no code: one that revises the 2024 draft comes last."""
    from wsiskg.store.queries import editions

    held = editions("oxigraph", oxigraph)
    assert held.order == ("2010", "2019-draft-zero", "2019", "2024-draft")
    assert held.without_sdg == {"2010"}
    store = Store()
    store.update(
        "PREFIX wsis: <https://w3id.org/wsis-kg/ontology#> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> INSERT DATA { "
        "<urn:e:b> a wsis:RoadmapEdition ; wsis:editionId 'b' ; prov:wasRevisionOf <urn:e:a> . "
        "<urn:e:a> a wsis:RoadmapEdition ; wsis:editionId 'a' ; prov:wasRevisionOf <urn:e:z> . "
        "<urn:e:z> a wsis:RoadmapEdition ; wsis:editionId 'z' . "
        "<urn:x> wsis:edition <urn:e:a> ; wsis:linkedSDGGoal <urn:g> }"
    )
    other = editions("oxigraph", store)
    assert other.order == ("z", "a", "b")
    assert other.without_sdg == {"z", "b"}
