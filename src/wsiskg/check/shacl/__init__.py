"""A SHACL engine over Oxigraph: SHACL Core compiled to SPARQL (one query per
constraint, shape-based and logical constraints included), SHACL-SPARQL
constraints with pre-binding per the spec, and pySHACL for the shapes the
compiler does not take (SPARQL-based constraint components and targets,
recursive shapes, and shapes that read literals the store would rewrite),
given the data those shapes can read.
"""

from __future__ import annotations

from pyoxigraph import Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from wsiskg.check.shacl import core, exact, sparql
from wsiskg.check.shacl.exact import ExactData, Source, rewritten_predicates
from wsiskg.check.shacl.paths import path_predicates
from wsiskg.check.shacl.results import (
    SEVERITIES,
    Terms,
    ValidationResult,
    kind,
    plain,
    report_graph,
    sort_key,
    to_rdflib,
)

__all__ = [
    "ValidationResult",
    "Terms",
    "validate",
    "ExactData",
    "Source",
    "rewritten_predicates",
    "SEVERITIES",
    "plain",
    "to_rdflib",
    "fallback_predicates",
    "report_graph",
    "sort_key",
]

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def validate(
    store: Store, shapes: Graph, exact_data: ExactData | None = None
) -> list[ValidationResult]:
    """Validate the union of the store's graphs against the shapes.

    With ``exact_data``, the shapes that can read a literal the store rewrote are
    validated by the general engine on the data as parsed."""
    planned = core.plan(shapes)
    fallback = set(planned.fallback)
    if exact_data is not None and exact_data.rewritten:
        for shape in core.targeted_shapes(shapes):
            read = exact.reads(shapes, shape)
            if read is None or {str(p) for p in read} & exact_data.rewritten:
                fallback.add(shape)
    queries = [q for q in planned.queries if q.owner not in fallback]
    results = core.run(store, queries, shapes)
    own_sparql = [c for c in sparql.sparql_constraints(shapes) if c.shape not in fallback]
    results += sparql.run_sparql_constraints(store, own_sparql, shapes)
    if fallback:
        sparql.check_validators(shapes)
        results += run_pyshacl(store, shapes, fallback, exact_data)
    return sorted(set(results), key=sort_key)


# -- the general engine for what is not compiled --------------------------------------


def fallback_predicates(shapes: Graph) -> set[str] | None:
    """The predicates any shape of the graph can read, or None when a shape may
    read any (closed shapes, SPARQL constraints, components or targets)."""
    if (
        any(True for _ in shapes.triples((None, SH.closed, None)))
        or any(True for _ in shapes.triples((None, SH.sparql, None)))
        or any(True for _ in shapes.triples((None, SH.target, None)))
        or any(True for _ in shapes.triples((None, RDF.type, SH.ConstraintComponent)))
    ):
        return None
    needed = {str(RDF.type), str(RDFS.subClassOf)}
    for path in shapes.objects(None, SH.path):
        needed.update(str(p) for p in path_predicates(shapes, path))
    for predicate in (
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.equals,
        SH.disjoint,
        SH.lessThan,
        SH.lessThanOrEquals,
    ):
        needed.update(str(p) for p in shapes.objects(None, predicate))
    return needed


def _data_graph(store: Store, predicates: set[str] | None) -> Graph:
    graph = Graph()
    add = graph.add
    for quad in store:
        if predicates is None or quad.predicate.value in predicates:
            add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def run_pyshacl(
    store: Store, shapes: Graph, fallback: set[Node], exact_data: ExactData | None = None
) -> list[ValidationResult]:
    """pySHACL on the shapes in ``fallback``: the others keep their constraints (they
    may be referenced) but lose their targets."""
    from pyshacl import validate as pyshacl_validate

    subset = Graph()
    for s, p, o in shapes:
        if s not in fallback and (
            p in TARGETS
            or (p == RDF.type and core.is_class(shapes, s) and core.is_shape_node(shapes, s))
        ):
            continue
        subset.add((s, p, o))
    for prefix, namespace in shapes.namespaces():
        subset.bind(prefix, namespace)
    if exact_data is not None and exact_data.rewritten:
        data = exact_data.graph()
    else:
        data = _data_graph(store, fallback_predicates(shapes))
    advanced = any(True for _ in shapes.triples((None, SH.target, None)))
    _, report, _ = pyshacl_validate(
        data,
        shacl_graph=subset,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=advanced,
    )
    assert isinstance(report, Graph)
    return results_of(report, shapes)


def owner_of(shapes: Graph, shape: Node) -> Node:
    parent = shapes.value(None, SH.property, shape)
    return parent if parent is not None else shape


def results_of(report: Graph, shapes: Graph) -> list[ValidationResult]:
    """A pySHACL report graph as ValidationResults."""
    names = {k: v for k, v in SEVERITIES.items()}
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity) or SH.Violation
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        component = report.value(result, SH.sourceConstraintComponent)
        message = report.value(result, SH.resultMessage)
        assert shape is not None and focus is not None and isinstance(severity, URIRef)
        path_text = ""
        if isinstance(path, URIRef):
            path_text = str(path)
        elif isinstance(path, BNode):
            try:
                path_text = core.path_sparql(report, path)
            except core.UnsupportedError:
                path_text = str(path)
        detail = report.value(result, SH.sourceConstraint)
        found.append(
            ValidationResult(
                names.get(severity, str(severity)),
                str(owner_of(shapes, shape)),
                str(focus),
                path_text,
                plain(value) if not isinstance(value, Literal) else str(value),
                str(component or ""),
                str(shape),
                str(detail) if detail is not None else str(message or ""),
                kind(value),
                str(message or ""),
                Terms(focus, path, value, shape, severity, report),
            )
        )
    return found
