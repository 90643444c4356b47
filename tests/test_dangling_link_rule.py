"""The dangling-link rule is written three times, each where its engine needs it:
the SHACL-SPARQL constraint of ``shapes/integrity.ttl`` (SHACL wants the query
inside the shape), the canned check ``queries/dangling-link-violation.rq`` (for
any SPARQL tool) and the build's own check over the rdflib graph it writes
(``wsiskg.graph.build.dangling``, before any store exists). These tests keep the three
in agreement."""

from __future__ import annotations

import pytest
from pyoxigraph import QuerySolutions, RdfFormat, Store
from rdflib import RDF, Graph, URIRef

from wsiskg.graph.build import dangling
from wsiskg.store.queries import load_query

from .conftest import ROOT

SHAPE = ROOT / "shapes" / "integrity.ttl"
CANNED = ROOT / "queries" / "dangling-link-violation.rq"
SH = "http://www.w3.org/ns/shacl#"

# two links to IRIs of the graph's namespace that nothing describes, one link to
# a described IRI, one to an IRI outside the namespace and a typed blank node
FIXTURE = """
@prefix wsis: <https://w3id.org/wsis-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <https://w3id.org/wsis-kg/id/> .

<edition/2019> a wsis:RoadmapEdition ; prov:wasRevisionOf <edition/2019-draft-zero> .
<entry/2019/C5/A2> a wsis:RoadmapEntry ; wsis:edition <edition/2019> ;
    wsis:mentionsResolution <resolution/pp/999> ;
    rdfs:seeAlso <https://example.org/elsewhere> .
[] a wsis:Correction ; prov:wasDerivedFrom <edition/2019> .
"""
DEFECTS = {
    (
        "https://w3id.org/wsis-kg/id/edition/2019",
        "http://www.w3.org/ns/prov#wasRevisionOf",
        "https://w3id.org/wsis-kg/id/edition/2019-draft-zero",
    ),
    (
        "https://w3id.org/wsis-kg/id/entry/2019/C5/A2",
        "https://w3id.org/wsis-kg/ontology#mentionsResolution",
        "https://w3id.org/wsis-kg/id/resolution/pp/999",
    ),
}

Triple = tuple[str, str, str]


def shape_query() -> str:
    """The shape's sh:select, with the prefixes it declares, $this as a variable."""
    shapes = Graph().parse(SHAPE, format="turtle")
    selects = list(shapes.objects(None, URIRef(f"{SH}select")))
    assert len(selects) == 1
    prefixes = "".join(
        f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in shapes.namespaces()
    )
    return prefixes + str(selects[0]).replace("$this", "?this")


def solutions(store: Store, text: str) -> QuerySolutions:
    found = store.query(text, use_default_graph_as_union=True)
    assert isinstance(found, QuerySolutions)
    return found


def by_shape(store: Store) -> set[Triple]:
    return {
        (row["this"].value, row["path"].value, row["value"].value)
        for row in solutions(store, shape_query())
    }


def by_canned_query(store: Store) -> set[Triple]:
    query = load_query(CANNED)
    return {
        (row["node"].value, row["property"].value, row["target"].value)
        for row in solutions(store, query.text)
    }


def by_build(graph: Graph) -> set[Triple]:
    described = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    return {(str(s), str(p), str(o)) for s, p, o in dangling(graph, described)}


@pytest.fixture(scope="module")
def fixture_store() -> Store:
    store = Store()
    store.load(FIXTURE.encode(), format=RdfFormat.TURTLE)
    return store


def test_the_three_definitions_find_the_same_dangling_links(fixture_store: Store) -> None:
    """Verify that the shape, the canned query and the build's check name the same
    (node, property, target) defects on a graph with dangling links."""
    graph = Graph().parse(data=FIXTURE, format="turtle")
    assert by_shape(fixture_store) == by_canned_query(fixture_store) == by_build(graph) == DEFECTS


def test_none_on_the_built_graph() -> None:
    """Verify that the shape and the canned query both pass the built graph."""
    store = Store()
    store.load(path=str(ROOT / "data" / "kg" / "wsis.trig"), format=RdfFormat.TRIG)
    assert by_shape(store) == by_canned_query(store) == set()
