"""Validation results as the engine produces them: SHACL report fields as RDF terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True, slots=True)
class Terms:
    """A result's fields as RDF terms (for the SHACL report graph). ``path`` and
    ``shape`` are nodes of the shapes graph; focus node and value come from the data."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    severity: URIRef
    graph: Graph | None = field(default=None, compare=False)  # where path's nodes are


@dataclass(frozen=True, order=True, slots=True)
class ValidationResult:
    """One SHACL validation result, with the fields tests compare on.

    ``source_shape`` names the node shape a property shape belongs to (what a
    reader looks for); ``shape`` is the result's own sh:sourceShape and
    ``detail`` the constraint's parameter, so that two constraints of one shape
    failing on one node stay two results."""

    severity: str
    source_shape: str
    focus_node: str
    path: str
    value: str
    component: str
    shape: str = ""
    detail: str = ""
    value_kind: str = ""  # a literal value's language (@de) or datatype (^^IRI)
    message: str = field(default="", compare=False)
    terms: Terms | None = field(default=None, compare=False, hash=False)


sort_key = attrgetter(
    "severity",
    "source_shape",
    "focus_node",
    "path",
    "value",
    "component",
    "shape",
    "detail",
    "value_kind",
)
"""The order of results (fast: compared as tuples, not as dataclasses)."""


def to_rdflib(node: object) -> URIRef | Literal | BNode:
    """An Oxigraph term as an rdflib term."""
    if isinstance(node, NamedNode):
        return URIRef(node.value)
    if isinstance(node, OxLiteral):
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value == _XSD_STRING:
            return Literal(node.value)
        return Literal(node.value, datatype=URIRef(node.datatype.value))
    if isinstance(node, OxBlankNode):
        return BNode(node.value)
    raise TypeError(f"not an RDF term: {node!r}")


def kind(node: object) -> str:
    """A literal's language tag or datatype, to tell "Berg" from "Berg"@de; '' otherwise."""
    if isinstance(node, Literal):
        if node.language:
            return f"@{node.language}"
        return f"^^{node.datatype}" if node.datatype is not None else ""
    return ""


def plain(node: object) -> str:
    """A term's lexical value (IRI, literal text or blank node label); '' for none."""
    if node is None:
        return ""
    if isinstance(node, NamedNode | OxLiteral | OxBlankNode):
        return str(node.value)
    return str(node)


def report_graph(results: list[ValidationResult]) -> Graph:
    """The SHACL validation report (sh:ValidationReport) as an RDF graph.

    sh:conforms is false whenever there is any result; terms keep their kind and
    datatype; a blank-node path is copied with its structure; result nodes are
    labelled in result order, so the same results give the same graph."""
    from rdflib.namespace import RDF

    graph = Graph()
    graph.bind("sh", SH)
    node = BNode("report")
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(not results)))
    for number, r in enumerate(sorted(results, key=sort_key), 1):
        result = BNode(f"result{number}")
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        terms = r.terms
        if terms is None:
            continue
        graph.add((result, SH.resultSeverity, terms.severity))
        graph.add((result, SH.focusNode, terms.focus))
        graph.add((result, SH.sourceShape, terms.shape))
        graph.add((result, SH.sourceConstraintComponent, URIRef(r.component)))
        if r.message:
            graph.add((result, SH.resultMessage, Literal(r.message)))
        if terms.value is not None:
            graph.add((result, SH.value, terms.value))
        if terms.path is not None:
            graph.add(
                (
                    result,
                    SH.resultPath,
                    _copy(terms.path, terms.graph, graph, f"result{number}-path"),
                )
            )
    return graph


def _copy(node: Node, source: Graph | None, target: Graph, label: str) -> Node:
    """A path node, its blank-node structure copied from the shapes (or report) graph."""
    if not isinstance(node, BNode) or source is None:
        return node
    mapping: dict[Node, BNode] = {}

    def copy(n: Node) -> Node:
        if not isinstance(n, BNode):
            return n
        if n not in mapping:
            mapping[n] = BNode(f"{label}{len(mapping)}")
            for p, o in sorted(source.predicate_objects(n)):
                target.add((mapping[n], p, copy(o)))
        return mapping[n]

    return copy(node)
