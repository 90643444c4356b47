"""Reasoning: the entailments the queries use, materialised apart from the data.

The reference semantics is owlrl's OWL RL (or RDFS) closure of ontology +
data. It is slow (a minute on this graph), so the default engine is a fast
path: rules derived from the ontology and run as SPARQL CONSTRUCT queries on
Oxigraph until nothing new comes out. It produces the entailments the
queries rely on:

* class membership up the subclass hierarchy (an entry is a
  ``wsis:LinkageStatement`` and a ``prov:Entity``; an SDG target is a
  ``skos:Concept``), and from property domains and ranges;
* super-properties (``wsis:linkedSDGGoal`` is a ``wsis:contributesToSDGGoal``;
  ``wsis:outcomeKey`` a ``skos:notation``; ``prov:wasRevisionOf`` a
  ``prov:wasDerivedFrom``);
* inverse properties (``wsis:hasEntry``, ``wsis:addressedBy``,
  ``wsis:hasOutcome``, ``wsis:citedBy``, ``wsis:targetLinkedBy``,
  ``wsis:expectedResultOf``, ``wsis:activityOf``);
* property chains: a link to an SDG target is a contribution to its goal
  (``wsis:linkedSDGTarget`` / ``skos:broader``), an entry's action line is
  its outcome's (``wsis:addressesOutcome`` / ``wsis:actionLine``).

Tests check that the fast path gives exactly owlrl's triples of these kinds.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, Quad, QueryTriples, Store, Triple
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from wsiskg import iris
from wsiskg.errors import UsageError
from wsiskg.rdf import load_store, parse_graph, to_rdflib, to_rdflib_term

ENGINES = ("fast", "owlrl")
MODES = ("rdfs", "owlrl")


@dataclass(frozen=True)
class Schema:
    """The parts of the ontology the rules use, closed transitively."""

    superclasses: dict[URIRef, set[URIRef]]
    superproperties: dict[URIRef, set[URIRef]]
    inverses: set[tuple[URIRef, URIRef]]
    domains: dict[URIRef, set[URIRef]]
    ranges: dict[URIRef, set[URIRef]]
    chains: list[tuple[URIRef, URIRef, URIRef]]  # (super, first, second)


def _closure(direct: dict[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    closed: dict[URIRef, set[URIRef]] = {}
    for start in direct:
        seen: set[URIRef] = set()
        todo = list(direct[start])
        while todo:
            node = todo.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            todo.extend(direct.get(node, ()))
        closed[start] = seen
    return closed


def schema_of(ontology: Graph) -> Schema:
    def named(pairs: Iterable[tuple[object, object]]) -> dict[URIRef, set[URIRef]]:
        found: dict[URIRef, set[URIRef]] = {}
        for a, b in pairs:
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                found.setdefault(a, set()).add(b)
        return found

    superclasses = _closure(named(ontology.subject_objects(RDFS.subClassOf)))
    superproperties = _closure(named(ontology.subject_objects(RDFS.subPropertyOf)))
    inverses: set[tuple[URIRef, URIRef]] = set()
    for a, b in ontology.subject_objects(OWL.inverseOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            inverses.add((a, b))
            inverses.add((b, a))
    chains = []
    for prop, head in ontology.subject_objects(OWL.propertyChainAxiom):
        steps = list(Collection(ontology, head))
        if len(steps) == 2 and all(isinstance(s, URIRef) for s in steps):
            chains.append((URIRef(str(prop)), URIRef(str(steps[0])), URIRef(str(steps[1]))))
    domains = named(ontology.subject_objects(RDFS.domain))
    ranges = {
        p: {
            c for c in cs if not str(c).startswith(str(URIRef("http://www.w3.org/2001/XMLSchema#")))
        }
        for p, cs in named(ontology.subject_objects(RDFS.range)).items()
    }
    return Schema(superclasses, superproperties, inverses, domains, ranges, sorted(chains))


def rules(schema: Schema) -> list[str]:
    """SPARQL CONSTRUCT rules for the entailments (run to a fixpoint).

    Generated from the ontology's axioms each run, one rule per axiom, rather than
    kept as ``.rq`` files like the package's other queries (``wsiskg/sparql/``):
    the rules are the ontology's, and change with it."""
    queries: list[str] = []
    for sub, supers in sorted(schema.superclasses.items()):
        for sup in sorted(supers):
            queries.append(f"CONSTRUCT {{ ?s a <{sup}> }} WHERE {{ ?s a <{sub}> }}")
    for sub, supers in sorted(schema.superproperties.items()):
        for sup in sorted(supers):
            queries.append(f"CONSTRUCT {{ ?s <{sup}> ?o }} WHERE {{ ?s <{sub}> ?o }}")
    for a, b in sorted(schema.inverses):
        queries.append(f"CONSTRUCT {{ ?o <{b}> ?s }} WHERE {{ ?s <{a}> ?o }}")
    for sup, first, second in schema.chains:
        queries.append(
            f"CONSTRUCT {{ ?s <{sup}> ?o }} WHERE {{ ?s <{first}> ?m . ?m <{second}> ?o }}"
        )
    for prop, classes in sorted(schema.domains.items()):
        for cls in sorted(classes):
            queries.append(f"CONSTRUCT {{ ?s a <{cls}> }} WHERE {{ ?s <{prop}> ?o }}")
    for prop, classes in sorted(schema.ranges.items()):
        for cls in sorted(classes):
            queries.append(
                f"CONSTRUCT {{ ?o a <{cls}> }} WHERE {{ ?s <{prop}> ?o . FILTER(!isLiteral(?o)) }}"
            )
    return queries


@dataclass
class Reasoning:
    inferred: Graph
    engine: str
    seconds: float
    rounds: int


def fast_entailments(store: Store, ontology: Graph) -> tuple[Graph, int]:
    """Run the rules on a store (data only) until nothing new; return what is new."""
    queries = rules(schema_of(ontology))
    inferred = Graph()
    rounds = 0
    while True:
        rounds += 1
        new: list[Triple] = []
        for query in queries:
            found = store.query(query, use_default_graph_as_union=True)
            assert isinstance(found, QueryTriples)  # the rules are CONSTRUCT queries
            new.extend(found)
        added = 0
        for triple in new:
            quad = Quad(triple.subject, triple.predicate, triple.object, DefaultGraph())
            if quad not in store:
                store.add(quad)
                inferred.add(
                    (
                        to_rdflib_term(triple.subject),
                        to_rdflib_term(triple.predicate),
                        to_rdflib_term(triple.object),
                    )
                )
                added += 1
        if not added:
            return inferred, rounds


def owlrl_closure(graph: Graph, mode: str) -> Graph:
    """owlrl's closure (RDFS or OWL RL) of a copy of the graph."""
    import owlrl

    if mode not in MODES:
        raise UsageError(f"unknown inference {mode!r} (choose {', '.join(MODES)})")
    expanded = Graph()
    for triple in graph:
        expanded.add(triple)
    closure = owlrl.RDFS_Semantics if mode == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(closure, axiomatic_triples=False, datatype_axioms=False).expand(expanded)
    return expanded


def reason(files: list[Path], ontology_path: Path, *, engine: str = "fast") -> Reasoning:
    """The entailments of ontology + data that are not already asserted."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r} (choose {', '.join(ENGINES)})")
    started = time.perf_counter()
    ontology = parse_graph(ontology_path)
    store = load_store(files)
    if engine == "fast":
        inferred, rounds = fast_entailments(store, ontology)
        return Reasoning(inferred, engine, time.perf_counter() - started, rounds)
    data = to_rdflib(store)
    merged = Graph()
    for triple in data:
        merged.add(triple)
    for triple in ontology:
        merged.add(triple)
    expanded = owlrl_closure(merged, "owlrl")
    inferred = Graph()
    for triple in expanded:
        if triple not in merged and not any(isinstance(t, BNode) for t in triple):
            inferred.add(triple)
    return Reasoning(inferred, engine, time.perf_counter() - started, 0)


def restrict(graph: Graph, ontology: Graph) -> set[tuple[object, object, object]]:
    """The triples of the kinds the fast path produces, for comparing engines: types
    of named classes and links of named properties, between IRIs of the graph's
    namespace (and literal values of sub-properties)."""
    schema = schema_of(ontology)
    classes = {c for supers in schema.superclasses.values() for c in supers}
    classes |= {c for cs in schema.domains.values() for c in cs}
    classes |= {c for cs in schema.ranges.values() for c in cs}
    properties = {p for sups in schema.superproperties.values() for p in sups}
    properties |= {b for _, b in schema.inverses} | {c[0] for c in schema.chains}
    found: set[tuple[object, object, object]] = set()
    for s, p, o in graph:
        if not str(s).startswith(iris.ID):
            continue
        if p == RDF.type and o in classes:
            found.add((s, p, o))
        elif p in properties:
            found.add((s, p, o))
    return found
